import { listOperationsForVm } from "../../../repositories/operations";
import { unsafeUserNames } from "../../../repositories/users";
import { vmAction } from "../../trpc";

/** The VM's action history: who, what, when, result, duration. */
export const history = vmAction("vm.read").query(async ({ ctx }) => {
  const operations = await listOperationsForVm(ctx.db, ctx.realm.id, ctx.vm.id);
  const names = await unsafeUserNames(ctx.platformDb, [...new Set(operations.map((o) => o.requestedById).filter((id): id is string => id !== null))]);
  return operations.map((o) => ({
    ...o,
    requestedBy: o.requestedById ? (names.get(o.requestedById)?.name ?? "unknown") : "system",
    durationMs: o.finishedAt && o.startedAt ? o.finishedAt.getTime() - o.startedAt.getTime() : null,
  }));
});
