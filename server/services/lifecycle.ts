import { randomUUID } from "node:crypto";
import type { Tx } from "../db/client";
import type { OperationParams } from "../policy/plan";
import { DomainError } from "../errors";
import { decideTransition, type LifecycleAction, type VmState } from "../policy/lifecycle";
import { quotaNeed } from "../policy/quotas";
import { unsafeConflictingRealms } from "../repositories/conflicts";
import { lockPlacement, lockPlacementShared, unsafeListHostCapacity } from "../repositories/hosts";
import { insertOperation } from "../repositories/operations";
import { driverDomainsServingVm } from "../repositories/driver-domains";
import { countSnapshots } from "../repositories/snapshots";
import { findGuestTemplate, findTemplate } from "../repositories/templates";
import { DUPLICATE_VM_NAME, insertVm, lockVm, setVmState, vmNameTaken, type LockedVm } from "../repositories/vms";
import { claimHost } from "./host-claim";
import { choosePlacement, type PlacementDecision } from "./placement";
import { reserve as reserveQuota } from "./quotas";

/**
 * Lifecycle requests: decide (state machine), then write the operation (the outbox), the VM's new
 * state and the audit record. Everything runs in the caller's transaction (the realm
 * transaction of a procedure), so it all commits together or not at all. The worker delivers the
 * operation later; the caller gets the operation id at once.
 */

/**
 * Who asks: a member (through an API token: its id), a platform operator under a break-glass
 * grant (its id), or the worker (null).
 */
export type Actor = { userId: string | null; requestId: string; breakGlassGrantId?: string | null; tokenId?: string | null };

/** How long the worker keeps retrying an operation before failing it. */
export const OPERATION_DEADLINE_MS = 60_000;

export async function enqueue(
  tx: Tx,
  args: {
    realmId: string;
    subjectRealmId: string;
    vmId: string;
    action: LifecycleAction;
    actor: Actor;
    reason: string;
    fromState?: VmState;
    params?: OperationParams;
    /** Who decided: the procedure chain for members' requests, the worker for reconciliation. */
    layer?: "trpc" | "worker";
    /** The state the VM shows from now on (it is locked by the caller), written with the operation. */
    vmState?: { observedState: VmState; desiredState?: VmState };
  },
): Promise<string> {
  const operationId = randomUUID();
  await insertOperation(
    tx,
    {
      id: operationId,
      realmId: args.realmId,
      subjectRealmId: args.subjectRealmId,
      vmId: args.vmId,
      fromState: args.fromState ?? null,
      params: args.params,
      action: args.action,
      requestedById: args.actor.userId,
      requestedByTokenId: args.actor.tokenId ?? null,
      requestId: args.actor.requestId,
      breakGlassGrantId: args.actor.breakGlassGrantId ?? null,
      deadlineAt: new Date(Date.now() + OPERATION_DEADLINE_MS),
    },
    {
      vmState: args.vmState,
      audit: {
        realmId: args.realmId,
        actorId: args.actor.userId,
        actorTokenId: args.actor.tokenId ?? null,
        action: `vm.${args.action}`,
        targetType: "vm",
        targetId: args.vmId,
        decision: "allow",
        layer: args.layer ?? "trpc",
        reason: args.reason,
        requestId: args.actor.requestId,
        details: { operationId },
      },
      event: { realmId: args.realmId, kind: "operation", vmId: args.vmId, operationId },
    },
  );
  return operationId;
}

/**
 * `realmId` is the VM's realm; `subjectRealmId` the realm acting (the caller's). The procedure
 * chain only ever passes equal ones; the hypervisor checks the pair again on its own.
 */
export async function requestVmAction(
  tx: Tx,
  args: {
    realmId: string;
    subjectRealmId: string;
    vmId: string;
    action: "start" | "stop" | "pause" | "resume" | "reboot" | "destroy";
    actor: Actor;
    rule: string;
    /** stop: "clean" (shutdown) or "hard" (destroy the domain and rebuild it stopped). */
    mode?: "clean" | "hard";
    /** The VM as the procedure chain already locked it in this transaction (else it is locked here). */
    locked?: LockedVm;
  },
): Promise<{ operationId: string }> {
  const { vm, state, pending, desired } = await lockForAction(tx, args.realmId, args.vmId, args.action, args.locked);
  if (args.action === "destroy") await refuseWithSnapshots(tx, args.realmId, args.vmId, "destroy");
  if (args.action === "start") refuseBeforeNdvms(vm);
  const operationId = await enqueue(tx, {
    ...args,
    reason: args.mode === "hard" ? `${args.rule}; hard stop` : args.rule,
    fromState: state,
    params: args.mode === "hard" ? { mode: "hard" } : undefined,
    vmState: { observedState: pending, desiredState: desired },
  });
  return { operationId };
}

/**
 * A VM's snapshots live on its host (saved images): destroying the VM or moving it away would
 * strand them, so both wait until its snapshots are deleted.
 */
async function refuseWithSnapshots(tx: Tx, realmId: string, vmId: string, action: "destroy" | "migrate"): Promise<void> {
  const n = await countSnapshots(tx, realmId, vmId);
  if (n > 0) throw new DomainError("precondition_failed", `cannot ${action} a VM that has snapshots (${n}): delete them first`, { snapshots: n });
}

/**
 * A driver domain runs on one host and serves only frontends there (its channels and grant
 * mappings are local to that hypervisor): a VM with a device served by one stays until the
 * device is detached or moved to the platform's backend.
 */
async function refuseWithDriverDomains(tx: Tx, realmId: string, vmId: string): Promise<void> {
  const serving = await driverDomainsServingVm(tx, realmId, vmId);
  if (serving.length > 0) {
    throw new DomainError("precondition_failed", `cannot migrate a VM whose devices are served by driver domain ${serving.join(", ")} (bound to its host): detach them first`, { driverDomains: serving });
  }
}

/**
 * Start ordering (issue 15 part 4): a guest on a network served by an NDVM has no network until
 * the NDVM runs, so it does not start before it.
 */
function refuseBeforeNdvms(vm: LockedVm): void {
  const waiting = vm.waitingNdvms;
  if (waiting.length > 0) {
    const list = waiting.map((w) => `NDVM ${w.ndvm} of network ${w.network} is ${w.state}`).join("; ");
    throw new DomainError("precondition_failed", `cannot start the VM before its NDVM runs: ${list}`, { ndvms: waiting });
  }
}

/**
 * Locks a member-driven VM (unless the caller already did, in this transaction) and checks that
 * nothing else is in flight and the state allows the action.
 */
export async function lockForAction(tx: Tx, realmId: string, vmId: string, action: LifecycleAction, alreadyLocked?: LockedVm) {
  const locked = alreadyLocked ?? (await lockVm(tx, realmId, vmId));
  if (!locked) throw new DomainError("not_found", "VM not found");
  if (locked.kind === "management") {
    throw new DomainError("precondition_failed", "the realm's management VM is run by the platform: members cannot drive it");
  }
  const open = locked.openOperation;
  if (open) {
    throw new DomainError("conflict", `another operation is in flight on this VM: ${open.action} (${open.id})`, { operationId: open.id });
  }
  const decision = decideTransition(action, locked.observedState);
  if (!decision.allowed) throw new DomainError("precondition_failed", decision.reason, { state: locked.observedState });
  return { vm: locked, state: locked.observedState, pending: decision.pending, desired: decision.desired };
}

/**
 * Live migration to another host, chosen by placement or by the member among the hosts placement
 * allows (capacity and the realm's Chinese Wall conflict sets, re-checked here at request time;
 * the destination's ACM checks again).
 */
export async function requestVmMigrate(
  tx: Tx,
  platform: Tx,
  args: { realmId: string; subjectRealmId: string; vmId: string; actor: Actor; rule: string; locked?: LockedVm; destinationHostId?: string },
): Promise<{ operationId: string; destinationHostId: string }> {
  const { destinationHostId, ...request } = args;
  const { vm, state, pending, desired } = await lockForAction(tx, args.realmId, args.vmId, "migrate", args.locked);
  await refuseWithSnapshots(tx, args.realmId, args.vmId, "migrate");
  await refuseWithDriverDomains(tx, args.realmId, args.vmId);
  await lockPlacement(tx);
  const conflictsWith = await unsafeConflictingRealms(platform, args.realmId);
  const placement = choosePlacement(await unsafeListHostCapacity(platform, conflictsWith), {
    vcpus: vm.vcpus,
    memoryMb: vm.memoryMb,
    conflictsWith,
    excludeHostId: vm.hostId ?? undefined,
    onlyHostId: destinationHostId,
  });
  if (!placement.ok) throw new DomainError("precondition_failed", `cannot migrate the VM: ${placement.reason}`);
  const operationId = await enqueue(tx, {
    ...request,
    action: "migrate",
    reason: `${args.rule}; to ${placement.hostName}`,
    fromState: state,
    params: { destinationHostId: placement.hostId },
    vmState: { observedState: pending, desiredState: desired },
  });
  return { operationId, destinationHostId: placement.hostId };
}

export type CreateVmArgs = {
  realmId: string;
  name: string;
  templateId: string;
  vcpus?: number;
  memoryMb?: number;
  kind?: "guest" | "management";
  actor: Actor;
  rule: string;
  requireOnlineHost?: boolean;
  /** The create operation's parameters (a clone's disks to attach once built). */
  params?: OperationParams;
};

/**
 * Places and records a new VM. Capacity is read fleet-wide through the platform client (a
 * realm's transaction sees only its own VMs; a platform transaction passes itself, so it never
 * waits on a second connection of its own pool). The caller's transaction holds the fleet's
 * placement lock shared from before the realm's conflict sets are read (no wall is added
 * meanwhile) and the chosen host's lock until it commits (services/host-claim.ts): two creations
 * cannot both take a host's last free capacity, nor two walled-off realms both land on one host,
 * while creations on different hosts do not wait for each other.
 */
export async function requestVmCreate(tx: Tx, platform: Tx, args: CreateVmArgs): Promise<{ vmId: string; operationId: string }> {
  // A member's guest never comes from a management template: refused like a missing one.
  const template = (args.kind ?? "guest") === "guest" ? await findGuestTemplate(tx, args.templateId) : await findTemplate(tx, args.templateId);
  if (!template) throw new DomainError("bad_input", "templateId: no such template", { field: "templateId" });
  if (await vmNameTaken(tx, args.realmId, args.name)) throw new DomainError("bad_input", DUPLICATE_VM_NAME, { field: "name" });
  const need = { vcpus: args.vcpus ?? template.vcpus, memoryMb: args.memoryMb ?? template.memoryMb };
  // The realm's quota first (its row lock serialises only this realm's creators), then the
  // fleet's capacity. A management VM is the platform's and does not count against the tenant.
  if ((args.kind ?? "guest") === "guest") await reserveQuota(tx, args.realmId, "VM", quotaNeed("VM", need));
  await lockPlacementShared(tx);
  const conflictsWith = await unsafeConflictingRealms(platform, args.realmId);
  const placement = await claimHost(tx, platform, await unsafeListHostCapacity(platform, conflictsWith), { ...need, conflictsWith }, {
    requireOnline: args.requireOnlineHost ?? true,
  });
  if (!placement.ok) throw placementRefused("cannot place the VM", placement);
  const vmId = randomUUID();
  await insertVm(tx, {
    realmId: args.realmId,
    id: vmId,
    name: args.name,
    kind: args.kind ?? "guest",
    templateId: template.id,
    vcpus: need.vcpus,
    memoryMb: need.memoryMb,
    hostId: placement.hostId,
  });
  const operationId = await enqueue(tx, {
    realmId: args.realmId,
    subjectRealmId: args.realmId,
    vmId,
    action: "create",
    actor: args.actor,
    reason: `${args.rule}; placed on ${placement.hostName}`,
    params: args.params,
  });
  return { vmId, operationId };
}

/** A refused placement: a constraint (capacity, wall, no host) or, rarely, hosts too busy to wait for. */
export function placementRefused(what: string, refusal: Extract<PlacementDecision, { ok: false }> & { busy?: boolean }): DomainError {
  return new DomainError(refusal.busy ? "unavailable" : "precondition_failed", `${what}: ${refusal.reason}`);
}

/**
 * The reconciler's corrective action: the host drifted from what the VM should be (a host that
 * lost its state, a domain that stopped on its own). Runs as the VM's own realm; audited as the
 * worker's decision.
 */
export async function enqueueReconcile(
  tx: Tx,
  args: { realmId: string; vmId: string; action: LifecycleAction; fromState: VmState; params?: OperationParams; reason: string; pending: VmState },
): Promise<string> {
  await setVmState(tx, args.realmId, args.vmId, { observedState: args.pending, stateReason: args.reason });
  return enqueue(tx, {
    realmId: args.realmId,
    subjectRealmId: args.realmId,
    vmId: args.vmId,
    action: args.action,
    actor: { userId: null, requestId: `reconcile-${randomUUID()}` },
    reason: args.reason,
    fromState: args.fromState,
    params: args.params,
    layer: "worker",
  });
}
