import { unsafeListHostCapacity, unsafeListHosts } from "../../../repositories/hosts";
import { operatorProcedure } from "../../trpc";

export const hosts = operatorProcedure.query(async ({ ctx }) => {
  const capacity = await unsafeListHostCapacity(ctx.platformDb);
  const byId = new Map((await unsafeListHosts(ctx.platformDb)).map((r) => [r.id, r]));
  return capacity.map((h) => ({ ...h, ...byId.get(h.id)! }));
});
