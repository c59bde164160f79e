import type { Permission } from "../../../policy/permissions";
import { vmMutationInput } from "../../../contracts/vm";
import { idempotent } from "../../../services/idempotency";
import { requestVmAction } from "../../../services/lifecycle";
import { vmAction } from "../../trpc";

/** start / stop / destroy: the same shape, each behind its own permission, each idempotent. */
function lifecycleProcedure(action: "start" | "stop" | "destroy") {
  const permission: Permission = `vm.${action}`;
  return vmAction(permission, vmMutationInput).mutation(({ ctx, input }) =>
    idempotent(ctx.db, { realmId: ctx.realm.id, userId: ctx.user.id, procedure: permission }, input, () =>
      requestVmAction(ctx.db, {
        realmId: ctx.vm.realmId,
        subjectRealmId: ctx.realm.id,
        vmId: ctx.vm.id,
        action,
        actor: { userId: ctx.user.id, requestId: ctx.requestId },
        rule: ctx.permissionRule,
      }),
    ),
  );
}

export const start = lifecycleProcedure("start");
export const stop = lifecycleProcedure("stop");
export const destroy = lifecycleProcedure("destroy");
