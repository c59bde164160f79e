import { createVmInput } from "../../../contracts/vm";
import { ACTION_PERMISSION } from "../../../policy/lifecycle";
import { requestVmCreate } from "../../../services/lifecycle";
import { realmInput } from "../../trpc";

export const create = realmInput(ACTION_PERMISSION.create, createVmInput).mutation(({ ctx, input }) => {
  const { idempotencyKey: _key, ...spec } = input;
  return requestVmCreate(ctx.db, ctx.platformDb, {
    realmId: ctx.realm.id,
    ...spec,
    actor: { userId: ctx.user.id, requestId: ctx.requestId, breakGlassGrantId: ctx.breakGlassId },
    rule: ctx.permissionRule,
  });
});
