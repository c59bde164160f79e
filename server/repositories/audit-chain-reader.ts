import pg from "pg";
import { to as copyTo } from "pg-copy-streams";
import { CONTENT_COLUMNS, CONTENT_COLUMNS_SQL, CONTENT_FIELDS, CONTENT_MAC, decodeContent, recordOfContent } from "../audit-chain/content";
import type { StoredRecord } from "../audit-chain/verify";
import type { Tx } from "../db/client";

/**
 * The verifier's read of the audit chain (platform code: every realm's rows, row-level security
 * bypassed, hence unsafe…). It is the verifier's hot path, so it reads with COPY … TO STDOUT in
 * the binary format instead of a cursor: PostgreSQL streams the rows while the verifier checks the
 * ones already here (the socket's backpressure paces it; memory stays flat). Digests and tags
 * arrive as raw bytes, seq and event id as 8-byte integers, and the record's content columns (all
 * text) as length-prefixed UTF-8, which is exactly the chain's v2 content encoding
 * (audit-chain/content.ts): a row is a few length reads and views of the chunk, with no text
 * decoding, no JSON parsing and no canonical form unless the verifier needs the record itself.
 *
 * This module imports no Prisma: a verification worker thread loads it on its own
 * (services/audit-verify-scope.ts), with a connection string.
 */

/**
 * Which chains a read covers: every chain, one realm's, the platform's (null), or one part of a
 * partition of all chains (`index` of `of`, by chainPartition: parallel verification).
 */
export type ChainScope = { all: true } | { all: false; realmId: string | null } | { all: false; partition: Partition };

/**
 * A split of every chain in `of` parts. `assigned` places known chains (realm id, lowercase, or
 * "platform") where they balance the parts' sizes; any other chain (one the caller did not know
 * of: no head row, say) falls in the part of its realm id's first byte (the platform's: part 0),
 * so every chain is in exactly one part whatever the assignment says.
 */
export type Partition = { index: number; of: number; assigned?: Record<string, number> };

/** The part a chain falls in (the SQL below computes the same). */
export function chainPartition(realmId: string | null, partition: Pick<Partition, "of" | "assigned">): number {
  const key = realmId === null ? "platform" : realmId.toLowerCase();
  const assigned = partition.assigned && Object.hasOwn(partition.assigned, key) ? partition.assigned[key]! : undefined;
  if (assigned !== undefined && Number.isInteger(assigned) && assigned >= 0 && assigned < partition.of) return assigned;
  return realmId === null ? 0 : parseInt(realmId.slice(0, 2), 16) % partition.of;
}

/**
 * Chains to parts by their length (the heads' seqs), longest first, each to the part with the
 * fewest records so far: the parts finish together. The heads are only a hint (a head row
 * tampered with or missing changes the balance, never the coverage: chainPartition places every
 * chain the assignment does not name).
 */
export function balancedParts(heads: { realmId: string | null; seq: bigint }[], count: number): Record<string, number> {
  const load = new Array<bigint>(count).fill(0n);
  const assigned: Record<string, number> = {};
  for (const head of [...heads].sort((a, b) => (a.seq === b.seq ? 0 : a.seq > b.seq ? -1 : 1))) {
    let part = 0;
    for (let i = 1; i < count; i++) if (load[i]! < load[part]!) part = i;
    assigned[head.realmId === null ? "platform" : head.realmId.toLowerCase()] = part;
    load[part]! += head.seq;
  }
  return assigned;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The scope as SQL. COPY takes no bind parameters, so the values it holds (realm ids) are checked to be UUIDs and written as literals. */
function scopeSql(scope: ChainScope, column: string): string {
  if (scope.all) return "TRUE";
  if ("partition" in scope) {
    const { index, of } = scope.partition;
    if (!Number.isInteger(index) || !Number.isInteger(of) || of < 1 || index < 0 || index >= of) throw new Error("a partition is index < of, whole numbers");
    const byByte = `('x' || left(${column}::text, 2))::bit(8)::int % ${of}`;
    const realms = Object.keys(scope.partition.assigned ?? {}).filter((key) => key !== "platform");
    for (const realm of realms) if (!UUID.test(realm)) throw new Error("a realm id is a UUID");
    const uuids = (list: string[]) => `'{${list.map((r) => r.toLowerCase()).join(",")}}'::uuid[]`;
    const mine = realms.filter((r) => chainPartition(r, scope.partition) === index);
    const platform = chainPartition(null, scope.partition);
    return `(CASE WHEN ${column} IS NULL THEN ${platform}${realms.length ? ` WHEN ${column} = ANY(${uuids(mine)}) THEN ${index} WHEN ${column} = ANY(${uuids(realms)}) THEN -1` : ""} ELSE ${byByte} END) = ${index}`;
  }
  if (scope.realmId === null) return `${column} IS NULL`;
  if (!UUID.test(scope.realmId)) throw new Error("a realm id is a UUID");
  return `${column} = '${scope.realmId.toLowerCase()}'::uuid`;
}

// The chain row's own columns, then whether its event exists, then the event's content columns
// as text (audit-chain/content.ts): in COPY's binary format, those are the v2 content encoding.
const CHAIN_COLUMNS = `c."realm_id", c."seq", c."event_id", c."digest", c."tag", e."id" IS NOT NULL, ${CONTENT_COLUMNS_SQL}`;
const FIELDS = 6 + CONTENT_FIELDS;
const SIGNATURE = Buffer.from("PGCOPY\n\xff\r\n\0", "latin1");

/**
 * One chain row with its record. The record's content is kept as the bytes read (the v2 content
 * encoding, which the verifier hashes as it is) and decoded into a record only when asked for
 * (a v1 entry, a report, a test).
 */
export class ChainRow {
  #record: StoredRecord | null | undefined;
  constructor(
    readonly realmId: string | null,
    readonly seq: bigint,
    readonly eventId: bigint,
    readonly digest: Uint8Array,
    readonly tag: Uint8Array,
    /** undefined: no event row with that id. */
    readonly content: Uint8Array | undefined,
    readonly hasMac: boolean,
  ) {}

  /** The sealed record (null: no event row with that id), decoded on first use. */
  get record(): StoredRecord | null {
    if (this.#record === undefined) this.#record = this.content === undefined ? null : recordOfContent(decodeContent(this.content));
    return this.#record;
  }
}

const hexByte = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

/** A uuid's 16 bytes as its text form (lowercase, as PostgreSQL prints it). */
function uuidText(buf: Buffer, at: number): string {
  let s = "";
  for (let i = 0; i < 16; i++) {
    if (i === 4 || i === 6 || i === 8 || i === 10) s += "-";
    s += hexByte[buf[at + i]!]!;
  }
  return s;
}

/**
 * COPY's binary stream as pages of rows: the 19-byte header (signature, flags, extension), then
 * per row a field count and each field as a 4-byte length (-1: NULL) and its bytes; -1 ends it.
 * A row cut by a chunk's end waits for the next chunk. Content and digests are views of the chunk.
 */
async function* copyPages(stream: AsyncIterable<Buffer>): AsyncGenerator<ChainRow[]> {
  let rest: Buffer | null = null;
  let started = false;
  let ended = false;
  // A chain's realm id is read once per chain: consecutive rows share the string.
  let realmBytes = Buffer.alloc(16);
  let realmId: string | null = null;
  for await (const chunk of stream) {
    const data: Buffer = rest ? Buffer.concat([rest, chunk]) : chunk;
    let at = 0;
    if (!started) {
      if (data.length < 19) {
        rest = data;
        continue;
      }
      if (!data.subarray(0, 11).equals(SIGNATURE)) throw new Error("audit chain read: not a binary COPY stream");
      const extension = data.readUInt32BE(15);
      if (data.length < 19 + extension) {
        rest = data;
        continue;
      }
      at = 19 + extension;
      started = true;
    }
    const rows: ChainRow[] = [];
    while (!ended && at + 2 <= data.length) {
      const count = data.readInt16BE(at);
      if (count === -1) {
        ended = true;
        at += 2;
        break;
      }
      if (count !== FIELDS) throw new Error(`audit chain read: a row of ${count} fields, expected ${FIELDS}`);
      // The whole row must be here: walk its lengths first.
      let p = at + 2;
      const starts = fieldStarts;
      let complete = true;
      for (let i = 0; i < FIELDS; i++) {
        if (p + 4 > data.length) {
          complete = false;
          break;
        }
        const n = data.readInt32BE(p);
        starts[i] = p;
        p += 4 + (n > 0 ? n : 0);
      }
      if (!complete || p > data.length) break;
      const realmAt = starts[0]! + 4;
      if (data.readInt32BE(starts[0]!) === -1) realmId = null;
      else if (realmId === null || !sameRealm(realmBytes, data, realmAt)) {
        realmBytes = Buffer.from(data.subarray(realmAt, realmAt + 16));
        realmId = uuidText(realmBytes, 0);
      }
      const hasEvent = data[starts[5]! + 4] === 1;
      rows.push(
        new ChainRow(
          realmId,
          data.readBigInt64BE(starts[1]! + 4),
          data.readBigInt64BE(starts[2]! + 4),
          view(data, starts[3]! + 4, starts[3]! + 4 + Math.max(0, data.readInt32BE(starts[3]!))),
          view(data, starts[4]! + 4, starts[4]! + 4 + Math.max(0, data.readInt32BE(starts[4]!))),
          hasEvent ? view(data, starts[6]!, p) : undefined,
          hasEvent && data.readInt32BE(starts[6 + CONTENT_MAC]!) !== -1,
        ),
      );
      at = p;
    }
    rest = at < data.length ? data.subarray(at) : null;
    if (rows.length > 0) yield rows;
  }
  if (!ended || (rest && rest.length > 0)) throw new Error("audit chain read: the COPY stream ended inside a row");
}
const fieldStarts = new Array<number>(FIELDS).fill(0);

/** A plain typed-array view of the chunk (cheaper to make than a Buffer slice). */
const view = (data: Buffer, from: number, to: number) => new Uint8Array(data.buffer, data.byteOffset + from, to - from);

function sameRealm(realm: Buffer, data: Buffer, at: number): boolean {
  for (let i = 0; i < 16; i++) if (realm[i] !== data[at + i]) return false;
  return true;
}

/** An audit event's columns as the driver returns them (text for uuids, bigints and details). */
export type RawRecord = {
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

/**
 * Reads the chain (rows with their records, by chain then seq) and the events no chain row seals,
 * in one REPEATABLE READ snapshot, on a connection of its own, a page (array) at a time.
 */
export async function unsafeReadAuditChainsAt<T>(
  connectionString: string,
  scope: ChainScope,
  fn: (snapshot: { entries: AsyncIterable<ChainRow[]>; unsealed: () => Promise<(StoredRecord & { eventId: bigint })[]>; watermark: bigint }) => Promise<T>,
  options: { reads?: number } = {},
): Promise<T> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  const helpers: pg.Client[] = [];
  const copying = new Set<AsyncIterable<Buffer> & { destroy(): void }>();
  try {
    await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    // The chain rows in (realm_id, seq) order come straight from their unique index, each record
    // by its primary key: a nested loop, no sort and no hash of every event (which the planner
    // otherwise picks, and which costs about a third more here, and is built again by each part
    // of a parallel verification). Parallel query workers would only compete with the verifier's
    // own threads for the same cores. work_mem: any sort stays in memory. This transaction only.
    const settings = "SET LOCAL work_mem = '64MB'; SET LOCAL enable_hashjoin = off; SET LOCAL enable_mergejoin = off; SET LOCAL max_parallel_workers_per_gather = 0";
    await client.query(settings);
    const { rows } = await client.query<{ watermark: string }>(`SELECT "realmgate_audit_legacy_watermark"()::text AS "watermark"`);
    const watermark = BigInt(rows[0]!.watermark);
    // Every chain with `reads` > 1: that many COPYs side by side, each on a connection of its own
    // in this transaction's snapshot (pg_export_snapshot), each one part of the chains (balanced by
    // the heads' lengths; chainPartition places any other chain). PostgreSQL's side of the read,
    // most of its cost, then runs on as many cores, while this thread checks the rows as they
    // come: a chain's rows stay in one stream, in order, so pages of different streams interleave freely.
    const reads = scope.all ? Math.max(1, Math.floor(options.reads ?? 1)) : 1;
    const parts: ChainScope[] = [scope];
    const clients = [client];
    if (reads > 1) {
      const [{ snapshot }] = (await client.query<{ snapshot: string }>("SELECT pg_export_snapshot() AS snapshot")).rows as [{ snapshot: string }];
      const heads = await client.query<{ chain_key: string; seq: string }>(`SELECT "chain_key"::text, "seq"::text FROM "audit_chain_heads"`);
      const assigned = balancedParts(
        heads.rows.map((h) => ({ realmId: h.chain_key === "00000000-0000-0000-0000-000000000000" ? null : h.chain_key, seq: BigInt(h.seq) })),
        reads,
      );
      parts.length = 0;
      for (let index = 0; index < reads; index++) parts.push({ all: false, partition: { index, of: reads, assigned } });
      for (let k = 1; k < reads; k++) {
        const helper = new pg.Client({ connectionString });
        helpers.push(helper);
        await helper.connect();
        await helper.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
        await helper.query(`SET TRANSACTION SNAPSHOT '${snapshot.replace(/[^0-9A-Fa-f-]/g, "")}'`);
        await helper.query(settings);
        clients.push(helper);
      }
    }
    let started = false;
    const entries = (async function* () {
      if (started) throw new Error("the chain rows can be read once");
      started = true;
      const streams = parts.map((part, k) => {
        const copy = `COPY (SELECT ${CHAIN_COLUMNS} FROM "audit_chain" c LEFT JOIN "audit_events" e ON e."id" = c."event_id"
                       WHERE ${scopeSql(part, `c."realm_id"`)} ORDER BY c."realm_id", c."seq") TO STDOUT (FORMAT binary)`;
        const stream = clients[k]!.query(copyTo(copy));
        copying.add(stream);
        return { stream, pages: copyPages(stream) };
      });
      if (streams.length === 1) {
        yield* streams[0]!.pages;
      } else {
        // Whichever stream has a page ready first.
        const next = (k: number) =>
          streams[k]!.pages.next().then(
            (result) => ({ k, result, error: undefined as unknown }),
            (error: unknown) => ({ k, result: { done: true as const, value: undefined }, error }),
          );
        const pending = new Map(streams.map((_, k) => [k, next(k)]));
        while (pending.size > 0) {
          const { k, result, error } = await Promise.race(pending.values());
          if (error !== undefined) throw error;
          if (result.done) {
            pending.delete(k);
            continue;
          }
          pending.set(k, next(k));
          yield result.value;
        }
      }
      for (const { stream } of streams) copying.delete(stream);
    })();
    const unsealed = async () => {
      if (copying.size > 0) throw new Error("read the chain rows to their end before the unsealed events");
      // An anti-join of the two primary keys (merge or hash, as the planner likes: the settings
      // above were for the chain read); a part of a partition filters its few results, rather
      // than computing its part for every event.
      await client.query("SET LOCAL enable_hashjoin = on; SET LOCAL enable_mergejoin = on");
      const anti = `SELECT e."id"::text AS "id", e."realm_id"::text, e."actor_id"::text, e."actor_token_id"::text, e."action", e."target_type", e."target_id", e."decision"::text AS "decision",
                e."layer", e."reason", e."request_id", e."details"::text AS "details", e."created_at", e."mac", e."parent_id"::text AS "parent_id", e."phase"
         FROM "audit_events" e
         WHERE NOT EXISTS (SELECT 1 FROM "audit_chain" c WHERE c."event_id" = e."id")`;
      const { rows: events } = await client.query<RawRecord & { id: string }>(
        "partition" in scope
          ? `SELECT * FROM (${anti} OFFSET 0) x WHERE ${scopeSql(scope, `x."realm_id"::uuid`)} ORDER BY x."id"::bigint`
          : `${anti} AND ${scopeSql(scope, `e."realm_id"`)} ORDER BY e."id"`,
      );
      return events.map((r) => ({ ...toStoredRecord(r), eventId: BigInt(r.id) }));
    };
    return await fn({ entries, unsealed, watermark });
  } finally {
    // A reader that stopped early (an error in the verifier) leaves COPY running: the connections are dropped, not reused.
    if (copying.size > 0) {
      for (const stream of copying) stream.destroy();
      for (const c of [client, ...helpers]) await c.end().catch(() => undefined);
    } else {
      for (const c of [client, ...helpers]) {
        await c.query("ROLLBACK").catch(() => undefined);
        await c.end().catch(() => undefined);
      }
    }
  }
}

/**
 * The sealer's claim: up to `limit` queued events, oldest id first, locked for this transaction
 * (a second sealer skips them), each with its content columns as text, by the same expressions
 * the verifier's COPY reads (audit-chain/content.ts): the bytes the sealer MAC-checks and hashes
 * are the bytes the verifier will hash. content null: the event row is gone.
 */
export async function unsafeClaimUnsealedContents(tx: Tx, limit: number): Promise<{ eventId: bigint; content: (string | null)[] | null }[]> {
  const columns = CONTENT_COLUMNS.map((c, i) => `${c} AS "c${i}"`).join(", ");
  const rows = await tx.$queryRawUnsafe<Record<string, string | null>[]>(
    `SELECT q."event_id"::text AS "queued", e."id" IS NOT NULL AS "present", ${columns}
     FROM "realmgate_private"."audit_unsealed" q LEFT JOIN "audit_events" e ON e."id" = q."event_id"
     ORDER BY q."event_id" LIMIT $1 FOR UPDATE OF q SKIP LOCKED`,
    limit,
  );
  return rows.map((r) => ({ eventId: BigInt(r.queued!), content: (r.present as unknown) === true ? CONTENT_COLUMNS.map((_, i) => r[`c${i}`] ?? null) : null }));
}
