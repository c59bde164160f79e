import { randomUUID } from "node:crypto";
import type { Db, Tx } from "../db/client";
import type { DeviceAction, DeviceRequest, DomainAction, DomainResult } from "../contracts/agent";
import { DOM0_LABEL, realmDiskLabel, realmNetLabel } from "../contracts/labels";
import { deriveHostSecret } from "../contracts/signing";
import { settledState, type LifecycleAction, type VmState } from "../policy/lifecycle";
import { recordDecision } from "../repositories/audit";
import { notifyRealm } from "../services/events";
import { OPERATION_DEADLINE_MS } from "../services/lifecycle";
import { guestLabel, managementLabel, realmLevel } from "../services/labels";
import { AgentUnreachable, type AgentClient } from "./agent-client";
import { ROLLBACK_STEP, planSteps, stepKey, type OperationParams } from "./plan";

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

type Claimed = {
  id: string;
  realm_id: string;
  subject_realm_id: string;
  vm_id: string;
  action: LifecycleAction;
  from_state: VmState | null;
  params: unknown;
  claimed_by: string;
  attempts: number;
  deadline_at: Date;
};

export async function claimOperations(db: Db, options: DispatcherOptions): Promise<Claimed[]> {
  // Ready operations, oldest first, skipping rows another worker holds. One in flight per VM is
  // guaranteed by the schema (operations_one_open_per_vm: at most one open operation per VM),
  // so a claim can never start a second operation on a VM.
  return db.$queryRaw<Claimed[]>`
    WITH ready AS (
      SELECT o.realm_id, o.id FROM operations o
      WHERE (o.status IN ('pending', 'retrying') AND o.next_attempt_at <= now())
         OR (o.status = 'running' AND o.lease_until < now())
      ORDER BY o.created_at
      FOR UPDATE SKIP LOCKED
      LIMIT ${options.batchSize}
    )
    UPDATE operations o
    SET status = 'running', claimed_by = ${options.workerId},
        lease_until = now() + make_interval(secs => ${options.leaseMs / 1000}),
        attempts = o.attempts + 1, started_at = coalesce(o.started_at, now())
    FROM ready WHERE o.realm_id = ready.realm_id AND o.id = ready.id
    RETURNING o.id, o.realm_id, o.subject_realm_id, o.vm_id, o.action, o.from_state, o.params, o.claimed_by, o.attempts, o.deadline_at`;
}

type Host = { id: string; name: string; agentUrl: string };

export async function deliver(db: Db, agents: AgentClient, op: Claimed, options: DispatcherOptions): Promise<void> {
  const vm = await db.vm.findUnique({
    where: { realmId_id: { realmId: op.realm_id, id: op.vm_id } },
    include: { realm: true, host: true },
  });
  if (!vm?.host) return finish(db, op, { status: "failed", reason: "VM has no host assignment" });
  const params = (op.params ?? {}) as OperationParams;
  const destination = params.destinationHostId ? await db.host.findUnique({ where: { id: params.destinationHostId } }) : null;
  if (op.action === "migrate" && !destination) return finish(db, op, { status: "failed", reason: "migration destination host no longer exists" });
  // The acting realm's management domain is the subject: if a request for another realm's VM
  // ever got this far, the hypervisor is the one to refuse it.
  const subjectRealm =
    op.subject_realm_id === vm.realmId ? vm.realm : await db.realm.findUniqueOrThrow({ where: { id: op.subject_realm_id } });
  const label = vm.kind === "management" ? managementLabel(vm.realm) : guestLabel(vm.realm);
  // A realm's management domain is built and run by dom0 (the platform's toolstack) on the
  // realm's own behalf; every other request runs as the acting realm's management domain.
  const isPlatformBootstrap = vm.kind === "management" && op.subject_realm_id === vm.realmId;
  const subject = isPlatformBootstrap ? DOM0_LABEL : managementLabel(subjectRealm);
  const spec = { uuid: vm.id, name: vm.name, label, vcpus: vm.vcpus, memoryMb: vm.memoryMb };
  const send = (host: Host, action: DomainAction, key: string) =>
    agents.apply(
      { url: host.agentUrl, secret: deriveHostSecret(options.masterSecret, host.name) },
      { idempotencyKey: key, action, subjectLabel: subject, vm: spec, ...(action === "migrate-out" ? { destination: destination!.name } : {}) },
    );

  const level = realmLevel(vm.realm);
  const sendDevice = (action: DeviceAction, key: string) => {
    if (vm.domid === null) throw new AgentUnreachable("the VM has no domain on its host yet");
    const envelope = { idempotencyKey: key, subjectLabel: subject, domid: vm.domid };
    const request: DeviceRequest =
      action === "attach-disk"
        ? { ...envelope, action, disk: { id: params.diskId!, label: realmDiskLabel(level), readOnly: false } }
        : action === "detach-disk"
          ? { ...envelope, action, diskId: params.diskId! }
          : action === "attach-net"
            ? { ...envelope, action, network: { id: params.networkId!, label: realmNetLabel(level) } }
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
      result = "device" in step ? await sendDevice(step.device, stepKey(op.id, i)) : await send(host, step.action, stepKey(op.id, i));
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
      return finish(db, op, { status: "failed", reason, avc, hypervisorDenied: result.error?.code === "EACCES" });
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
  });
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

async function retryOrFail(db: Db, op: Claimed, reason: string): Promise<void> {
  if (Date.now() >= op.deadline_at.getTime()) {
    return finish(db, op, { status: "failed", reason: `gave up after ${op.attempts} attempts: ${reason}` });
  }
  const backoffMs = Math.min(500 * 2 ** (op.attempts - 1), 8_000);
  await db.$transaction(async (tx) => {
    const released = await tx.operation.updateMany({
      where: stillOurs(op),
      data: { status: "retrying", lastError: reason, claimedBy: null, leaseUntil: null, nextAttemptAt: new Date(Date.now() + backoffMs) },
    });
    if (released.count === 0) return; // our lease expired and another worker owns it now
    await tx.vm.update({
      where: { realmId_id: { realmId: op.realm_id, id: op.vm_id } },
      data: { stateReason: `retrying ${op.action}: ${reason}`, updatedAt: new Date() },
    });
    await notifyRealm(tx, { realmId: op.realm_id, kind: "operation", vmId: op.vm_id, operationId: op.id });
  });
}

/**
 * The claim is still this worker's: the same claimant and the same claim (attempt). A worker
 * that stalled past its lease must neither reopen nor re-settle what another worker took over.
 */
function stillOurs(op: Claimed) {
  return { realmId: op.realm_id, id: op.id, status: "running" as const, claimedBy: op.claimed_by, attempts: op.attempts };
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

/** Settles an operation: its row, the VM's observed state and the audit record commit together. */
async function finish(db: Db, op: Claimed, outcome: Outcome): Promise<void> {
  await db.$transaction(async (tx) => {
    const updated = await tx.operation.updateMany({
      where: stillOurs(op),
      data: {
        status: outcome.status,
        lastError: outcome.status === "failed" ? outcome.reason : null,
        result: { reason: outcome.reason, avc: outcome.avc ?? [] },
        finishedAt: new Date(),
        leaseUntil: null,
      },
    });
    if (updated.count === 0) return; // our lease expired: another worker owns or settled it
    const vm = await tx.vm.findUnique({ where: { realmId_id: { realmId: op.realm_id, id: op.vm_id } } });
    if (vm) {
      // A failed operation had no effect on the domain: the VM is where it was before it.
      const observed: VmState = outcome.status === "succeeded" ? settledState(op.action, op.from_state) : (op.from_state ?? "failed");
      await tx.vm.update({
        where: { realmId_id: { realmId: op.realm_id, id: op.vm_id } },
        data: {
          observedState: observed,
          desiredState: observed, // a failed intent is not retried behind the user's back
          ...(outcome.hostId ? { hostId: outcome.hostId } : {}),
          domid: op.action === "destroy" && outcome.status === "succeeded" ? null : (outcome.domid ?? vm.domid),
          stateReason: outcome.status === "failed" ? `${op.action} failed: ${outcome.reason}` : null,
          updatedAt: new Date(),
        },
      });
    }
    await settleDevices(tx, op, outcome.status === "succeeded");
    // A realm's management domain runs as soon as it is built (it is the realm's authority), and
    // a rebuild asked to end running does too.
    const startNext = outcome.then === "start" || (vm?.kind === "management" && op.action === "create");
    if (vm && startNext && outcome.status === "succeeded") {
      await tx.operation.create({
        data: {
          id: randomUUID(),
          realmId: op.realm_id,
          subjectRealmId: op.realm_id,
          vmId: op.vm_id,
          action: "start",
          fromState: "stopped",
          requestId: op.id,
          deadlineAt: new Date(Date.now() + OPERATION_DEADLINE_MS),
        },
      });
      await tx.vm.update({
        where: { realmId_id: { realmId: op.realm_id, id: op.vm_id } },
        data: { observedState: "starting", desiredState: "running" },
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
    await recordDecision(tx, {
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
    });
    await notifyRealm(tx, { realmId: op.realm_id, kind: "vm", vmId: op.vm_id, operationId: op.id });
  });
}

/**
 * A disk is reserved for its VM when the attach is accepted; the attachment is confirmed or
 * released when the operation settles. Network interfaces are recorded once attached.
 */
async function settleDevices(tx: Tx, op: Claimed, succeeded: boolean): Promise<void> {
  const params = (op.params ?? {}) as OperationParams;
  const realmId = op.realm_id;
  if (op.action === "attach-disk" && !succeeded && params.diskId) {
    await tx.disk.updateMany({ where: { realmId, id: params.diskId, vmId: op.vm_id }, data: { vmId: null } });
  } else if (op.action === "detach-disk" && succeeded && params.diskId) {
    await tx.disk.updateMany({ where: { realmId, id: params.diskId, vmId: op.vm_id }, data: { vmId: null } });
  } else if (op.action === "attach-net" && succeeded && params.networkId) {
    await tx.vmNetwork.createMany({ data: [{ realmId, vmId: op.vm_id, networkId: params.networkId }], skipDuplicates: true });
  } else if (op.action === "detach-net" && succeeded && params.networkId) {
    await tx.vmNetwork.deleteMany({ where: { realmId, vmId: op.vm_id, networkId: params.networkId } });
  } else if (op.action === "destroy" && succeeded) {
    // The domain and its backends are gone: its disks are free again, its interfaces removed.
    await tx.disk.updateMany({ where: { realmId, vmId: op.vm_id }, data: { vmId: null } });
    await tx.vmNetwork.deleteMany({ where: { realmId, vmId: op.vm_id } });
  }
}
