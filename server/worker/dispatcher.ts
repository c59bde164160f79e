import { transaction, type Db, type Tx } from "../db/client";
import type { DeviceAction, DeviceRequest, DomainAction, DomainResult } from "../contracts/agent";
import { deriveHostSecret } from "../contracts/signing";
import { settledState, type VmState } from "../policy/lifecycle";
import { ROLLBACK_STEP, planSteps, stepKey, type OperationParams } from "../policy/plan";
import { recordDecision } from "../repositories/audit";
import { addToNetwork, releaseDisks, removeFromNetworks } from "../repositories/devices";
import { unsafeFindDriverDomain } from "../repositories/driver-domains";
import { notifyRealm } from "../repositories/events";
import { unsafeFindHost } from "../repositories/hosts";
import { releaseForRetry, settleOperation, type Claim } from "../repositories/operations";
import { unsafeFindRealm } from "../repositories/realms";
import { releaseQuotaUsage } from "../repositories/quotas";
import { setVmSize, setVmStateReason } from "../repositories/vms";
import { enqueue } from "../services/lifecycle";
import { onManagementVmSettled } from "../services/organizations";
import { settleSnapshot } from "../services/vm-everyday";
import { DOM0_LABEL, managementLabel, realmDiskLabel, realmLevel, realmNetLabel, vmLabel } from "../xsm";
import { AgentUnreachable, type AgentClient } from "./agent-client";

/**
 * Delivers operations from the outbox to host agents. Claims with FOR UPDATE SKIP LOCKED so
 * several workers share the queue; an operation whose worker died is reclaimed when its lease
 * expires; the operation id travels as the agent's idempotency key, so a redelivery has no
 * second effect.
 */

export type DispatcherOptions = {
  workerId: string;
  masterSecret: string;
  leaseMs: number;
  batchSize: number;
  log: (line: string) => void;
};

type Host = { id: string; name: string; agentUrl: string };

export async function deliver(db: Db, agents: AgentClient, op: Claim, options: DispatcherOptions): Promise<void> {
  const vm = op.vm;
  if (!vm?.host) return finish(db, op, { status: "failed", reason: "VM has no host assignment" });
  const params = (op.params ?? {}) as OperationParams;
  const destination = params.destinationHostId ? await unsafeFindHost(db, params.destinationHostId) : null;
  if (op.action === "migrate" && !destination) return finish(db, op, { status: "failed", reason: "migration destination host no longer exists" });
  // The acting realm's management domain is the subject: if a request for another realm's VM
  // ever got this far, the hypervisor is the one to refuse it.
  const subjectRealm = op.subject_realm_id === vm.realmId ? vm.realm : await unsafeFindRealm(db, op.subject_realm_id);
  if (!subjectRealm) return finish(db, op, { status: "failed", reason: "the acting realm no longer exists" });
  const label = vmLabel(vm.kind, vm.realm);
  // A realm's management domain is built and run by dom0 (the platform's toolstack) on the
  // realm's own behalf; every other request runs as the acting realm's management domain.
  const isPlatformBootstrap = vm.kind === "management" && op.subject_realm_id === vm.realmId;
  const subject = isPlatformBootstrap ? DOM0_LABEL : managementLabel(subjectRealm);
  // A resize sends the new size; the VM's row takes it once the host applied it (settleEveryday).
  const spec = { uuid: vm.id, name: vm.name, label, vcpus: params.size?.vcpus ?? vm.vcpus, memoryMb: params.size?.memoryMb ?? vm.memoryMb };
  const send = (host: Host, action: DomainAction, key: string) =>
    agents.apply(
      { url: host.agentUrl, secret: deriveHostSecret(options.masterSecret, host.name) },
      {
        idempotencyKey: key,
        action,
        subjectLabel: subject,
        vm: spec,
        ...(action === "migrate-out" ? { destination: destination!.name } : {}),
        ...(params.snapshotId ? { snapshotId: params.snapshotId } : {}),
      },
    );

  const level = realmLevel(vm.realm);
  // A device served by the realm's driver domain: its domid on the VM's host. Whether it may
  // serve this VM is the hypervisor's decision (FLASK, at the handshake).
  let backendDomid: number | undefined;
  if (params.backendId && (op.action === "attach-disk" || op.action === "attach-net")) {
    const backend = await unsafeFindDriverDomain(db, vm.realmId, params.backendId);
    if (!backend || backend.state !== "running" || backend.domid === null || backend.hostId !== vm.host?.id) {
      return finish(db, op, { status: "failed", reason: "the driver domain is not running on the VM's host" });
    }
    backendDomid = backend.domid;
  }
  const through = backendDomid === undefined ? {} : { backendDomid };
  // `built`: the domain an earlier step of this operation built (a clone's disks attach to it).
  const sendDevice = (action: DeviceAction, key: string, diskId = params.diskId, built?: number) => {
    const domid = built ?? vm.domid;
    if (domid === null) throw new AgentUnreachable("the VM has no domain on its host yet");
    const envelope = { idempotencyKey: key, subjectLabel: subject, domid };
    const request: DeviceRequest =
      action === "attach-disk"
        ? { ...envelope, action, disk: { id: diskId!, label: realmDiskLabel(level), readOnly: false }, ...through }
        : action === "detach-disk"
          ? { ...envelope, action, diskId: params.diskId! }
          : action === "attach-net"
            ? { ...envelope, action, network: { id: params.networkId!, label: realmNetLabel(level) }, ...through }
            : { ...envelope, action, networkId: params.networkId! };
    return agents.device({ url: vm.host!.agentUrl, secret: deriveHostSecret(options.masterSecret, vm.host!.name) }, request);
  };

  const avc: string[] = [];
  let last: DomainResult | null = null;
  let replayed = true;
  const steps = planSteps(op.action, params);
  for (const [i, step] of steps.entries()) {
    const host = step.on === "destination" ? destination! : vm.host;
    let result: Pick<DomainResult, "ok" | "error" | "avc" | "replayed"> & { domain?: DomainResult["domain"] };
    try {
      result = "device" in step ? await sendDevice(step.device, stepKey(op.id, i), step.diskId ?? params.diskId, last?.domain?.domid) : await send(host, step.action, stepKey(op.id, i));
    } catch (error) {
      // Retried later from the first step: the steps already applied replay their results.
      const reason = error instanceof AgentUnreachable ? error.message : `bad reply from agent: ${(error as Error).message}`;
      return retryOrFail(db, op, `${host.name}: ${reason}`);
    }
    avc.push(...result.avc);
    replayed &&= result.replayed;
    if (!result.ok) {
      let reason = `${result.error?.code}: ${result.error?.message}`;
      if (op.action === "migrate" && i > 0) reason += await rollBackMigration(vm.host, () => send(vm.host!, "migrate-in", stepKey(op.id, ROLLBACK_STEP)));
      return finish(db, op, { status: "failed", reason, avc, hypervisorDenied: result.error?.code === "EACCES" }, vm.kind);
    }
    if (result.domain !== undefined) last = result as DomainResult;
  }
  return finish(db, op, {
    status: "succeeded",
    reason: replayed ? "applied (replayed)" : "applied",
    avc,
    domid: last?.domain?.domid ?? null,
    hostId: destination?.id,
    then: params.then,
  }, vm.kind);
}

/** A migrate-in refused at the destination: bring the domain back where it came from. */
async function rollBackMigration(source: Host, restore: () => Promise<DomainResult>): Promise<string> {
  try {
    const back = await restore();
    return back.ok ? `; the VM was restored on ${source.name}` : `; restoring on ${source.name} failed too: ${back.error?.code}`;
  } catch (error) {
    return `; restoring on ${source.name} failed: ${(error as Error).message}`;
  }
}

async function retryOrFail(db: Db, op: Claim, reason: string): Promise<void> {
  if (Date.now() >= op.deadline_at.getTime()) {
    return finish(db, op, { status: "failed", reason: `gave up after ${op.attempts} attempts: ${reason}` });
  }
  const backoffMs = Math.min(500 * 2 ** (op.attempts - 1), 8_000);
  await transaction(db, async (tx) => {
    // Our lease may have expired and another worker own it now: then leave everything to it.
    if (!(await releaseForRetry(tx, op, reason, new Date(Date.now() + backoffMs)))) return;
    await setVmStateReason(tx, op.realm_id, op.vm_id, `retrying ${op.action}: ${reason}`);
    await notifyRealm(tx, { realmId: op.realm_id, kind: "operation", vmId: op.vm_id, operationId: op.id });
  });
}

type Outcome = {
  status: "succeeded" | "failed";
  reason: string;
  avc?: string[];
  domid?: number | null;
  /** A migration's new host. */
  hostId?: string;
  /** A follow-up action once this one succeeded (a rebuild that must end running). */
  then?: "start";
  hypervisorDenied?: boolean;
};

/** Actions whose settling also changes devices (settleDevices): never settled without a transaction. */
const HAS_CONSEQUENCES: ReadonlySet<string> = new Set(["attach-disk", "detach-disk", "attach-net", "detach-net", "destroy", "resize", "snapshot", "delete-snapshot"]);

/**
 * Settles an operation: its row, the VM's observed state and the audit record commit together
 * (one statement for all three, repositories/operations.ts); the rarer consequences (devices, a
 * realm's readiness, a follow-up start, a policy-drift alarm) in the same transaction.
 */
async function finish(db: Db, op: Claim, outcome: Outcome, vmKind: "guest" | "management" | null = null): Promise<void> {
  const succeeded = outcome.status === "succeeded";
  // A failed operation had no effect on the domain: the VM is where it was before it.
  const observed: VmState = succeeded ? settledState(op.action, op.from_state, (op.params as OperationParams | null)?.revertTo) : (op.from_state ?? "failed");
  const settle = (tx: Tx) =>
    settleOperation(
      tx,
      op,
      { status: outcome.status, reason: outcome.reason, avc: outcome.avc ?? [] },
      {
        // desired = observed: a failed intent is not retried behind the user's back.
        vm: {
          observedState: observed,
          stateReason: succeeded ? null : `${op.action} failed: ${outcome.reason}`,
          hostId: outcome.hostId,
          domid: op.action === "destroy" && succeeded ? "clear" : (outcome.domid ?? null),
        },
        audit: {
          realmId: op.realm_id,
          actorId: null,
          action: `vm.${op.action}`,
          targetType: "vm",
          targetId: op.vm_id,
          decision: outcome.hypervisorDenied ? "deny" : "allow",
          layer: outcome.hypervisorDenied ? "hypervisor" : "worker",
          reason: outcome.reason,
          requestId: op.id,
          details: { operationId: op.id, avc: outcome.avc ?? [], status: outcome.status },
          // The outcome is a phase of the event that authorized the operation (one trail row).
          parentId: op.audit_event_id == null ? null : BigInt(op.audit_event_id),
          phase: succeeded ? "applied" : "failed",
        },
        event: { realmId: op.realm_id, kind: "vm", vmId: op.vm_id, operationId: op.id },
      },
    );
  // A guest's plain outcome has no consequence beyond that one statement, which is atomic on its
  // own: no transaction around it (two round trips fewer on the pipeline's hot path).
  if (vmKind === "guest" && !outcome.hypervisorDenied && !outcome.then && !HAS_CONSEQUENCES.has(op.action)) {
    await settle(db);
    return;
  }
  await transaction(db, async (tx) => {
    const settled = await settle(tx);
    // Our lease may have expired: then another worker owns or settled the operation.
    if (!settled) return;
    await settleDevices(tx, op, succeeded);
    await settleEveryday(tx, op, succeeded);
    // A realm is ready once its management domain runs, failed (retryable) if it cannot be built.
    if (settled.vmKind === "management") {
      await onManagementVmSettled(tx, { realmId: op.realm_id, action: op.action, succeeded, reason: outcome.reason, operationId: op.id });
    }
    // A realm's management domain runs as soon as it is built (it is the realm's authority), and
    // a rebuild asked to end running does too: a follow-up start, accepted like any other.
    const startNext = outcome.then === "start" || (settled.vmKind === "management" && op.action === "create");
    if (settled.vmKind !== null && startNext && succeeded) {
      await enqueue(tx, {
        realmId: op.realm_id,
        subjectRealmId: op.realm_id,
        vmId: op.vm_id,
        action: "start",
        fromState: "stopped",
        actor: { userId: null, requestId: op.id },
        reason: outcome.then === "start" ? `rebuilt by operation ${op.id}; it should run` : "a realm's management domain runs once built",
        layer: "worker",
        vmState: { observedState: "starting", desiredState: "running" },
      });
    }
    if (outcome.hypervisorDenied) {
      // Layers 1 and 2 let this through and the hypervisor refused it: the layers disagree.
      await recordDecision(tx, {
        realmId: null,
        actorId: null,
        action: "alarm.policy_drift",
        targetType: "operation",
        targetId: op.id,
        decision: "deny",
        layer: "hypervisor",
        reason: `hypervisor denied vm.${op.action} that layers 1-2 allowed (acting realm ${op.subject_realm_id}, VM realm ${op.realm_id})`,
        requestId: op.id,
        details: { avc: outcome.avc ?? [], vmId: op.vm_id, subjectRealmId: op.subject_realm_id, realmId: op.realm_id },
      });
    }
  });
}

/**
 * A disk is reserved for its VM when the attach is accepted; the attachment is confirmed or
 * released when the operation settles. Network interfaces are recorded once attached.
 */
async function settleDevices(tx: Tx, op: Claim, succeeded: boolean): Promise<void> {
  const params = (op.params ?? {}) as OperationParams;
  const realmId = op.realm_id;
  if (op.action === "attach-disk" && !succeeded && params.diskId) {
    await releaseDisks(tx, realmId, op.vm_id, params.diskId);
  } else if (op.action === "detach-disk" && succeeded && params.diskId) {
    await releaseDisks(tx, realmId, op.vm_id, params.diskId);
  } else if (op.action === "attach-net" && succeeded && params.networkId) {
    await addToNetwork(tx, realmId, op.vm_id, params.networkId, params.backendId ?? null);
  } else if (op.action === "detach-net" && succeeded && params.networkId) {
    await removeFromNetworks(tx, realmId, op.vm_id, params.networkId);
  } else if (op.action === "destroy" && succeeded) {
    // The domain and its backends are gone: its disks are free again, its interfaces removed.
    await releaseDisks(tx, realmId, op.vm_id);
    await removeFromNetworks(tx, realmId, op.vm_id);
  }
}

/**
 * Resize and snapshots (issue 14): a resize's new size is the VM's once the host applied it, and
 * what it gave back is released (what it added was reserved when it was accepted, and is released
 * if the host refused); a snapshot's record follows the host's answer (services/vm-everyday.ts).
 */
async function settleEveryday(tx: Tx, op: Claim, succeeded: boolean): Promise<void> {
  const params = (op.params ?? {}) as OperationParams;
  if (op.action === "resize" && params.size && params.from) {
    const { size, from } = params;
    const back = succeeded ? { vcpus: from.vcpus - size.vcpus, memoryMb: from.memoryMb - size.memoryMb } : { vcpus: size.vcpus - from.vcpus, memoryMb: size.memoryMb - from.memoryMb };
    if (succeeded) await setVmSize(tx, op.realm_id, op.vm_id, size);
    const release = { vcpus: Math.max(0, back.vcpus), memoryMb: Math.max(0, back.memoryMb), vms: 0, diskGb: 0, networks: 0 };
    if (release.vcpus > 0 || release.memoryMb > 0) await releaseQuotaUsage(tx, op.realm_id, release);
  } else if ((op.action === "snapshot" || op.action === "delete-snapshot") && params.snapshotId) {
    await settleSnapshot(tx, op.realm_id, op.action, params.snapshotId, succeeded);
  }
}
