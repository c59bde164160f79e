import { sqlOf, type Tx } from "../db/client";
import { Prisma } from "../generated/prisma/client";
import type { LifecycleAction, VmState } from "../policy/lifecycle";
import { AUDIT_COLUMNS, auditValues, type DecisionRecord } from "./audit";
import { notifyRealmCall, type RealmEvent } from "./events";
import { afterCreated, cursorRow, toPage, type PageRequest } from "./pagination";
import { vmForDeliveryJson, type VmForDelivery } from "./vms";

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

/** One page of a VM's operations, newest first (then by id), older than the operation the cursor names (one of this VM's). */
export async function listOperationsForVm(db: Tx, realmId: string, vmId: string, page: PageRequest = { limit: 20 }) {
  const after = await cursorRow(page.cursor, (id) => db.operation.findFirst({ where: { realmId, vmId, id }, select: { id: true, createdAt: true } }));
  const rows = await db.operation.findMany({
    where: { realmId, vmId, ...afterCreated(after, "desc") },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: page.limit + 1,
    select: operationSelect,
  });
  return toPage(rows, page.limit, (row) => row.id);
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

export type NewOperation = {
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
};

/**
 * Accepts an operation in one statement (one round trip, issue 12): the outbox row, the VM's
 * new state when given (the state an accepted action leaves it in), the audit record of the
 * decision (phase authorized; the operation keeps its id, audit_event_id, for the outcome's
 * record to name as its parent), and the realm's notification, all in the caller's transaction. The notification is
 * delivered only once that transaction commits.
 */
export async function insertOperation(
  tx: Tx,
  op: NewOperation,
  also: { vmState?: { observedState: VmState; desiredState?: VmState }; audit: DecisionRecord; event: RealmEvent },
): Promise<void> {
  const { vmState, audit, event } = also;
  // On the driver directly (db/client.ts sqlOf): the lifecycle action's one write (issue 12).
  const rows = await sqlOf<{ vms: number }>(tx, Prisma.sql`
    WITH "vm" AS (
      UPDATE "vms" SET "observed_state" = ${vmState?.observedState ?? null}::"VmState", "desired_state" = COALESCE(${vmState?.desiredState ?? null}::"VmState", "desired_state"),
                       "state_reason" = NULL, "updated_at" = now()
       WHERE ${vmState !== undefined}::boolean AND "realm_id" = ${op.realmId}::uuid AND "id" = ${op.vmId}::uuid
      RETURNING 1
    ), "audit" AS (
      INSERT INTO "audit_events" ${AUDIT_COLUMNS} VALUES (${auditValues({ ...audit, phase: audit.phase ?? "authorized" })}) RETURNING "id"
    ), "op" AS (
      INSERT INTO "operations" ("realm_id", "id", "vm_id", "subject_realm_id", "action", "from_state", "params", "requested_by_id",
                                "break_glass_grant_id", "requested_by_token_id", "request_id", "deadline_at", "audit_event_id")
      VALUES (${op.realmId}::uuid, ${op.id}::uuid, ${op.vmId}::uuid, ${op.subjectRealmId}::uuid, ${op.action}, ${op.fromState}::"VmState",
              ${op.params === undefined ? null : JSON.stringify(op.params)}::jsonb, ${op.requestedById}::uuid, ${op.breakGlassGrantId ?? null}::uuid, ${op.requestedByTokenId ?? null}::uuid,
              ${op.requestId}, ${op.deadlineAt}::timestamptz, (SELECT "id" FROM "audit"))
    )
    SELECT (SELECT count(*) FROM "vm")::int AS "vms", ${notifyRealmCall(event)}::text AS "notified"`);
  // The VM is locked by the caller: a state change that found no row is a bug, not a race.
  if (vmState !== undefined && rows[0]?.vms !== 1) throw new Error(`operation ${op.id}: VM ${op.vmId} not found to record its new state`);
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
  /** The audit event that authorized it (its outcome's record names it as parent_id); null for operations older than phases. */
  audit_event_id?: bigint | string | null;
  /** What delivering it needs of its VM, read by the claim itself; null when the VM is gone. */
  vm: VmForDelivery | null;
};

/** Each claimed operation's VM, as the claim returns it (`c`: the claimed rows). */
const CLAIMED_VM = Prisma.raw(vmForDeliveryJson("c.realm_id", "c.vm_id"));

/**
 * The claim's choice of operations: the oldest open ones that are due (pending or retrying and
 * past their next attempt) or whose lease expired (running). Written as "open, and then due" so
 * that the plan is an ordered scan of the open operations' index (operations_open_created_at_idx)
 * that stops at `limit`, whatever the statistics say; the same condition as two OR-ed arms was
 * planned as a sort of a bitmap scan or, with a generic plan, a walk of every operation ever made
 * in creation order (5,582 buffers with none ready, 4,000 operations in). Exported for the
 * lifecycle bench, which prints its plan.
 */
export function readyOperations(limit: number): Prisma.Sql {
  return Prisma.sql`
      SELECT o.realm_id, o.id FROM operations o
      WHERE o.status IN ('pending', 'retrying', 'running')
        AND CASE WHEN o.status = 'running' THEN o.lease_until < now() ELSE o.next_attempt_at <= now() END
      ORDER BY o.created_at
      FOR UPDATE SKIP LOCKED
      LIMIT ${limit}`;
}

/**
 * Claims ready operations, oldest first, skipping rows another worker holds (FOR UPDATE SKIP
 * LOCKED), and leases them to `workerId`; an operation whose lease expired is ready again. One
 * in flight per VM is guaranteed by the schema (operations_one_open_per_vm).
 */
export function unsafeClaimOperations(platform: Tx, claim: { workerId: string; leaseMs: number; batchSize: number }): Promise<Claim[]> {
  // On the driver (every worker polls with it): audit_event_id comes back as a decimal string.
  return sqlOf<Claim>(platform, Prisma.sql`
    WITH ready AS (${readyOperations(claim.batchSize)}), claimed AS (
      UPDATE operations o
      SET status = 'running', claimed_by = ${claim.workerId},
          lease_until = now() + make_interval(secs => ${claim.leaseMs / 1000}),
          attempts = o.attempts + 1, started_at = coalesce(o.started_at, now())
      FROM ready WHERE o.realm_id = ready.realm_id AND o.id = ready.id
      RETURNING o.id, o.realm_id, o.subject_realm_id, o.vm_id, o.action, o.from_state, o.params, o.claimed_by, o.attempts, o.deadline_at, o.audit_event_id
    )
    SELECT c.*, ${CLAIMED_VM} AS vm FROM claimed c`);
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

/** What settling an operation does to its VM (computed by the worker from the outcome). */
export type SettledVm = {
  observedState: VmState;
  stateReason: string | null;
  /** A migration's new host. */
  hostId?: string;
  /** The domain id the host reported (kept when null), or "clear" once the domain is destroyed. */
  domid: number | null | "clear";
};

/**
 * Settles the operation in one statement (issue 12): its row, its VM's observed state (when the
 * VM still exists), the audit record and the realm's notification, all or nothing, and only
 * while the claim is still ours. Null when the claim was lost meanwhile (another worker owns or
 * settled it); else the VM's kind (null when the VM is gone).
 */
export async function settleOperation(
  tx: Tx,
  claim: Claim,
  outcome: { status: "succeeded" | "failed"; reason: string; avc: string[] },
  effects: { vm: SettledVm; audit: DecisionRecord; event: RealmEvent },
): Promise<{ vmKind: "guest" | "management" | null } | null> {
  const { vm, audit, event } = effects;
  const rows = await sqlOf<{ settled: number; kind: "guest" | "management" | null }>(tx, Prisma.sql`
    WITH "settled" AS (
      UPDATE "operations"
         SET "status" = ${outcome.status}::"OperationStatus", "last_error" = ${outcome.status === "failed" ? outcome.reason : null},
             "result" = ${JSON.stringify({ reason: outcome.reason, avc: outcome.avc })}::jsonb, "finished_at" = clock_timestamp(), "lease_until" = NULL
       WHERE "realm_id" = ${claim.realm_id}::uuid AND "id" = ${claim.id}::uuid
         AND "status" = 'running' AND "claimed_by" = ${claim.claimed_by} AND "attempts" = ${claim.attempts}
      RETURNING 1
    ), "vm" AS (
      UPDATE "vms"
         SET "observed_state" = ${vm.observedState}::"VmState", "desired_state" = ${vm.observedState}::"VmState",
             "host_id" = COALESCE(${vm.hostId ?? null}::uuid, "host_id"),
             "domid" = CASE WHEN ${vm.domid === "clear"}::boolean THEN NULL ELSE COALESCE(${vm.domid === "clear" ? null : vm.domid}::int, "domid") END,
             "state_reason" = ${vm.stateReason}, "updated_at" = now()
       WHERE "realm_id" = ${claim.realm_id}::uuid AND "id" = ${claim.vm_id}::uuid AND EXISTS (SELECT 1 FROM "settled")
      RETURNING "kind"::text
    ), "audit" AS (
      INSERT INTO "audit_events" ${AUDIT_COLUMNS} SELECT ${auditValues(audit)} WHERE EXISTS (SELECT 1 FROM "settled")
    )
    SELECT (SELECT count(*) FROM "settled")::int AS "settled", (SELECT "kind" FROM "vm") AS "kind",
           CASE WHEN EXISTS (SELECT 1 FROM "settled") THEN ${notifyRealmCall(event)}::text END AS "notified"`);
  return rows[0]?.settled === 1 ? { vmKind: rows[0].kind } : null;
}
