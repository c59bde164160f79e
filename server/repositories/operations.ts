import type { Tx } from "../db/client";
import { Prisma } from "../generated/prisma/client";
import type { LifecycleAction, VmState } from "../policy/lifecycle";

/** The outbox: operations accepted for delivery to a host, and their claims by workers. */

export const operationSelect = {
  id: true,
  vmId: true,
  action: true,
  status: true,
  attempts: true,
  lastError: true,
  result: true,
  createdAt: true,
  startedAt: true,
  finishedAt: true,
  requestedById: true,
  requestedByTokenId: true,
} satisfies Prisma.OperationSelect;

export function listOperationsForVm(db: Tx, realmId: string, vmId: string, take = 20) {
  return db.operation.findMany({
    where: { realmId, vmId },
    orderBy: { createdAt: "desc" },
    take,
    select: operationSelect,
  });
}

export function findOperationInRealm(db: Tx, realmId: string, operationId: string) {
  return db.operation.findUnique({ where: { realmId_id: { realmId, id: operationId } }, select: operationSelect });
}

/** The operation not yet finished for a VM, if any (one in flight per VM). */
export function findOpenOperationForVm(db: Tx, realmId: string, vmId: string) {
  return db.operation.findFirst({
    where: { realmId, vmId, status: { in: ["pending", "running", "retrying"] } },
    select: { id: true, action: true, status: true },
  });
}

export async function insertOperation(
  tx: Tx,
  op: {
    id: string;
    realmId: string;
    subjectRealmId: string;
    vmId: string;
    action: LifecycleAction;
    fromState: VmState | null;
    params?: Prisma.InputJsonValue;
    requestedById: string | null;
    requestedByTokenId?: string | null;
    requestId: string;
    /** Required by the database when subjectRealmId is not realmId (migration database_roles). */
    breakGlassGrantId?: string | null;
    deadlineAt: Date;
  },
): Promise<void> {
  await tx.operation.create({ data: { ...op, params: op.params ?? Prisma.DbNull } });
}

/** A worker's claim on an operation, as the claim query returns it. */
export type Claim = {
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

/**
 * Claims ready operations, oldest first, skipping rows another worker holds (FOR UPDATE SKIP
 * LOCKED), and leases them to `workerId`; an operation whose lease expired is ready again. One
 * in flight per VM is guaranteed by the schema (operations_one_open_per_vm).
 */
export function unsafeClaimOperations(platform: Tx, claim: { workerId: string; leaseMs: number; batchSize: number }): Promise<Claim[]> {
  return platform.$queryRaw<Claim[]>`
    WITH ready AS (
      SELECT o.realm_id, o.id FROM operations o
      WHERE (o.status IN ('pending', 'retrying') AND o.next_attempt_at <= now())
         OR (o.status = 'running' AND o.lease_until < now())
      ORDER BY o.created_at
      FOR UPDATE SKIP LOCKED
      LIMIT ${claim.batchSize}
    )
    UPDATE operations o
    SET status = 'running', claimed_by = ${claim.workerId},
        lease_until = now() + make_interval(secs => ${claim.leaseMs / 1000}),
        attempts = o.attempts + 1, started_at = coalesce(o.started_at, now())
    FROM ready WHERE o.realm_id = ready.realm_id AND o.id = ready.id
    RETURNING o.id, o.realm_id, o.subject_realm_id, o.vm_id, o.action, o.from_state, o.params, o.claimed_by, o.attempts, o.deadline_at`;
}

/**
 * The claim is still this worker's: the same claimant and the same claim (attempt). A worker
 * that stalled past its lease must neither reopen nor re-settle what another worker took over.
 */
function stillOurs(claim: Claim) {
  return { realmId: claim.realm_id, id: claim.id, status: "running" as const, claimedBy: claim.claimed_by, attempts: claim.attempts };
}

/** Hands the operation back for another attempt later; false when the claim was lost meanwhile. */
export async function releaseForRetry(tx: Tx, claim: Claim, reason: string, nextAttemptAt: Date): Promise<boolean> {
  const released = await tx.operation.updateMany({
    where: stillOurs(claim),
    data: { status: "retrying", lastError: reason, claimedBy: null, leaseUntil: null, nextAttemptAt },
  });
  return released.count > 0;
}

/** Settles the operation; false when the claim was lost meanwhile (another worker owns it). */
export async function settleOperation(
  tx: Tx,
  claim: Claim,
  outcome: { status: "succeeded" | "failed"; reason: string; avc: string[] },
): Promise<boolean> {
  const updated = await tx.operation.updateMany({
    where: stillOurs(claim),
    data: {
      status: outcome.status,
      lastError: outcome.status === "failed" ? outcome.reason : null,
      result: { reason: outcome.reason, avc: outcome.avc },
      finishedAt: new Date(),
      leaseUntil: null,
    },
  });
  return updated.count > 0;
}
