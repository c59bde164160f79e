import { createVmInput } from "../../../contracts/vm";
import { idempotent } from "../../../services/idempotency";
import { requestVmCreate } from "../../../services/lifecycle";
import { realmAction } from "../../trpc";

export const create = realmAction("vm.create")
  .input(createVmInput)
  .mutation(({ ctx, input }) =>
    idempotent(ctx.db, { realmId: ctx.realm.id, userId: ctx.user.id, procedure: "vm.create" }, input, () => {
      const { idempotencyKey: _key, ...spec } = input;
      return requestVmCreate(ctx.db, ctx.platformDb, {
        realmId: ctx.realm.id,
        ...spec,
        actor: { userId: ctx.user.id, requestId: ctx.requestId },
        rule: ctx.permissionRule,
      });
    }),
  );
