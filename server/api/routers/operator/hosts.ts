import { unsafeListHostCapacity } from "../../../repositories/hosts";
import { operatorProcedure } from "../../trpc";

export const hosts = operatorProcedure.query(async ({ ctx }) => {
  const capacity = await unsafeListHostCapacity(ctx.platformDb);
  const rows = await ctx.platformDb.host.findMany({ select: { id: true, agentUrl: true, lastSeenAt: true, lastError: true } });
  const byId = new Map(rows.map((r) => [r.id, r]));
  return capacity.map((h) => ({ ...h, ...byId.get(h.id)! }));
});
