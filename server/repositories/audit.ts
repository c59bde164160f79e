import { canonicalRecord, normalizeDetails } from "../audit-chain/canonical";
import { recordMac } from "../audit-chain/chain";
import { auditKeys } from "../audit-chain/keys";
import { sealTargetRealm } from "../audit-chain/target-realm";
import { Prisma } from "../generated/prisma/client";
import type { Tx } from "../db/client";
import { invalidCursor, toPage, type PageRequest } from "./pagination";

/** The audit trail: append-only; every decision and state change, in every layer. */

export type DecisionRecord = {
  realmId: string | null;
  actorId: string | null;
  /** The API token the actor acted through (auth/api-tokens.ts), if any. */
  actorTokenId?: string | null;
  action: string;
  targetType: string;
  targetId: string | null;
  decision: "allow" | "deny";
  /** trpc | database | hypervisor | worker | auth */
  layer: string;
  reason: string;
  requestId: string;
  details?: Prisma.InputJsonValue;
  /** A phase's root event (its authorization); with phase, one action reads as one trail row. */
  parentId?: bigint | null;
  /** authorized | applied | failed | denied (migration audit_phases); none for a single-step event. */
  phase?: AuditPhase | null;
};

export type AuditPhase = "authorized" | "applied" | "failed" | "denied";

/**
 * An audit event's columns and values as SQL, for a statement that writes the record beside the
 * state change it explains (repositories/operations.ts): `INSERT INTO "audit_events" ${AUDIT_COLUMNS}
 * VALUES (${auditValues(record)})`.
 */
export const AUDIT_COLUMNS = Prisma.sql`("realm_id", "actor_id", "actor_token_id", "action", "target_type", "target_id", "decision", "layer", "reason", "request_id", "details", "created_at", "mac", "parent_id", "phase")`;

export function auditValues(r: DecisionRecord): Prisma.Sql {
  const { createdAt, mac } = sealable(r);
  return Prisma.sql`${r.realmId}::uuid, ${r.actorId}::uuid, ${r.actorTokenId ?? null}::uuid, ${r.action}, ${r.targetType}, ${r.targetId},
    ${r.decision}::"Decision", ${r.layer}, ${r.reason}, ${r.requestId}, ${r.details === undefined ? null : JSON.stringify(r.details)}::jsonb, ${createdAt}::timestamptz, ${mac}::bytea,
    ${r.parentId ?? null}::bigint, ${r.phase ?? null}::text`;
}

/** Appends one audit event; pass the transaction that makes the state change it explains. */
export async function recordDecision(db: Tx, record: DecisionRecord): Promise<void> {
  await db.auditEvent.create({ data: { ...record, ...sealable(record) } });
}

/**
 * Appends a record to the other party's trail of a sharing agreement, in the caller's tenant
 * transaction (so it commits with the change it records). Row-level security admits it only as
 * an actor-less "agreement.*" record about an agreement linking the two realms (migration
 * agreement_peer_records); no RETURNING, as the caller cannot read that trail.
 */
export async function recordAgreementPeerDecision(tx: Tx, record: DecisionRecord): Promise<void> {
  await tx.$executeRaw`INSERT INTO "audit_events" ${AUDIT_COLUMNS} VALUES (${auditValues(record)})`;
}

/**
 * Appends a denial caused by an id that belongs to another realm, and (for operators only) the
 * realm that owns the target, in one statement on the platform client: the owner realm lives in
 * realmgate_private.audit_target_realms, which the tenant role cannot read (migration
 * audit_phases). A null owner (the id exists nowhere) writes the event alone.
 */
export async function unsafeRecordForeignDenial(platform: Tx, record: DecisionRecord, targetRealmId: string | null): Promise<void> {
  // The event's MAC (and so its chain) covers a keyed seal of the owner realm, or of none: the
  // side row cannot be deleted, edited or added unseen, and tenants read only an opaque value
  // that looks the same whether the id was another realm's or nobody's (audit-chain/target-realm.ts).
  const details = { ...((record.details ?? {}) as Record<string, Prisma.InputJsonValue>), probeSeal: sealTargetRealm(auditKeys().record, targetRealmId) };
  await platform.$executeRaw`
    WITH "event" AS (INSERT INTO "audit_events" ${AUDIT_COLUMNS} VALUES (${auditValues({ ...record, details })}) RETURNING "id")
    INSERT INTO "realmgate_private"."audit_target_realms" ("event_id", "target_realm_id")
    SELECT "id", ${targetRealmId}::uuid FROM "event" WHERE ${targetRealmId}::uuid IS NOT NULL`;
}

/**
 * The record's time (set here, to the millisecond the column keeps, so the MAC covers it) and
 * its MAC under the audit key (audit-chain/keys.ts): the worker seals only records that carry a
 * valid one, so a row inserted behind the application's back stands out.
 */
function sealable(r: DecisionRecord): { createdAt: Date; mac: Uint8Array<ArrayBuffer> } {
  const createdAt = new Date();
  const canonical = canonicalRecord({
    realmId: r.realmId,
    actorId: r.actorId,
    actorTokenId: r.actorTokenId ?? null,
    action: r.action,
    targetType: r.targetType,
    targetId: r.targetId,
    decision: r.decision,
    layer: r.layer,
    reason: r.reason,
    requestId: r.requestId,
    details: normalizeDetails(r.details),
    createdAt,
    parentId: r.parentId ?? null,
    phase: r.phase ?? null,
  });
  return { createdAt, mac: new Uint8Array(recordMac(auditKeys().record, canonical)) };
}

export function listAuditForRealm(db: Tx, realmId: string, take = 50) {
  return db.auditEvent.findMany({
    where: { realmId },
    orderBy: { id: "desc" },
    take,
    select: { id: true, action: true, targetType: true, targetId: true, decision: true, layer: true, reason: true, createdAt: true, actorId: true },
  });
}

/** One page of a realm's trail, newest first, before the given id (the list's cursor); one row more than `limit` tells whether more follow. */
export function listAuditPageForRealm(db: Tx, realmId: string, page: { beforeId: bigint | null; limit: number }) {
  return db.auditEvent.findMany({
    where: { realmId, ...(page.beforeId !== null ? { id: { lt: page.beforeId } } : {}) },
    orderBy: { id: "desc" },
    take: page.limit + 1,
    select: { id: true, createdAt: true, actorId: true, actorTokenId: true, action: true, targetType: true, targetId: true, decision: true, layer: true, reason: true, requestId: true },
  });
}

/** One page of a realm's trail, oldest first, after the given id (an export's cursor). */
export function unsafeAuditPageForRealm(platform: Tx, realmId: string, afterId: bigint, take: number) {
  return platform.auditEvent.findMany({
    where: { realmId, id: { gt: afterId } },
    orderBy: { id: "asc" },
    take,
    select: { id: true, createdAt: true, actorId: true, action: true, targetType: true, targetId: true, decision: true, layer: true, reason: true, requestId: true, details: true },
  });
}

const operatorSelect = {
  id: true,
  realmId: true,
  actorId: true,
  action: true,
  targetType: true,
  targetId: true,
  decision: true,
  layer: true,
  reason: true,
  requestId: true,
  details: true,
  createdAt: true,
} satisfies Prisma.AuditEventSelect;

/**
 * One page of the events `where` selects, newest first (by id: the events' own order), older than
 * the event the cursor names: its id in decimal, and it must be one of the list's own events
 * (anything else is refused like a made-up cursor).
 */
async function unsafeEventPage(platform: Tx, where: Prisma.AuditEventWhereInput, page: PageRequest) {
  let before: bigint | null = null;
  if (page.cursor !== undefined) {
    const isId = /^[1-9]\d{0,18}$/.test(page.cursor) && BigInt(page.cursor) <= 9223372036854775807n;
    const row = isId ? await platform.auditEvent.findFirst({ where: { AND: [where, { id: BigInt(page.cursor) }] }, select: { id: true } }) : null;
    if (!row) throw invalidCursor();
    before = row.id;
  }
  const rows = await platform.auditEvent.findMany({ where: before === null ? where : { AND: [where, { id: { lt: before } }] }, orderBy: { id: "desc" }, take: page.limit + 1, select: operatorSelect });
  return toPage(rows, page.limit, (row) => row.id.toString());
}

/** One page of the denials across realms, newest first (operators). */
export function unsafeListDenials(platform: Tx, page: PageRequest) {
  return unsafeEventPage(platform, { decision: "deny" }, page);
}

/** One page of the layer-disagreement alarms across realms, newest first (operators). */
export function unsafeListAlarms(platform: Tx, page: PageRequest) {
  return unsafeEventPage(platform, { action: { startsWith: "alarm." } }, page);
}

/** The realm that owns a disk or network id, in any realm (null: none): for the audit record of a denial only, never for a reply. */
export async function unsafeDeviceOwnerRealm(platform: Tx, kind: "disk" | "network" | "driver-domain", id: string): Promise<string | null> {
  const where = { id };
  const select = { realmId: true };
  const row =
    kind === "disk"
      ? await platform.disk.findUnique({ where, select })
      : kind === "network"
        ? await platform.network.findUnique({ where, select })
        : await platform.driverDomain.findUnique({ where, select });
  return row?.realmId ?? null;
}

/** The realm that owns a VM id, in any realm (null: none): for the audit record of a denial only, never for a reply. */
export async function unsafeVmOwnerRealm(platform: Tx, vmId: string): Promise<string | null> {
  const vm = await platform.vm.findUnique({ where: { id: vmId }, select: { realmId: true } });
  return vm?.realmId ?? null;
}
