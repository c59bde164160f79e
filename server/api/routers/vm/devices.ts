import { acceptedOutput } from "../../../contracts/api";
import { vmAttachDiskInput, vmAttachNetworkInput, vmDiskInput, vmNetworkInput } from "../../../contracts/vm";
import { ACTION_PERMISSION } from "../../../policy/lifecycle";
import { auditedDeviceLookup } from "../../../services/audit-foreign";
import { requestAttachDisk, requestAttachNetwork, requestDetachDisk, requestDetachNetwork } from "../../../services/devices";
import { vmAction } from "../../trpc";
import { vmTarget } from "../actor-scope";

/** PV devices: the disk or network is looked up inside the caller's realm, like the VM (another realm's id, a driver domain's too, is audited for operators: services/audit-foreign.ts). */

/** A device request on the REST surface: answered 202 with the operation's Location (api/rest.ts). */
const accepted = (method: "POST" | "DELETE", path: `/vms/{vmId}/${string}`, summary: string) => ({
  awaits: "accepted" as const,
  openapi: { method, path, tags: ["Devices"], summary },
});

export const attachDisk = vmAction(ACTION_PERMISSION["attach-disk"], vmAttachDiskInput)
  .meta(accepted("POST", "/vms/{vmId}/disks", "Attach a disk of the realm to a VM"))
  .output(acceptedOutput)
  .mutation(({ ctx, input }) =>
    auditedDeviceLookup(ctx, "disk", input.diskId, "vm.attach-disk", () =>
      auditedDeviceLookup(ctx, "driver-domain", input.backendId, "vm.attach-disk", () => requestAttachDisk(ctx.db, { ...vmTarget(ctx), diskId: input.diskId, backendId: input.backendId })),
    ),
  );
export const detachDisk = vmAction(ACTION_PERMISSION["detach-disk"], vmDiskInput)
  .meta(accepted("DELETE", "/vms/{vmId}/disks/{diskId}", "Detach a disk from a VM"))
  .output(acceptedOutput)
  .mutation(({ ctx, input }) => auditedDeviceLookup(ctx, "disk", input.diskId, "vm.detach-disk", () => requestDetachDisk(ctx.db, { ...vmTarget(ctx), diskId: input.diskId })));
export const attachNetwork = vmAction(ACTION_PERMISSION["attach-net"], vmAttachNetworkInput)
  .meta(accepted("POST", "/vms/{vmId}/networks", "Attach a VM to a network of the realm"))
  .output(acceptedOutput)
  .mutation(({ ctx, input }) =>
    auditedDeviceLookup(ctx, "network", input.networkId, "vm.attach-net", () =>
      auditedDeviceLookup(ctx, "driver-domain", input.backendId, "vm.attach-net", () => requestAttachNetwork(ctx.db, { ...vmTarget(ctx), networkId: input.networkId, backendId: input.backendId })),
    ),
  );
export const detachNetwork = vmAction(ACTION_PERMISSION["detach-net"], vmNetworkInput)
  .meta(accepted("DELETE", "/vms/{vmId}/networks/{networkId}", "Detach a VM from a network"))
  .output(acceptedOutput)
  .mutation(({ ctx, input }) => auditedDeviceLookup(ctx, "network", input.networkId, "vm.detach-net", () => requestDetachNetwork(ctx.db, { ...vmTarget(ctx), networkId: input.networkId })));
