import { createVmInput } from "../../../contracts/vm";
import { requestVmCreate } from "../../../services/lifecycle";
import { realmAction } from "../../trpc";

export const create = realmAction("vm.create")
  .input(createVmInput)
  .mutation(({ ctx, input }) =>
    requestVmCreate(ctx.db, ctx.platformDb, {
      realmId: ctx.realm.id,
      ...input,
      actor: { userId: ctx.user.id, requestId: ctx.requestId },
      rule: ctx.permissionRule,
    }),
  );
