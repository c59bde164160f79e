import { acceptedOutput, migrationAcceptedOutput } from "../../../contracts/api";
import { vmMigrateInput, vmMutationInput, vmStopInput } from "../../../contracts/vm";
import { ACTION_PERMISSION } from "../../../policy/lifecycle";
import { requestVmAction, requestVmMigrate } from "../../../services/lifecycle";
import { vmAction } from "../../trpc";
import { vmTarget } from "../actor-scope";

/** A lifecycle request on the REST surface: POST /vms/{vmId}/<action>, answered 202 (api/rest.ts). */
const accepted = (action: string, summary: string, description?: string) => ({
  awaits: "accepted" as const,
  // The VM's lock and one write, by key: cached generic plans (issue 12).
  genericPlans: true,
  openapi: { method: "POST" as const, path: `/vms/{vmId}/${action}` as const, tags: ["VM lifecycle"], summary, description },
});

/** start / pause / resume / reboot / destroy: the same shape, each behind its own permission. */
function lifecycleProcedure(action: "start" | "pause" | "resume" | "reboot" | "destroy", summary: string) {
  return vmAction(ACTION_PERMISSION[action], vmMutationInput)
    .meta(accepted(action, summary))
    .output(acceptedOutput)
    .mutation(({ ctx }) => requestVmAction(ctx.db, { ...vmTarget(ctx), action }));
}

export const start = lifecycleProcedure("start", "Start a stopped VM");
export const pause = lifecycleProcedure("pause", "Pause a running VM");
export const resume = lifecycleProcedure("resume", "Resume a paused VM");
export const reboot = lifecycleProcedure("reboot", "Reboot a running VM");
export const destroy = lifecycleProcedure("destroy", "Destroy a VM and its domain");

/** Clean stop (shutdown) or hard stop (the domain is destroyed and rebuilt, stopped). */
export const stop = vmAction(ACTION_PERMISSION.stop, vmStopInput)
  .meta(accepted("stop", "Stop a VM", "`mode`: clean (the guest shuts down) or hard (the domain is destroyed and rebuilt, stopped)."))
  .output(acceptedOutput)
  .mutation(({ ctx, input }) => requestVmAction(ctx.db, { ...vmTarget(ctx), action: "stop", mode: input.mode }));

/** Live migration to a host the member chose among vm.migrationHosts, or chosen by placement (capacity, Chinese Wall). */
export const migrate = vmAction(ACTION_PERMISSION.migrate, vmMigrateInput)
  .meta(
    accepted(
      "migrate",
      "Live-migrate a VM",
      "`destinationHostId`: one of `GET /vms/{vmId}/migration-hosts`; without it, placement chooses (capacity, Chinese Wall). A host placement does not allow is refused (412), whatever the reason.",
    ),
  )
  .output(migrationAcceptedOutput)
  .mutation(({ ctx, input }) => requestVmMigrate(ctx.db, ctx.platformDb, { ...vmTarget(ctx), destinationHostId: input.destinationHostId }));
