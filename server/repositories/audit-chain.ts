import type { TargetRealmRow } from "../audit-chain/target-realm";
import type { StoredRecord } from "../audit-chain/verify";
import { Prisma } from "../generated/prisma/client";
import { connectionStringOf, type Db, type Tx } from "../db/client";
import { unsafeReadAuditChainsAt, type ChainRow, type ChainScope } from "./audit-chain-reader";

/**
 * The audit chain's rows (audit-chain/ holds the cryptography and the verifier): the sealer's
 * queue, the chain heads, and the streams the verifier reads. Platform code only: the chain spans
 * every realm (row-level security bypassed), hence unsafe….
 */

/** The platform's chain in audit_chain_heads (its realm_id is NULL). */
export const PLATFORM_CHAIN_KEY = "00000000-0000-0000-0000-000000000000";

/** Events up to this id were written before record MACs existed (migration audit_chain). */
export async function unsafeLegacyWatermark(platform: Tx): Promise<bigint> {
  const [row] = await platform.$queryRaw<{ watermark: bigint }[]>`SELECT "realmgate_audit_legacy_watermark"() AS "watermark"`;
  return row!.watermark;
}

export type ChainHead = { chainKey: string; realmId: string | null; seq: bigint; eventId: bigint; digest: Uint8Array };

type RawHead = { chain_key: string; seq: bigint; event_id: bigint; digest: Uint8Array };
const toHead = (r: RawHead): ChainHead => ({ chainKey: r.chain_key, realmId: r.chain_key === PLATFORM_CHAIN_KEY ? null : r.chain_key, seq: r.seq, eventId: r.event_id, digest: r.digest });

/** The heads of these chains, created at seq 0 if new, locked FOR UPDATE in key order (two sealers never fork a chain, nor deadlock). */
export async function unsafeLockHeads(tx: Tx, chainKeys: string[], genesis: Uint8Array): Promise<Map<string, ChainHead>> {
  const keys = [...chainKeys].sort();
  await tx.$executeRaw`
    INSERT INTO "audit_chain_heads" ("chain_key", "seq", "event_id", "digest")
    SELECT k, 0, 0, decode(${Buffer.from(genesis).toString("hex")}, 'hex') FROM unnest(${keys}::uuid[]) AS x(k)
    ON CONFLICT ("chain_key") DO NOTHING`;
  const rows = await tx.$queryRaw<RawHead[]>`
    SELECT "chain_key"::text, "seq", "event_id", "digest" FROM "audit_chain_heads"
    WHERE "chain_key" = ANY(${keys}::uuid[]) ORDER BY "chain_key" FOR UPDATE`;
  return new Map(rows.map((r) => [r.chain_key, toHead(r)]));
}

export type NewChainEntry = { eventId: bigint; realmId: string | null; seq: bigint; digest: Buffer; tag: Buffer };

/** Appends chain rows, moves the heads to their last ones and takes the sealed (or refused) ids off the queue: three statements. */
export async function unsafeAppendChain(tx: Tx, entries: NewChainEntry[], heads: ChainHead[], dequeue: bigint[]): Promise<void> {
  if (entries.length > 0) {
    await tx.$executeRaw`
      INSERT INTO "audit_chain" ("event_id", "realm_id", "seq", "digest", "tag")
      SELECT e::bigint, r::uuid, s::bigint, decode(d, 'hex'), decode(t, 'hex')
      FROM unnest(${entries.map((x) => x.eventId.toString())}::text[], ${entries.map((x) => x.realmId)}::text[], ${entries.map((x) => x.seq.toString())}::text[],
                  ${entries.map((x) => x.digest.toString("hex"))}::text[], ${entries.map((x) => x.tag.toString("hex"))}::text[]) AS x(e, r, s, d, t)`;
    await tx.$executeRaw`
      UPDATE "audit_chain_heads" h SET "seq" = x.s::bigint, "event_id" = x.e::bigint, "digest" = decode(x.d, 'hex'), "updated_at" = CURRENT_TIMESTAMP
      FROM unnest(${heads.map((h) => h.chainKey)}::uuid[], ${heads.map((h) => h.seq.toString())}::text[], ${heads.map((h) => h.eventId.toString())}::text[],
                  ${heads.map((h) => Buffer.from(h.digest).toString("hex"))}::text[]) AS x(k, s, e, d)
      WHERE h."chain_key" = x.k`;
  }
  if (dequeue.length > 0) {
    await tx.$executeRaw`DELETE FROM "realmgate_private"."audit_unsealed" WHERE "event_id" = ANY(${dequeue.map(String)}::bigint[])`;
  }
}

/** Every chain's head (checkpoints sign these). */
export async function unsafeChainHeads(platform: Tx): Promise<ChainHead[]> {
  const rows = await platform.$queryRaw<RawHead[]>`
    SELECT "chain_key"::text, "seq", "event_id", "digest" FROM "audit_chain_heads" WHERE "seq" > 0 ORDER BY "chain_key"`;
  return rows.map(toHead);
}

export { chainPartition, type ChainRow, type ChainScope } from "./audit-chain-reader";

/**
 * Reads the chain (rows with their records, by chain then seq) and the events no chain row seals,
 * in one REPEATABLE READ snapshot (audit-chain-reader.ts: COPY on a connection of its own).
 */
export async function unsafeReadAuditChains<T>(
  /** The platform client, or its connection string (a worker thread has no client of its own). */
  platform: Db | string,
  scope: ChainScope,
  fn: (snapshot: { entries: AsyncIterable<ChainRow[]>; unsealed: () => Promise<(StoredRecord & { eventId: bigint })[]>; watermark: bigint }) => Promise<T>,
): Promise<T> {
  return unsafeReadAuditChainsAt(typeof platform === "string" ? platform : connectionStringOf(platform), scope, fn);
}

/**
 * Foreign-id denials and their target-realm rows (realmgate_private.audit_target_realms), for the
 * verifier to check each row against the seal its event's record carries (audit-chain/target-realm.ts):
 * every event that sealed a target realm, and every side row, past the watermark of the migration
 * that began sealing them (rows before it are counted as legacy). undefined: every realm; null: the platform's events.
 */
export async function unsafeReadTargetRealms(platform: Tx, realmId: string | null | undefined): Promise<{ rows: TargetRealmRow[]; legacy: number }> {
  const scope = realmId === undefined ? Prisma.sql`TRUE` : realmId === null ? Prisma.sql`e."realm_id" IS NULL` : Prisma.sql`e."realm_id" = ${realmId}::uuid`;
  const raw = await platform.$queryRaw<{ id: bigint; seal: unknown; side: string | null; has: boolean; legacy: boolean }[]>`
    SELECT e."id", e."details"->'probeSeal' AS "seal", tr."target_realm_id"::text AS "side", tr."event_id" IS NOT NULL AS "has",
           e."id" <= "realmgate_audit_target_seal_watermark"() AS "legacy"
    FROM "audit_events" e LEFT JOIN "realmgate_private"."audit_target_realms" tr ON tr."event_id" = e."id"
    WHERE ${scope} AND (e."details" ? 'probeSeal' OR tr."event_id" IS NOT NULL)
    ORDER BY e."id"`;
  const legacy = raw.filter((r) => r.legacy && (r.seal === null || r.seal === undefined)).length;
  const rows = raw.filter((r) => !(r.legacy && (r.seal === null || r.seal === undefined))).map((r) => ({ eventId: r.id, seal: r.seal, sideRealmId: r.side, hasSideRow: r.has }));
  return { rows, legacy };
}

