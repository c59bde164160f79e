import { randomUUID } from "node:crypto";
import type { Db } from "../db/client";
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
 * state and the audit record in one transaction. The worker delivers the operation later; the
 * caller gets the operation id at once.
 */

export type Actor = { userId: string | null; requestId: string };

/** How long the worker keeps retrying an operation before failing it. */
export const OPERATION_DEADLINE_MS = 60_000;

type Tx = Prisma.TransactionClient;

async function lockVm(tx: Tx, realmId: string, vmId: string): Promise<{ observed_state: VmState } | null> {
  const rows = await tx.$queryRaw<{ observed_state: VmState }[]>`
    SELECT observed_state FROM vms WHERE realm_id = ${realmId}::uuid AND id = ${vmId}::uuid FOR UPDATE`;
  return rows[0] ?? null;
}

async function enqueue(
  tx: Tx,
  args: { realmId: string; vmId: string; action: LifecycleAction; actor: Actor; reason: string },
): Promise<string> {
  const operationId = randomUUID();
  await tx.operation.create({
    data: {
      id: operationId,
      realmId: args.realmId,
      vmId: args.vmId,
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

export async function requestVmAction(
  db: Db,
  args: { realmId: string; vmId: string; action: Exclude<LifecycleAction, "create">; actor: Actor; rule: string },
): Promise<{ operationId: string }> {
  return db.$transaction(async (tx) => {
    const locked = await lockVm(tx, args.realmId, args.vmId);
    if (!locked) throw new DomainError("not_found", "VM not found");
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
    const operationId = await enqueue(tx, { ...args, reason: args.rule });
    return { operationId };
  });
}

export async function requestVmCreate(
  db: Db,
  args: {
    realmId: string;
    name: string;
    templateId: string;
    vcpus?: number;
    memoryMb?: number;
    kind?: "guest" | "management";
    actor: Actor;
    rule: string;
    requireOnlineHost?: boolean;
  },
): Promise<{ vmId: string; operationId: string }> {
  try {
    return await db.$transaction(
      async (tx) => {
        const template = await tx.template.findUnique({ where: { id: args.templateId } });
        if (!template) throw new DomainError("bad_input", "templateId: no such template", { field: "templateId" });
        const need = { vcpus: args.vcpus ?? template.vcpus, memoryMb: args.memoryMb ?? template.memoryMb };
        // Serialise placement so two creations cannot both take the last free capacity.
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(72707369002)`;
        const placement = choosePlacement(await unsafeListHostCapacity(tx), need, {
          requireOnline: args.requireOnlineHost ?? true,
        });
        if (!placement.ok) throw new DomainError("precondition_failed", `cannot place the VM: ${placement.reason}`);
        const vmId = randomUUID();
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
        const operationId = await enqueue(tx, {
          realmId: args.realmId,
          vmId,
          action: "create",
          actor: args.actor,
          reason: `${args.rule}; placed on ${placement.hostName}`,
        });
        return { vmId, operationId };
      },
      { isolationLevel: Prisma.TransactionIsolationLevel.ReadCommitted },
    );
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      throw new DomainError("bad_input", "name: a VM with this name already exists in your realm", { field: "name" });
    }
    throw error;
  }
}
