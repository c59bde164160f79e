import { randomUUID } from "node:crypto";
import type { Tx } from "../db/client";
import { Prisma } from "../generated/prisma/client";
import { DomainError } from "../api/errors";
import { recordDecision } from "../repositories/audit";
import { enqueue, lockForAction, type Actor } from "./lifecycle";

/**
 * A realm's disks and networks, and attaching them to its VMs (PV blkback/netback on the host).
 * Every lookup names the realm; the schema ties an attachment to a VM of the same realm, and
 * the host checks `resource use` on the disk's or network's label with the acting realm's
 * management domain as subject. Runs in the caller's realm transaction.
 */

type Scope = { realmId: string; actor: Actor; rule: string };

async function audit(tx: Tx, scope: Scope, action: string, targetType: string, targetId: string, reason: string) {
  await recordDecision(tx, {
    realmId: scope.realmId,
    actorId: scope.actor.userId,
    action,
    targetType,
    targetId,
    decision: "allow",
    layer: "trpc",
    reason,
    requestId: scope.actor.requestId,
  });
}

function duplicateName(error: unknown, what: string): never {
  if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
    throw new DomainError("bad_input", `name: a ${what} with this name already exists in your realm`, { field: "name" });
  }
  throw error;
}

export async function createDisk(tx: Tx, scope: Scope, input: { name: string; sizeGb: number }) {
  const id = randomUUID();
  await tx.disk.create({ data: { realmId: scope.realmId, id, name: input.name, sizeGb: input.sizeGb } }).catch((e: unknown) => duplicateName(e, "disk"));
  await audit(tx, scope, "disk.create", "disk", id, `${scope.rule}; ${input.sizeGb} GiB`);
  return { diskId: id };
}

export async function deleteDisk(tx: Tx, scope: Scope, diskId: string) {
  const disk = await tx.disk.findUnique({ where: { realmId_id: { realmId: scope.realmId, id: diskId } } });
  if (!disk) throw new DomainError("not_found", "disk not found");
  if (disk.vmId) throw new DomainError("precondition_failed", "the disk is attached to a VM: detach it first");
  await tx.disk.delete({ where: { realmId_id: { realmId: scope.realmId, id: diskId } } });
  await audit(tx, scope, "disk.delete", "disk", diskId, scope.rule);
  return { deleted: true };
}

export async function createNetwork(tx: Tx, scope: Scope, input: { name: string }) {
  const id = randomUUID();
  await tx.network.create({ data: { realmId: scope.realmId, id, name: input.name } }).catch((e: unknown) => duplicateName(e, "network"));
  await audit(tx, scope, "network.create", "network", id, scope.rule);
  return { networkId: id };
}

export async function deleteNetwork(tx: Tx, scope: Scope, networkId: string) {
  const network = await tx.network.findUnique({ where: { realmId_id: { realmId: scope.realmId, id: networkId } }, include: { _count: { select: { vms: true } } } });
  if (!network) throw new DomainError("not_found", "network not found");
  if (network._count.vms > 0) throw new DomainError("precondition_failed", "VMs are attached to the network: detach them first");
  await tx.network.delete({ where: { realmId_id: { realmId: scope.realmId, id: networkId } } });
  await audit(tx, scope, "network.delete", "network", networkId, scope.rule);
  return { deleted: true };
}

type DeviceArgs = Scope & { subjectRealmId: string; vmId: string };

async function startDeviceOperation(tx: Tx, args: DeviceArgs, action: "attach-disk" | "detach-disk" | "attach-net" | "detach-net", params: { diskId?: string; networkId?: string }, reason: string) {
  const { state, pending } = await lockForAction(tx, args.realmId, args.vmId, action);
  await tx.vm.update({
    where: { realmId_id: { realmId: args.realmId, id: args.vmId } },
    data: { observedState: pending, stateReason: null, updatedAt: new Date() },
  });
  const operationId = await enqueue(tx, { ...args, action, reason: `${args.rule}; ${reason}`, fromState: state, params });
  return { operationId };
}

export async function requestAttachDisk(tx: Tx, args: DeviceArgs & { diskId: string }) {
  const [disk] = await tx.$queryRaw<{ vm_id: string | null; name: string }[]>`
    SELECT vm_id, name FROM disks WHERE realm_id = ${args.realmId}::uuid AND id = ${args.diskId}::uuid FOR UPDATE`;
  if (!disk) throw new DomainError("not_found", "disk not found");
  if (disk.vm_id) throw new DomainError("conflict", disk.vm_id === args.vmId ? "the disk is already attached to this VM" : "the disk is attached to another VM");
  const started = await startDeviceOperation(tx, args, "attach-disk", { diskId: args.diskId }, `disk ${disk.name}`);
  // Reserved now, so a second attach of the same disk is refused; released if the host refuses.
  await tx.disk.update({ where: { realmId_id: { realmId: args.realmId, id: args.diskId } }, data: { vmId: args.vmId } });
  return started;
}

export async function requestDetachDisk(tx: Tx, args: DeviceArgs & { diskId: string }) {
  const disk = await tx.disk.findUnique({ where: { realmId_id: { realmId: args.realmId, id: args.diskId } } });
  if (!disk) throw new DomainError("not_found", "disk not found");
  if (disk.vmId !== args.vmId) throw new DomainError("precondition_failed", "the disk is not attached to this VM");
  return startDeviceOperation(tx, args, "detach-disk", { diskId: args.diskId }, `disk ${disk.name}`);
}

export async function requestAttachNetwork(tx: Tx, args: DeviceArgs & { networkId: string }) {
  const network = await tx.network.findUnique({ where: { realmId_id: { realmId: args.realmId, id: args.networkId } } });
  if (!network) throw new DomainError("not_found", "network not found");
  const attached = await tx.vmNetwork.findUnique({ where: { realmId_vmId_networkId: { realmId: args.realmId, vmId: args.vmId, networkId: args.networkId } } });
  if (attached) throw new DomainError("conflict", "the VM is already on this network");
  return startDeviceOperation(tx, args, "attach-net", { networkId: args.networkId }, `network ${network.name}`);
}

export async function requestDetachNetwork(tx: Tx, args: DeviceArgs & { networkId: string }) {
  const network = await tx.network.findUnique({ where: { realmId_id: { realmId: args.realmId, id: args.networkId } } });
  if (!network) throw new DomainError("not_found", "network not found");
  const attached = await tx.vmNetwork.findUnique({ where: { realmId_vmId_networkId: { realmId: args.realmId, vmId: args.vmId, networkId: args.networkId } } });
  if (!attached) throw new DomainError("precondition_failed", "the VM is not on this network");
  return startDeviceOperation(tx, args, "detach-net", { networkId: args.networkId }, `network ${network.name}`);
}
