import { randomUUID } from "node:crypto";
import type { Db, Tx } from "../db/client";
import { Prisma } from "../generated/prisma/client";
import { DomainError } from "../api/errors";
import { decideTransition, type LifecycleAction, type VmState } from "../policy/lifecycle";
import { recordDecision } from "../repositories/audit";
import { unsafeListHostCapacity } from "../repositories/hosts";
import { findOpenOperationForVm } from "../repositories/operations";
import { notifyRealm } from "./events";
import { choosePlacement } from "./placement";

/**
 * Lifecycle requests: decide (state machine), then write the operation (the outbox), the VM's new
 * state and the audit record. Everything runs in the caller's transaction (the realm
 * transaction of a procedure), so it all commits together or not at all. The worker delivers the
 * operation later; the caller gets the operation id at once.
 */

export type Actor = { userId: string | null; requestId: string };

/** How long the worker keeps retrying an operation before failing it. */
export const OPERATION_DEADLINE_MS = 60_000;

async function lockVm(tx: Tx, realmId: string, vmId: string): Promise<{ observed_state: VmState; kind: string } | null> {
  const rows = await tx.$queryRaw<{ observed_state: VmState; kind: string }[]>`
    SELECT observed_state, kind::text FROM vms WHERE realm_id = ${realmId}::uuid AND id = ${vmId}::uuid FOR UPDATE`;
  return rows[0] ?? null;
}

async function enqueue(
  tx: Tx,
  args: {
    realmId: string;
    subjectRealmId: string;
    vmId: string;
    action: LifecycleAction;
    actor: Actor;
    reason: string;
    fromState?: VmState;
  },
): Promise<string> {
  const operationId = randomUUID();
  await tx.operation.create({
    data: {
      id: operationId,
      realmId: args.realmId,
      subjectRealmId: args.subjectRealmId,
      vmId: args.vmId,
      fromState: args.fromState ?? null,
      action: args.action,
      requestedById: args.actor.userId,
      requestId: args.actor.requestId,
      deadlineAt: new Date(Date.now() + OPERATION_DEADLINE_MS),
    },
  });
  await recordDecision(tx, {
    realmId: args.realmId,
    actorId: args.actor.userId,
    action: `vm.${args.action}`,
    targetType: "vm",
    targetId: args.vmId,
    decision: "allow",
    layer: "trpc",
    reason: args.reason,
    requestId: args.actor.requestId,
    details: { operationId },
  });
  await notifyRealm(tx, { realmId: args.realmId, kind: "operation", vmId: args.vmId, operationId });
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
    action: Exclude<LifecycleAction, "create">;
    actor: Actor;
    rule: string;
  },
): Promise<{ operationId: string }> {
  const locked = await lockVm(tx, args.realmId, args.vmId);
  if (!locked) throw new DomainError("not_found", "VM not found");
  if (locked.kind === "management") {
    throw new DomainError("precondition_failed", "the realm's management VM is run by the platform: it cannot be started, stopped or destroyed by members");
  }
  const open = await findOpenOperationForVm(tx, args.realmId, args.vmId);
  if (open) {
    throw new DomainError("conflict", `another operation is in flight on this VM: ${open.action} (${open.id})`, {
      operationId: open.id,
    });
  }
  const decision = decideTransition(args.action, locked.observed_state);
  if (!decision.allowed) throw new DomainError("precondition_failed", decision.reason, { state: locked.observed_state });
  await tx.vm.update({
    where: { realmId_id: { realmId: args.realmId, id: args.vmId } },
    data: { observedState: decision.pending, desiredState: decision.desired, stateReason: null, updatedAt: new Date() },
  });
  const operationId = await enqueue(tx, { ...args, reason: args.rule, fromState: locked.observed_state });
  return { operationId };
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
};

/**
 * Places and records a new VM. Capacity is read fleet-wide through the platform client (a
 * realm's transaction sees only its own VMs); an advisory lock held by the caller's
 * transaction until it commits serialises placements, so two creations cannot both take the
 * last free capacity.
 */
export async function requestVmCreate(tx: Tx, platform: Db, args: CreateVmArgs): Promise<{ vmId: string; operationId: string }> {
  const template = await tx.template.findUnique({ where: { id: args.templateId } });
  if (!template) throw new DomainError("bad_input", "templateId: no such template", { field: "templateId" });
  const duplicate = await tx.vm.findFirst({ where: { realmId: args.realmId, name: args.name }, select: { id: true } });
  if (duplicate) throw new DomainError("bad_input", "name: a VM with this name already exists in your realm", { field: "name" });
  const need = { vcpus: args.vcpus ?? template.vcpus, memoryMb: args.memoryMb ?? template.memoryMb };
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(72707369002)`;
  const placement = choosePlacement(await unsafeListHostCapacity(platform), need, {
    requireOnline: args.requireOnlineHost ?? true,
  });
  if (!placement.ok) throw new DomainError("precondition_failed", `cannot place the VM: ${placement.reason}`);
  const vmId = randomUUID();
  try {
    await tx.vm.create({
      data: {
        realmId: args.realmId,
        id: vmId,
        name: args.name,
        kind: args.kind ?? "guest",
        templateId: template.id,
        vcpus: need.vcpus,
        memoryMb: need.memoryMb,
        hostId: placement.hostId,
        observedState: "creating",
        desiredState: "stopped",
      },
    });
  } catch (error) {
    // A concurrent creation of the same name won the race.
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      throw new DomainError("bad_input", "name: a VM with this name already exists in your realm", { field: "name" });
    }
    throw error;
  }
  const operationId = await enqueue(tx, {
    realmId: args.realmId,
    subjectRealmId: args.realmId,
    vmId,
    action: "create",
    actor: args.actor,
    reason: `${args.rule}; placed on ${placement.hostName}`,
  });
  return { vmId, operationId };
}
