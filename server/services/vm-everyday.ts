import { randomUUID } from "node:crypto";
import type { Tx } from "../db/client";
import { DomainError } from "../errors";
import { decideResize, decideRevert, defaultSnapshotName, savedState, snapshotSizeGb } from "../policy/everyday";
import { quotaNeed } from "../policy/quotas";
import { recordDecision } from "../repositories/audit";
import type { PageRequest } from "../repositories/pagination";
import { insertDisk, reserveDisk } from "../repositories/devices";
import { lockPlacement, unsafeListHostCapacity } from "../repositories/hosts";
import { deleteSnapshotRow, insertSnapshot, listSnapshots, listVmDisks, lockSnapshot, setSnapshotStatus } from "../repositories/snapshots";
import { findVmTemplateAndSize, lockVm, renameVm, type LockedVm } from "../repositories/vms";
import { enqueue, lockForAction, requestVmCreate, type Actor } from "./lifecycle";
import { reserve as reserveQuota } from "./quotas";

/**
 * Everyday VM work (issue 14): rename, resize, clone and snapshots. Like every lifecycle request:
 * the VM is locked inside the caller's realm transaction, the state machine decides, and the
 * operation (the outbox), the VM's pending state, the audit record and any quota reservation
 * commit together. Rename needs no host: the domain's name is not in its xenstore here.
 *
 * Threat: a member reaching another realm's VM or snapshot, or outgrowing the realm's quota.
 * Every lookup names the realm (a foreign id answers like a missing one); reservations are the
 * one conditional UPDATE of the realm's quota row (services/quotas.ts), so concurrent requests
 * cannot overshoot; the host checks the acting realm's management domain again (XSM).
 */

type Target = { realmId: string; subjectRealmId: string; vmId: string; actor: Actor; rule: string; locked?: LockedVm };

function guestOnly(vm: LockedVm): void {
  if (vm.kind === "management") throw new DomainError("precondition_failed", "the realm's management VM is run by the platform: members cannot change it");
}

export async function renameVmRequest(tx: Tx, args: Target & { name: string }): Promise<{ vmId: string; name: string }> {
  const vm = args.locked ?? (await lockVm(tx, args.realmId, args.vmId));
  if (!vm) throw new DomainError("not_found", "VM not found");
  guestOnly(vm);
  if (vm.observedState === "destroyed") throw new DomainError("precondition_failed", "cannot rename a VM that is destroyed");
  if (vm.name === args.name) return { vmId: vm.id, name: vm.name };
  await renameVm(tx, args.realmId, vm.id, args.name);
  await recordDecision(tx, {
    realmId: args.realmId,
    actorId: args.actor.userId,
    actorTokenId: args.actor.tokenId ?? null,
    action: "vm.rename",
    targetType: "vm",
    targetId: vm.id,
    decision: "allow",
    layer: "trpc",
    reason: `${args.rule}; ${vm.name} → ${args.name}`,
    requestId: args.actor.requestId,
    details: { from: vm.name, to: args.name },
  });
  return { vmId: vm.id, name: args.name };
}

/**
 * Reserves what the resize adds (and the host's room for it) now; the VM's row takes the new
 * size, and what it gives back is released, once the host applied it (worker/dispatcher.ts).
 */
export async function requestVmResize(tx: Tx, platform: Tx, args: Target & { vcpus?: number; memoryMb?: number }): Promise<{ operationId: string }> {
  const { vm, state, pending } = await lockForAction(tx, args.realmId, args.vmId, "resize", args.locked);
  const decision = decideResize({ state, vcpus: vm.vcpus, memoryMb: vm.memoryMb }, { vcpus: args.vcpus, memoryMb: args.memoryMb });
  if (!decision.allowed) throw new DomainError(decision.field ? "bad_input" : "precondition_failed", decision.message, decision.field ? { field: decision.field } : {});
  const { size, adds } = decision;
  if (adds.vcpus > 0 || adds.memoryMb > 0) {
    await reserveQuota(tx, args.realmId, "resize", quotaNeed("resize", adds));
    await lockPlacement(tx);
    const host = (await unsafeListHostCapacity(platform)).find((h) => h.id === vm.hostId);
    if (host && (host.vcpus - host.usedVcpus < adds.vcpus || host.memoryMb - host.usedMemoryMb < adds.memoryMb)) {
      throw new DomainError("precondition_failed", `the VM's host has no room for ${adds.vcpus} more vCPU and ${adds.memoryMb} more MiB; migrate it first`, {
        field: adds.memoryMb > 0 ? "memoryMb" : "vcpus",
      });
    }
  }
  const operationId = await enqueue(tx, {
    ...args,
    action: "resize",
    reason: `${args.rule}; ${vm.vcpus} vCPU ${vm.memoryMb} MiB → ${size.vcpus} vCPU ${size.memoryMb} MiB`,
    fromState: state,
    params: { size, from: { vcpus: vm.vcpus, memoryMb: vm.memoryMb } },
    vmState: { observedState: pending },
  });
  return { operationId };
}

/**
 * A new VM from a stopped one: the same template and size, a copy of each of its disks
 * (new disks of the same size, attached to the clone once its domain is built), placed like a
 * create (capacity, Chinese Wall), the VM and the disks reserved against the quota in this
 * transaction.
 */
export async function requestVmClone(tx: Tx, platform: Tx, args: Target & { name: string }): Promise<{ vmId: string; operationId: string; diskIds: string[] }> {
  const source = args.locked ?? (await lockVm(tx, args.realmId, args.vmId));
  if (!source) throw new DomainError("not_found", "VM not found");
  guestOnly(source);
  if (source.openOperation) throw new DomainError("conflict", `another operation is in flight on this VM: ${source.openOperation.action} (${source.openOperation.id})`, { operationId: source.openOperation.id });
  if (source.observedState !== "stopped") throw new DomainError("precondition_failed", `cannot clone a VM that is ${source.observedState} (allowed when stopped)`, { state: source.observedState });
  const row = await findVmTemplateAndSize(tx, args.realmId, source.id);
  if (!row?.templateId) throw new DomainError("precondition_failed", "the VM has no template to clone from");
  const disks = await listVmDisks(tx, args.realmId, source.id);
  const copies = disks.map((d) => ({ id: randomUUID(), name: `${args.name}-${d.name}`.slice(0, 63).replace(/-+$/, ""), sizeGb: d.sizeGb }));
  const created = await requestVmCreate(tx, platform, {
    realmId: args.realmId,
    name: args.name,
    templateId: row.templateId,
    vcpus: source.vcpus,
    memoryMb: source.memoryMb,
    actor: args.actor,
    rule: `${args.rule}; clone of ${source.name}${copies.length ? ` with ${copies.length} disk(s)` : ""}`,
    params: { cloneOf: source.id, ...(copies.length ? { diskIds: copies.map((c) => c.id) } : {}) },
  });
  const diskGb = copies.reduce((sum, c) => sum + c.sizeGb, 0);
  if (diskGb > 0) await reserveQuota(tx, args.realmId, "disk", quotaNeed("disk", { sizeGb: diskGb }));
  for (const copy of copies) {
    await insertDisk(tx, { realmId: args.realmId, id: copy.id, name: copy.name, sizeGb: copy.sizeGb });
    await reserveDisk(tx, args.realmId, copy.id, created.vmId);
  }
  return { ...created, diskIds: copies.map((c) => c.id) };
}

/** A snapshot of a running, paused or stopped VM; its storage reserved now, released if the host refuses. */
export async function requestSnapshot(tx: Tx, args: Target & { name?: string }): Promise<{ operationId: string; snapshotId: string }> {
  const { vm, state, pending } = await lockForAction(tx, args.realmId, args.vmId, "snapshot", args.locked);
  const saved = savedState(state)!;
  const disks = await listVmDisks(tx, args.realmId, vm.id);
  const sizeGb = snapshotSizeGb(vm.memoryMb, disks);
  await reserveQuota(tx, args.realmId, "snapshot", quotaNeed("snapshot", { sizeGb }));
  const snapshotId = randomUUID();
  const name = args.name ?? defaultSnapshotName(new Date());
  await insertSnapshot(tx, { realmId: args.realmId, id: snapshotId, vmId: vm.id, name, vmState: saved, vcpus: vm.vcpus, memoryMb: vm.memoryMb, sizeGb, diskIds: disks.map((d) => d.id) });
  const operationId = await enqueue(tx, {
    ...args,
    action: "snapshot",
    reason: `${args.rule}; snapshot ${name} (${saved}, ${sizeGb} GiB)`,
    fromState: state,
    params: { snapshotId },
    vmState: { observedState: pending },
  });
  return { operationId, snapshotId };
}

async function snapshotOf(tx: Tx, args: Target & { snapshotId: string }) {
  const snapshot = await lockSnapshot(tx, args.realmId, args.vmId, args.snapshotId);
  if (!snapshot) throw new DomainError("not_found", "snapshot not found");
  return snapshot;
}

/** Back to a snapshot: the VM ends in the state it was saved in (a running VM reverted to a stopped snapshot stops). */
export async function requestRevert(tx: Tx, args: Target & { snapshotId: string }): Promise<{ operationId: string }> {
  const { vm, state, pending } = await lockForAction(tx, args.realmId, args.vmId, "revert", args.locked);
  const snapshot = await snapshotOf(tx, args);
  const decision = decideRevert(vm, snapshot);
  if (!decision.allowed) throw new DomainError("precondition_failed", decision.message);
  const operationId = await enqueue(tx, {
    ...args,
    action: "revert",
    reason: `${args.rule}; to snapshot ${snapshot.name} (${snapshot.vmState})`,
    fromState: state,
    params: { snapshotId: snapshot.id, revertTo: snapshot.vmState },
    vmState: { observedState: pending, desiredState: snapshot.vmState },
  });
  return { operationId };
}

/** Discards a snapshot on the host; the record (and its storage) goes once the host confirmed. */
export async function requestDeleteSnapshot(tx: Tx, args: Target & { snapshotId: string }): Promise<{ operationId: string }> {
  const { state, pending } = await lockForAction(tx, args.realmId, args.vmId, "delete-snapshot", args.locked);
  const snapshot = await snapshotOf(tx, args);
  if (snapshot.status !== "ready") throw new DomainError("precondition_failed", `snapshot ${snapshot.name} is ${snapshot.status === "creating" ? "still being taken" : "already being deleted"}`);
  await setSnapshotStatus(tx, args.realmId, snapshot.id, "deleting");
  const operationId = await enqueue(tx, {
    ...args,
    action: "delete-snapshot",
    reason: `${args.rule}; snapshot ${snapshot.name}`,
    fromState: state,
    params: { snapshotId: snapshot.id },
    vmState: { observedState: pending },
  });
  return { operationId };
}

export function vmSnapshots(db: Tx, realmId: string, vmId: string, page: PageRequest) {
  return listSnapshots(db, realmId, vmId, page);
}

/**
 * What settling a snapshot operation does to its record (the worker, in the settling
 * transaction): a snapshot taken becomes ready, one the host refused goes (its storage with
 * it); a deletion confirmed removes the record, a refused one leaves it ready.
 */
export async function settleSnapshot(tx: Tx, realmId: string, action: "snapshot" | "delete-snapshot", snapshotId: string, succeeded: boolean): Promise<void> {
  if (action === "snapshot") {
    if (succeeded) await setSnapshotStatus(tx, realmId, snapshotId, "ready");
    else await deleteSnapshotRow(tx, realmId, snapshotId);
  } else if (succeeded) await deleteSnapshotRow(tx, realmId, snapshotId);
  else await setSnapshotStatus(tx, realmId, snapshotId, "ready");
}
