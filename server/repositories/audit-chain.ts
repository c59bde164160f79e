import type { StoredRecord } from "../audit-chain/verify";
import pg from "pg";
import { connectionStringOf, type Db, type Tx } from "../db/client";

/**
 * The audit chain's rows (audit-chain/ holds the cryptography and the verifier): the sealer's
 * queue, the chain heads, and the streams the verifier reads. Platform code only: the chain spans
 * every realm (row-level security bypassed), hence unsafe….
 */

/** The platform's chain in audit_chain_heads (its realm_id is NULL). */
export const PLATFORM_CHAIN_KEY = "00000000-0000-0000-0000-000000000000";

type RawRecord = {
  id: bigint | null;
  realm_id: string | null;
  actor_id: string | null;
  actor_token_id: string | null;
  action: string;
  target_type: string;
  target_id: string | null;
  decision: "allow" | "deny";
  layer: string;
  reason: string;
  request_id: string;
  details: string | null;
  created_at: Date;
  mac: Uint8Array | null;
  parent_id: string | null;
  phase: string | null;
};

const RECORD_COLUMNS = `e."id", e."realm_id"::text, e."actor_id"::text, e."actor_token_id"::text, e."action", e."target_type", e."target_id", e."decision"::text AS "decision",
  e."layer", e."reason", e."request_id", e."details"::text AS "details", e."created_at", e."mac", e."parent_id"::text AS "parent_id", e."phase"`;

export function toStoredRecord(r: RawRecord): StoredRecord {
  return {
    realmId: r.realm_id,
    actorId: r.actor_id,
    actorTokenId: r.actor_token_id,
    action: r.action,
    targetType: r.target_type,
    targetId: r.target_id,
    decision: r.decision,
    layer: r.layer,
    reason: r.reason,
    requestId: r.request_id,
    details: r.details === null ? null : (JSON.parse(r.details) as unknown),
    createdAt: r.created_at,
    mac: r.mac,
    parentId: r.parent_id,
    phase: r.phase,
  };
}

/** Events up to this id were written before record MACs existed (migration audit_chain). */
export async function unsafeLegacyWatermark(platform: Tx): Promise<bigint> {
  const [row] = await platform.$queryRaw<{ watermark: bigint }[]>`SELECT "realmgate_audit_legacy_watermark"() AS "watermark"`;
  return row!.watermark;
}

export type QueuedEvent = { queued: bigint; record: (StoredRecord & { id: bigint }) | null };

/**
 * Takes up to `limit` queued events, oldest id first, locked for this transaction (a second
 * sealer skips them). A queued id whose event row is gone comes back with record null.
 */
export async function unsafeClaimUnsealed(tx: Tx, limit: number): Promise<QueuedEvent[]> {
  const rows = await tx.$queryRawUnsafe<(RawRecord & { queued: bigint })[]>(
    `SELECT q."event_id" AS "queued", ${RECORD_COLUMNS}
     FROM "realmgate_private"."audit_unsealed" q LEFT JOIN "audit_events" e ON e."id" = q."event_id"
     ORDER BY q."event_id" LIMIT $1 FOR UPDATE OF q SKIP LOCKED`,
    limit,
  );
  return rows.map((r) => ({ queued: r.queued, record: r.id === null ? null : { ...toStoredRecord(r), id: r.id } }));
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

/** A row of the verifier's cursor, as text (pg's array row mode). */
type TextRow = [
  string | null, string, string, string, string, boolean,
  string | null, string | null, string | null, string, string, string | null, "allow" | "deny", string, string, string, string | null, string, string | null,
  string | null, string | null,
];

function chainRowOf(r: TextRow): ChainRow {
  return {
    realmId: r[0],
    seq: BigInt(r[1]),
    eventId: BigInt(r[2]),
    digest: Buffer.from(r[3], "hex"),
    tag: Buffer.from(r[4], "hex"),
    record: r[5]
      ? {
          realmId: r[6],
          actorId: r[7],
          actorTokenId: r[8],
          action: r[9],
          targetType: r[10],
          targetId: r[11],
          decision: r[12],
          layer: r[13],
          reason: r[14],
          requestId: r[15],
          details: r[16] === null ? null : (JSON.parse(r[16]) as unknown),
          createdAt: new Date(Number(r[17])),
          mac: r[18] === null ? null : Buffer.from(r[18], "hex"),
          parentId: r[19],
          phase: r[20],
        }
      : null,
  };
}

export type ChainRow = { realmId: string | null; seq: bigint; eventId: bigint; digest: Uint8Array; tag: Uint8Array; record: StoredRecord | null };

/**
 * Which chains a read covers: every chain, one realm's, the platform's (null), or one part of a
 * partition of all chains (`index` of `of`, by chainPartition: parallel verification).
 */
export type ChainScope = { all: true } | { all: false; realmId: string | null } | { all: false; partition: { index: number; of: number } };

/**
 * The part a chain falls in when every chain is split in `of` parts: by the first two hex digits
 * of the realm id (the platform's chain: part 0). The SQL below computes the same.
 */
export const chainPartition = (realmId: string | null, of: number): number => (realmId === null ? 0 : parseInt(realmId.slice(0, 2), 16) % of);

function scopeSql(scope: ChainScope, column: string): string {
  if (scope.all) return "TRUE";
  if ("partition" in scope) {
    const { index, of } = scope.partition;
    if (!Number.isInteger(index) || !Number.isInteger(of) || of < 1 || index < 0 || index >= of) throw new Error("a partition is index < of, whole numbers");
    return `(CASE WHEN ${column} IS NULL THEN 0 ELSE ('x' || left(${column}::text, 2))::bit(8)::int % ${of} END) = ${index}`;
  }
  return scope.realmId === null ? `${column} IS NULL` : `${column} = $1::uuid`;
}
const scopeParams = (scope: ChainScope) => (scope.all || "partition" in scope || scope.realmId === null ? [] : [scope.realmId]);

/**
 * Reads the chain (rows with their records, by chain then seq) and the events no chain row seals,
 * in one REPEATABLE READ snapshot, through a cursor on a connection of its own, a page (array) at a
 * time (memory stays flat), the next page fetched while the verifier checks this one.
 */
export async function unsafeReadAuditChains<T>(
  /** The platform client, or its connection string (a worker thread has no client of its own). */
  platform: Db | string,
  scope: ChainScope,
  fn: (snapshot: { entries: AsyncIterable<ChainRow[]>; unsealed: () => Promise<(StoredRecord & { eventId: bigint })[]>; watermark: bigint }) => Promise<T>,
  options: { pageSize?: number } = {},
): Promise<T> {
  const pageSize = options.pageSize ?? 10_000;
  const client = new pg.Client({ connectionString: typeof platform === "string" ? platform : connectionStringOf(platform) });
  await client.connect();
  try {
    await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    // Text the verifier takes as it is: hex for bytes, epoch ms for time, details as JSON text.
    await client.query(
      `DECLARE "audit_verify" NO SCROLL CURSOR FOR
       SELECT c."realm_id", c."seq", c."event_id", encode(c."digest", 'hex'), encode(c."tag", 'hex'), e."id" IS NOT NULL,
              e."realm_id", e."actor_id", e."actor_token_id", e."action", e."target_type", e."target_id", e."decision", e."layer", e."reason", e."request_id",
              e."details"::text, (extract(epoch FROM e."created_at") * 1000)::bigint, encode(e."mac", 'hex'),
              e."parent_id"::text, e."phase"
       FROM "audit_chain" c LEFT JOIN "audit_events" e ON e."id" = c."event_id"
       WHERE ${scopeSql(scope, `c."realm_id"`)} ORDER BY c."realm_id", c."seq"`,
      scopeParams(scope),
    );
    const fetchPage = () => client.query<TextRow>({ text: `FETCH ${pageSize} FROM "audit_verify"`, rowMode: "array" }).then((r) => r.rows);
    async function* entries(): AsyncGenerator<ChainRow[]> {
      let next = fetchPage();
      for (;;) {
        const rows = await next;
        if (rows.length === pageSize) next = fetchPage();
        yield rows.map(chainRowOf);
        if (rows.length < pageSize) return;
      }
    }
    const unsealed = async () => {
      const { rows } = await client.query<RawRecord>(
        `SELECT ${RECORD_COLUMNS} FROM "audit_events" e
         WHERE ${scopeSql(scope, `e."realm_id"`)} AND NOT EXISTS (SELECT 1 FROM "audit_chain" c WHERE c."event_id" = e."id") ORDER BY e."id"`,
        scopeParams(scope),
      );
      return rows.map((r) => ({ ...toStoredRecord({ ...r, id: BigInt(r.id!) }), eventId: BigInt(r.id!) }));
    };
    const { rows } = await client.query<{ watermark: string }>(`SELECT "realmgate_audit_legacy_watermark"()::text AS "watermark"`);
    return await fn({ entries: entries(), unsealed, watermark: BigInt(rows[0]!.watermark) });
  } finally {
    await client.query("ROLLBACK").catch(() => undefined);
    await client.end();
  }
}
