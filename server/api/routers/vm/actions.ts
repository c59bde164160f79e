import { vmMutationInput, vmStopInput } from "../../../contracts/vm";
import type { Permission } from "../../../policy/permissions";
import { idempotent } from "../../../services/idempotency";
import { requestVmAction, requestVmMigrate } from "../../../services/lifecycle";
import { vmAction } from "../../trpc";

/** start / pause / resume / reboot / destroy: the same shape, each behind its own permission, each idempotent. */
function lifecycleProcedure(action: "start" | "pause" | "resume" | "reboot" | "destroy") {
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
export const pause = lifecycleProcedure("pause");
export const resume = lifecycleProcedure("resume");
export const reboot = lifecycleProcedure("reboot");
export const destroy = lifecycleProcedure("destroy");

/** Clean stop (shutdown) or hard stop (the domain is destroyed and rebuilt, stopped). */
export const stop = vmAction("vm.stop", vmStopInput).mutation(({ ctx, input }) =>
  idempotent(ctx.db, { realmId: ctx.realm.id, userId: ctx.user.id, procedure: "vm.stop" }, input, () =>
    requestVmAction(ctx.db, {
      realmId: ctx.vm.realmId,
      subjectRealmId: ctx.realm.id,
      vmId: ctx.vm.id,
      action: "stop",
      mode: input.mode,
      actor: { userId: ctx.user.id, requestId: ctx.requestId },
      rule: ctx.permissionRule,
    }),
  ),
);

/** Live migration to another host, chosen by placement (capacity, Chinese Wall). */
export const migrate = vmAction("vm.migrate", vmMutationInput).mutation(({ ctx, input }) =>
  idempotent(ctx.db, { realmId: ctx.realm.id, userId: ctx.user.id, procedure: "vm.migrate" }, input, () =>
    requestVmMigrate(ctx.db, ctx.platformDb, {
      realmId: ctx.vm.realmId,
      subjectRealmId: ctx.realm.id,
      vmId: ctx.vm.id,
      actor: { userId: ctx.user.id, requestId: ctx.requestId },
      rule: ctx.permissionRule,
    }),
  ),
);
