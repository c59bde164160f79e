import type { Permission } from "../../../policy/permissions";
import { requestVmAction } from "../../../services/lifecycle";
import { vmAction } from "../../trpc";

/** start / stop / destroy: the same shape, each behind its own permission. */
function lifecycleProcedure(action: "start" | "stop" | "destroy") {
  const permission: Permission = `vm.${action}`;
  return vmAction(permission).mutation(({ ctx }) =>
    requestVmAction(ctx.db, {
      realmId: ctx.vm.realmId,
      subjectRealmId: ctx.realm.id,
      vmId: ctx.vm.id,
      action,
      actor: { userId: ctx.user.id, requestId: ctx.requestId },
      rule: ctx.permissionRule,
    }),
  );
}

export const start = lifecycleProcedure("start");
export const stop = lifecycleProcedure("stop");
export const destroy = lifecycleProcedure("destroy");
