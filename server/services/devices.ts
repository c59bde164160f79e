import { randomUUID } from "node:crypto";
import type { Tx } from "../db/client";
import { DomainError } from "../errors";
import { quotaNeed } from "../policy/quotas";
import { deleteDisk as removeDisk, deleteNetwork as removeNetwork, findDisk, findNetwork, insertDisk, insertNetwork, isOnNetwork, lockDisk, reserveDisk } from "../repositories/devices";
import { setDiskBackend } from "../repositories/driver-domains";
import { ndvmOfNetwork } from "../repositories/network-rules";
import type { LockedVm } from "../repositories/vms";
import { enqueue, lockForAction } from "./lifecycle";
import { reserve as reserveQuota } from "./quotas";
import { chooseBackend } from "./backends";
import { auditAllowed, type MemberScope } from "./member-audit";

/**
 * A realm's disks and networks, and attaching them to its VMs (PV blkback/netback on the host).
 * Every lookup names the realm; the schema ties an attachment to a VM of the same realm, and
 * the host checks `resource use` on the disk's or network's label with the acting realm's
 * management domain as subject. Runs in the caller's realm transaction.
 */

type Scope = MemberScope;

const audit = auditAllowed;

export async function createDisk(tx: Tx, scope: Scope, input: { name: string; sizeGb: number }) {
  const id = randomUUID();
  // Reserved in this transaction; released by the database when the disk row is deleted.
  await reserveQuota(tx, scope.realmId, "disk", quotaNeed("disk", { sizeGb: input.sizeGb }));
  await insertDisk(tx, { realmId: scope.realmId, id, name: input.name, sizeGb: input.sizeGb });
  await audit(tx, scope, "disk.create", "disk", id, `${scope.rule}; ${input.sizeGb} GiB`);
  return { diskId: id };
}

export async function deleteDisk(tx: Tx, scope: Scope, diskId: string) {
  const disk = await findDisk(tx, scope.realmId, diskId);
  if (!disk) throw new DomainError("not_found", "disk not found");
  if (disk.vmId) throw new DomainError("precondition_failed", "the disk is attached to a VM: detach it first");
  await removeDisk(tx, scope.realmId, diskId);
  await audit(tx, scope, "disk.delete", "disk", diskId, scope.rule);
  return { deleted: true };
}

export async function createNetwork(tx: Tx, scope: Scope, input: { name: string }) {
  const id = randomUUID();
  await reserveQuota(tx, scope.realmId, "network", quotaNeed("network"));
  await insertNetwork(tx, { realmId: scope.realmId, id, name: input.name });
  await audit(tx, scope, "network.create", "network", id, scope.rule);
  return { networkId: id };
}

export async function deleteNetwork(tx: Tx, scope: Scope, networkId: string) {
  const network = await findNetwork(tx, scope.realmId, networkId);
  if (!network) throw new DomainError("not_found", "network not found");
  if (network.attachedVms > 0) throw new DomainError("precondition_failed", "VMs are attached to the network: detach them first");
  await removeNetwork(tx, scope.realmId, networkId);
  await audit(tx, scope, "network.delete", "network", networkId, scope.rule);
  return { deleted: true };
}

/** `locked`: the VM as the procedure chain already locked it in this transaction (else it is locked here). */
type DeviceArgs = Scope & { subjectRealmId: string; vmId: string; locked?: LockedVm };

/** `backendId`: attach through this driver domain of the realm (checked here: own, running, on the VM's host). */
async function startDeviceOperation(
  tx: Tx,
  args: DeviceArgs,
  action: "attach-disk" | "detach-disk" | "attach-net" | "detach-net",
  params: { diskId?: string; networkId?: string },
  reason: string,
  backendId?: string,
) {
  const { state, pending, vm } = await lockForAction(tx, args.realmId, args.vmId, action, args.locked);
  const backend = await chooseBackend(tx, args.realmId, backendId, vm.hostId);
  // Blocks through an untrusted backend are sealed (server/xen/block-data.ts); network frames are not.
  const untrusted = action === "attach-disk" ? "untrusted backend, encrypted" : "untrusted backend";
  const through = backend ? { params: { ...params, backendId: backend.id }, reason: `${reason} through driver domain ${backend.name} (${untrusted})` } : { params, reason };
  const operationId = await enqueue(tx, { ...args, action, reason: `${args.rule}; ${through.reason}`, fromState: state, params: through.params, vmState: { observedState: pending } });
  return { operationId };
}

export async function requestAttachDisk(tx: Tx, args: DeviceArgs & { diskId: string; backendId?: string }) {
  const disk = await lockDisk(tx, args.realmId, args.diskId);
  if (!disk) throw new DomainError("not_found", "disk not found");
  if (disk.vmId) throw new DomainError("conflict", disk.vmId === args.vmId ? "the disk is already attached to this VM" : "the disk is attached to another VM");
  const started = await startDeviceOperation(tx, args, "attach-disk", { diskId: args.diskId }, `disk ${disk.name}`, args.backendId);
  // Reserved now, so a second attach of the same disk is refused; released if the host refuses.
  await reserveDisk(tx, args.realmId, args.diskId, args.vmId);
  if (args.backendId) await setDiskBackend(tx, args.realmId, args.diskId, args.backendId);
  return started;
}

export async function requestDetachDisk(tx: Tx, args: DeviceArgs & { diskId: string }) {
  const disk = await findDisk(tx, args.realmId, args.diskId);
  if (!disk) throw new DomainError("not_found", "disk not found");
  if (disk.vmId !== args.vmId) throw new DomainError("precondition_failed", "the disk is not attached to this VM");
  return startDeviceOperation(tx, args, "detach-disk", { diskId: args.diskId }, `disk ${disk.name}`);
}

export async function requestAttachNetwork(tx: Tx, args: DeviceArgs & { networkId: string; backendId?: string }) {
  const network = await findNetwork(tx, args.realmId, args.networkId);
  if (!network) throw new DomainError("not_found", "network not found");
  if (await isOnNetwork(tx, args.realmId, args.vmId, args.networkId)) throw new DomainError("conflict", "the VM is already on this network");
  // A network with an NDVM (issue 15 part 4): its guests' vifs are served by the NDVM, no other backend.
  const ndvm = await ndvmOfNetwork(tx, args.realmId, args.networkId);
  if (ndvm && args.backendId !== undefined && args.backendId !== ndvm) {
    throw new DomainError("precondition_failed", `network ${network.name} is served by its NDVM: leave backendId out`);
  }
  return startDeviceOperation(tx, args, "attach-net", { networkId: args.networkId }, `network ${network.name}`, ndvm ?? args.backendId);
}

export async function requestDetachNetwork(tx: Tx, args: DeviceArgs & { networkId: string }) {
  const network = await findNetwork(tx, args.realmId, args.networkId);
  if (!network) throw new DomainError("not_found", "network not found");
  if (!(await isOnNetwork(tx, args.realmId, args.vmId, args.networkId))) throw new DomainError("precondition_failed", "the VM is not on this network");
  return startDeviceOperation(tx, args, "detach-net", { networkId: args.networkId }, `network ${network.name}`);
}
