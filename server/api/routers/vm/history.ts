import { vmAction } from "../../trpc";
import { listOperationsForVm } from "../../../repositories/operations";

/** The VM's action history: who, what, when, result, duration. */
export const history = vmAction("vm.read").query(async ({ ctx }) => {
  const operations = await listOperationsForVm(ctx.db, ctx.realm.id, ctx.vm.id);
  const userIds = [...new Set(operations.map((o) => o.requestedById).filter((id): id is string => id !== null))];
  const users = await ctx.platformDb.user.findMany({ where: { id: { in: userIds } }, select: { id: true, name: true } });
  const names = new Map(users.map((u) => [u.id, u.name]));
  return operations.map((o) => ({
    ...o,
    requestedBy: o.requestedById ? (names.get(o.requestedById) ?? "unknown") : "system",
    durationMs: o.finishedAt && o.startedAt ? o.finishedAt.getTime() - o.startedAt.getTime() : null,
  }));
});
