import { vmMutationInput, vmStopInput } from "../../../contracts/vm";
import { ACTION_PERMISSION } from "../../../policy/lifecycle";
import { requestVmAction, requestVmMigrate } from "../../../services/lifecycle";
import { vmAction } from "../../trpc";

type Ctx = { realm: { id: string }; vm: { id: string; realmId: string }; user: { id: string }; requestId: string; permissionRule: string; breakGlassId: string | null };

/** The VM's realm, the acting realm (the caller's), the actor and the rule that allowed it. */
const target = (ctx: Ctx) => ({
  realmId: ctx.vm.realmId,
  subjectRealmId: ctx.realm.id,
  vmId: ctx.vm.id,
  actor: { userId: ctx.user.id, requestId: ctx.requestId, breakGlassGrantId: ctx.breakGlassId },
  rule: ctx.permissionRule,
});

/** start / pause / resume / reboot / destroy: the same shape, each behind its own permission. */
function lifecycleProcedure(action: "start" | "pause" | "resume" | "reboot" | "destroy") {
  return vmAction(ACTION_PERMISSION[action], vmMutationInput).mutation(({ ctx }) => requestVmAction(ctx.db, { ...target(ctx), action }));
}

export const start = lifecycleProcedure("start");
export const pause = lifecycleProcedure("pause");
export const resume = lifecycleProcedure("resume");
export const reboot = lifecycleProcedure("reboot");
export const destroy = lifecycleProcedure("destroy");

/** Clean stop (shutdown) or hard stop (the domain is destroyed and rebuilt, stopped). */
export const stop = vmAction(ACTION_PERMISSION.stop, vmStopInput).mutation(({ ctx, input }) =>
  requestVmAction(ctx.db, { ...target(ctx), action: "stop", mode: input.mode }),
);

/** Live migration to another host, chosen by placement (capacity, Chinese Wall). */
export const migrate = vmAction(ACTION_PERMISSION.migrate, vmMutationInput).mutation(({ ctx }) => requestVmMigrate(ctx.db, ctx.platformDb, target(ctx)));
