import type { Tx } from "../db/client";
import { Prisma } from "../generated/prisma/client";
import { CONSOLE_CHANNEL, notifyRealmCall } from "./events";

/**
 * Console sessions and their traffic (console_sessions, console_io; migration console_metrics).
 * Tenant functions take the realm transaction (row-level security applies); `unsafe…` ones run on
 * the platform client for the worker's relay and for a browser's stream (which re-reads only the
 * session the procedure resolved inside the realm, always filtered by that realm).
 */

export type ConsoleStatus = "opening" | "open" | "closed";
export type ConsoleSessionRow = { realmId: string; id: string; vmId: string; openedById: string | null; status: ConsoleStatus; closeReason: string | null };

/** VM states in which the guest has no console (its domain shut down or gone); a reboot, pause or migration keeps it. */
export const CONSOLE_GONE_STATES = ["creating", "starting", "stopping", "stopped", "destroyed", "failed"];

/** Sessions of a realm not yet closed, at most this many at once (a cheap bound on relay work). */
export const MAX_OPEN_PER_REALM = 16;
/** Input waiting for the relay, per session: beyond it the browser is asked to slow down. */
export const MAX_PENDING_INPUT = 64;
/** Output rows kept per session (the newest), and the size of one. */
export const OUTPUT_ROWS_KEPT = 256;
export const OUTPUT_ROW_BYTES = 16 * 1024;

const sessionSelect = { realmId: true, id: true, vmId: true, openedById: true, status: true, closeReason: true } as const;

/** The wake-up call to the worker's console relay: payload-less, as for operations (repositories/events.ts). */
export async function wakeRelay(tx: Tx): Promise<void> {
  await tx.$executeRaw`SELECT pg_notify(${CONSOLE_CHANNEL}, '')`;
}

export async function countOpenSessions(tx: Tx, realmId: string): Promise<number> {
  return tx.consoleSession.count({ where: { realmId, status: { not: "closed" } } });
}

export async function createSession(tx: Tx, s: { realmId: string; id: string; vmId: string; openedById: string }): Promise<void> {
  await tx.consoleSession.create({ data: { ...s, status: "opening" } });
}

/** A session of the realm opened by this user (someone else's reads as missing). */
export async function findSession(tx: Tx, realmId: string, id: string, userId: string): Promise<ConsoleSessionRow | null> {
  const row = await tx.consoleSession.findFirst({ where: { realmId, id, openedById: userId }, select: sessionSelect });
  return row as ConsoleSessionRow | null;
}

export async function touchSession(tx: Tx, realmId: string, id: string): Promise<void> {
  await tx.consoleSession.updateMany({ where: { realmId, id, status: { not: "closed" } }, data: { lastSeenAt: new Date() } });
}

/** Closes the session (its stream is told); false when it was closed already (so it is audited once). */
export async function closeSession(tx: Tx, realmId: string, id: string, reason: string): Promise<boolean> {
  const closed = await tx.consoleSession.updateMany({ where: { realmId, id, status: { not: "closed" } }, data: { status: "closed", closeReason: reason, closedAt: new Date() } });
  if (closed.count > 0) await tx.$executeRaw`SELECT ${notifyRealmCall({ realmId, kind: "console", consoleId: id })}`;
  return closed.count > 0;
}

export async function pendingInputCount(tx: Tx, realmId: string, sessionId: string): Promise<number> {
  return tx.consoleIo.count({ where: { realmId, sessionId, direction: "in", deliveredAt: null } });
}

export async function addInput(tx: Tx, realmId: string, sessionId: string, data: string): Promise<void> {
  await tx.consoleIo.create({ data: { realmId, sessionId, direction: "in", data } });
}

export type OutputChunk = { id: string; data: string };

/** Output after the cursor (a console_io id), oldest first, at most `limit` rows. */
export async function readOutput(tx: Tx, realmId: string, sessionId: string, after: bigint, limit = 128): Promise<OutputChunk[]> {
  const rows = await tx.consoleIo.findMany({
    where: { realmId, sessionId, direction: "out", id: { gt: after } },
    orderBy: { id: "asc" },
    take: limit,
    select: { id: true, data: true },
  });
  return rows.map((r) => ({ id: r.id.toString(), data: r.data }));
}

/** The same read on the platform client, for a stream whose session the procedure resolved in its realm. */
export function unsafeReadOutput(platform: Tx, realmId: string, sessionId: string, after: bigint, limit = 128): Promise<OutputChunk[]> {
  return readOutput(platform, realmId, sessionId, after, limit);
}

export async function unsafeSessionStatus(platform: Tx, realmId: string, sessionId: string): Promise<{ status: ConsoleStatus; closeReason: string | null } | null> {
  const row = await platform.consoleSession.findUnique({ where: { realmId_id: { realmId, id: sessionId } }, select: { status: true, closeReason: true } });
  return row as { status: ConsoleStatus; closeReason: string | null } | null;
}

export async function unsafeTouchSession(platform: Tx, realmId: string, sessionId: string): Promise<void> {
  await touchSession(platform, realmId, sessionId);
}

// ---------------------------------------------------------------------------------------------
// The worker's relay.

export type RelayWork = {
  realmId: string;
  id: string;
  vmId: string;
  openedById: string | null;
  status: ConsoleStatus;
  outputOffset: bigint;
  vm: { observedState: string; domid: number | null; kind: string };
  host: { name: string; agentUrl: string } | null;
  realm: { categoryLow: number; categoryHigh: number };
};

/**
 * Claims up to `limit` sessions with work (opening, or input waiting) that no other worker holds,
 * for `leaseMs`: several workers share the relay, one session is relayed by one at a time.
 */
export async function unsafeClaimRelayWork(platform: Tx, limit: number, leaseMs: number): Promise<RelayWork[]> {
  const claimed = await platform.$queryRaw<{ realm_id: string; id: string }[]>`
    UPDATE "console_sessions" s SET "relay_until" = now() + ${leaseMs} * interval '1 millisecond'
      FROM (
        SELECT c."realm_id", c."id" FROM "console_sessions" c
         WHERE c."status" IN ('opening', 'open')
           AND (c."relay_until" IS NULL OR c."relay_until" < now())
           AND (c."status" = 'opening' OR EXISTS (
                 SELECT 1 FROM "console_io" i
                  WHERE i."realm_id" = c."realm_id" AND i."session_id" = c."id" AND i."direction" = 'in' AND i."delivered_at" IS NULL))
         ORDER BY c."last_seen_at"
         LIMIT ${limit}
         FOR UPDATE SKIP LOCKED
      ) pick
     WHERE s."realm_id" = pick."realm_id" AND s."id" = pick."id"
    RETURNING s."realm_id"::text, s."id"::text`;
  if (claimed.length === 0) return [];
  const rows = await platform.consoleSession.findMany({
    where: { OR: claimed.map((c) => ({ realmId: c.realm_id, id: c.id })) },
    select: {
      realmId: true,
      id: true,
      vmId: true,
      openedById: true,
      status: true,
      outputOffset: true,
      vm: { select: { observedState: true, domid: true, kind: true, host: { select: { name: true, agentUrl: true } } } },
      realm: { select: { categoryLow: true, categoryHigh: true } },
    },
  });
  return rows.map((r) => ({
    realmId: r.realmId,
    id: r.id,
    vmId: r.vmId,
    openedById: r.openedById,
    status: r.status as ConsoleStatus,
    outputOffset: r.outputOffset,
    vm: { observedState: r.vm.observedState, domid: r.vm.domid, kind: r.vm.kind },
    host: r.vm.host,
    realm: r.realm,
  }));
}

/** The session's undelivered input, oldest first. */
export async function unsafePendingInput(platform: Tx, realmId: string, sessionId: string, limit = MAX_PENDING_INPUT): Promise<{ id: bigint; data: string }[]> {
  return platform.consoleIo.findMany({
    where: { realmId, sessionId, direction: "in", deliveredAt: null },
    orderBy: { id: "asc" },
    take: limit,
    select: { id: true, data: true },
  });
}

/**
 * What one relay round trip produced, in one statement: the output (split into rows of at most
 * OUTPUT_ROW_BYTES), the input it delivered, the ring offset reached, the session's new status,
 * and the realm's notification (ids only) for the browser's stream.
 */
export async function unsafeRecordRelay(
  platform: Tx,
  r: { realmId: string; sessionId: string; output: string; offset: number; delivered: bigint[]; status: "open" | "closed"; closeReason?: string },
): Promise<void> {
  const chunks = splitBytes(r.output, OUTPUT_ROW_BYTES);
  await platform.$executeRaw`
    WITH out AS (
      INSERT INTO "console_io" ("realm_id", "session_id", "direction", "data")
      SELECT ${r.realmId}::uuid, ${r.sessionId}::uuid, 'out', chunk FROM unnest(${chunks}::text[]) WITH ORDINALITY AS c(chunk, n) ORDER BY n
      RETURNING 1
    ), delivered AS (
      UPDATE "console_io" SET "delivered_at" = now()
       WHERE "realm_id" = ${r.realmId}::uuid AND "session_id" = ${r.sessionId}::uuid AND "id" = ANY(${r.delivered.map(String)}::bigint[])
      RETURNING 1
    )
    UPDATE "console_sessions" SET "output_offset" = ${r.offset}, "relay_until" = NULL,
           "status" = ${r.status}, "close_reason" = ${r.closeReason ?? null}, "closed_at" = ${r.status === "closed" ? Prisma.sql`now()` : Prisma.sql`NULL`}
     WHERE "realm_id" = ${r.realmId}::uuid AND "id" = ${r.sessionId}::uuid AND "status" <> 'closed'`;
  await unsafeNotifyConsole(platform, r.realmId, r.sessionId);
}

/** Tells the session's stream to look again (it closed). */
export async function unsafeNotifyConsole(platform: Tx, realmId: string, sessionId: string): Promise<void> {
  await platform.$executeRaw`SELECT ${notifyRealmCall({ realmId, kind: "console", consoleId: sessionId })}`;
}

/** Releases a claim without progress (the agent was unreachable): the next pass tries again. */
export async function unsafeReleaseRelay(platform: Tx, realmId: string, sessionId: string): Promise<void> {
  await platform.consoleSession.updateMany({ where: { realmId, id: sessionId }, data: { relayUntil: null } });
}

/**
 * Sessions to close: idle ones (no sign of life from the browser since `idleBefore`) and those
 * whose VM no longer runs. Closed here, returned for the audit trail and notifications.
 */
export async function unsafeCloseStaleSessions(platform: Tx, idleBefore: Date): Promise<{ realmId: string; id: string; vmId: string; openedById: string | null; reason: string }[]> {
  return platform.$queryRaw`
    UPDATE "console_sessions" s
       SET "status" = 'closed', "closed_at" = now(), "relay_until" = NULL,
           "close_reason" = CASE WHEN v."observed_state"::text = ANY(${CONSOLE_GONE_STATES}::text[]) THEN 'the VM is no longer running' ELSE 'idle timeout' END
      FROM "vms" v
     WHERE v."realm_id" = s."realm_id" AND v."id" = s."vm_id" AND s."status" <> 'closed'
       AND (s."last_seen_at" < ${idleBefore} OR v."observed_state"::text = ANY(${CONSOLE_GONE_STATES}::text[]))
    RETURNING s."realm_id"::text AS "realmId", s."id"::text AS "id", s."vm_id"::text AS "vmId", s."opened_by_id"::text AS "openedById", s."close_reason" AS "reason"`;
}

/** Bounded storage: closed sessions an hour after closing, delivered input, output beyond the newest rows of each session. */
export async function unsafePruneConsole(platform: Tx, closedBefore: Date): Promise<number> {
  const sessions = await platform.$executeRaw`DELETE FROM "console_sessions" WHERE "status" = 'closed' AND "closed_at" < ${closedBefore}`;
  const input = await platform.$executeRaw`DELETE FROM "console_io" WHERE "direction" = 'in' AND "delivered_at" IS NOT NULL`;
  const output = await platform.$executeRaw`
    DELETE FROM "console_io" i USING (
      SELECT "realm_id", "id" FROM (
        SELECT "realm_id", "id", row_number() OVER (PARTITION BY "realm_id", "session_id" ORDER BY "id" DESC) AS rn
          FROM "console_io" WHERE "direction" = 'out'
      ) ranked WHERE rn > ${OUTPUT_ROWS_KEPT}
    ) old
     WHERE i."realm_id" = old."realm_id" AND i."id" = old."id"`;
  return sessions + input + output;
}

/** Splits text into pieces of at most `max` UTF-8 bytes, never inside a character. */
export function splitBytes(text: string, max: number): string[] {
  if (text.length === 0) return [];
  const out: string[] = [];
  let current = "";
  let bytes = 0;
  for (const ch of text) {
    const n = Buffer.byteLength(ch);
    if (bytes + n > max) {
      out.push(current);
      current = "";
      bytes = 0;
    }
    current += ch;
    bytes += n;
  }
  if (current) out.push(current);
  return out;
}
