import pg from "pg";
import { to as copyTo } from "pg-copy-streams";
import type { StoredRecord } from "../audit-chain/verify";

/**
 * The verifier's read of the audit chain (platform code: every realm's rows, row-level security
 * bypassed, hence unsafe…). It is the verifier's hot path, so it reads with COPY … TO STDOUT
 * (text format) instead of a cursor: PostgreSQL streams the rows while the verifier checks the
 * ones already here (the socket's backpressure paces it; memory stays flat), and each chunk is
 * decoded once and split into lines and fields, instead of one string and one parser call per
 * field of each row (about twice the rows per second of the cursor it replaced).
 *
 * This module imports no Prisma: a verification worker thread loads it on its own
 * (services/audit-verify-scope.ts), with a connection string.
 */

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

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The scope as SQL. COPY takes no bind parameters, so the one value it holds (a realm id) is checked to be a UUID and written as a literal. */
function scopeSql(scope: ChainScope, column: string): string {
  if (scope.all) return "TRUE";
  if ("partition" in scope) {
    const { index, of } = scope.partition;
    if (!Number.isInteger(index) || !Number.isInteger(of) || of < 1 || index < 0 || index >= of) throw new Error("a partition is index < of, whole numbers");
    return `(CASE WHEN ${column} IS NULL THEN 0 ELSE ('x' || left(${column}::text, 2))::bit(8)::int % ${of} END) = ${index}`;
  }
  if (scope.realmId === null) return `${column} IS NULL`;
  if (!UUID.test(scope.realmId)) throw new Error("a realm id is a UUID");
  return `${column} = '${scope.realmId.toLowerCase()}'::uuid`;
}

// Text the verifier takes as it is: hex for bytes, epoch ms for time, details as JSON text.
const CHAIN_COLUMNS = `c."realm_id", c."seq", c."event_id", encode(c."digest", 'hex'), encode(c."tag", 'hex'), e."id" IS NOT NULL,
  e."realm_id", e."actor_id", e."actor_token_id", e."action", e."target_type", e."target_id", e."decision", e."layer", e."reason", e."request_id",
  e."details"::text, (extract(epoch FROM e."created_at") * 1000)::bigint, encode(e."mac", 'hex'), e."parent_id"::text, e."phase"`;
const FIELDS = 21;

const UNESCAPES: Record<string, string> = { b: "\b", f: "\f", n: "\n", r: "\r", t: "\t", v: "\v", "\\": "\\" };

/** One field of COPY's text format: \N is NULL; a backslash escapes \, tab, newline, CR (and \b \f \v). */
function field(raw: string): string | null {
  if (raw.length === 2 && raw === "\\N") return null;
  if (raw.indexOf("\\") === -1) return raw;
  return raw.replace(/\\(.)/g, (_, c: string) => UNESCAPES[c] ?? c);
}

const bytes = (hex: string | null): Buffer | null => (hex === null ? null : Buffer.from(hex, "hex"));

/** One COPY line (tab-separated, no trailing newline) as a chain row with its record. */
export function chainRowOfCopyLine(line: string): ChainRow {
  const f = line.split("\t");
  if (f.length !== FIELDS) throw new Error(`audit chain read: a row of ${f.length} fields, expected ${FIELDS}`);
  const details = field(f[16]!);
  return {
    realmId: field(f[0]!),
    seq: BigInt(f[1]!),
    eventId: BigInt(f[2]!),
    digest: Buffer.from(f[3]!, "hex"),
    tag: Buffer.from(f[4]!, "hex"),
    record:
      f[5] === "t"
        ? {
            realmId: field(f[6]!),
            actorId: field(f[7]!),
            actorTokenId: field(f[8]!),
            action: field(f[9]!)!,
            targetType: field(f[10]!)!,
            targetId: field(f[11]!),
            decision: field(f[12]!) as "allow" | "deny",
            layer: field(f[13]!)!,
            reason: field(f[14]!)!,
            requestId: field(f[15]!)!,
            details: details === null ? null : (JSON.parse(details) as unknown),
            createdAt: new Date(Number(f[17]!)),
            mac: bytes(field(f[18]!)),
            parentId: field(f[19]!),
            phase: field(f[20]!),
          }
        : null,
  };
}

/**
 * COPY's stream as pages of rows: each chunk is cut after its last newline (a newline byte is
 * never inside a UTF-8 character), decoded once and split into lines.
 */
async function* copyPages(stream: AsyncIterable<Buffer>): AsyncGenerator<ChainRow[]> {
  let rest: Buffer | null = null;
  for await (const chunk of stream) {
    const data: Buffer = rest ? Buffer.concat([rest, chunk]) : chunk;
    const end = data.lastIndexOf(10);
    if (end === -1) {
      rest = data;
      continue;
    }
    rest = end + 1 < data.length ? data.subarray(end + 1) : null;
    const lines = data.toString("utf8", 0, end).split("\n");
    const rows: ChainRow[] = new Array<ChainRow>(lines.length);
    for (let i = 0; i < lines.length; i++) rows[i] = chainRowOfCopyLine(lines[i]!);
    yield rows;
  }
  if (rest && rest.length > 0) throw new Error("audit chain read: the COPY stream ended inside a row");
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
): Promise<T> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  let copying: (AsyncIterable<Buffer> & { destroy(): void }) | null = null;
  try {
    await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    // The read sorts every chain row by chain and seq: in memory rather than in temporary files
    // (the default 4 MB spills at about 30,000 rows). This transaction only.
    await client.query("SET LOCAL work_mem = '64MB'");
    const { rows } = await client.query<{ watermark: string }>(`SELECT "realmgate_audit_legacy_watermark"()::text AS "watermark"`);
    const watermark = BigInt(rows[0]!.watermark);
    const copy = `COPY (SELECT ${CHAIN_COLUMNS} FROM "audit_chain" c LEFT JOIN "audit_events" e ON e."id" = c."event_id"
                   WHERE ${scopeSql(scope, `c."realm_id"`)} ORDER BY c."realm_id", c."seq") TO STDOUT`;
    let started = false;
    const entries = (async function* () {
      if (started) throw new Error("the chain rows can be read once");
      started = true;
      copying = client.query(copyTo(copy));
      yield* copyPages(copying);
      copying = null;
    })();
    const unsealed = async () => {
      if (copying) throw new Error("read the chain rows to their end before the unsealed events");
      const { rows: events } = await client.query<RawRecord & { id: string }>(
        `SELECT e."id"::text AS "id", e."realm_id"::text, e."actor_id"::text, e."actor_token_id"::text, e."action", e."target_type", e."target_id", e."decision"::text AS "decision",
                e."layer", e."reason", e."request_id", e."details"::text AS "details", e."created_at", e."mac", e."parent_id"::text AS "parent_id", e."phase"
         FROM "audit_events" e
         WHERE ${scopeSql(scope, `e."realm_id"`)} AND NOT EXISTS (SELECT 1 FROM "audit_chain" c WHERE c."event_id" = e."id") ORDER BY e."id"`,
      );
      return events.map((r) => ({ ...toStoredRecord(r), eventId: BigInt(r.id) }));
    };
    return await fn({ entries, unsealed, watermark });
  } finally {
    // A reader that stopped early (an error in the verifier) leaves COPY running: the connection is dropped, not reused.
    const stopped = copying as { destroy(): void } | null;
    if (stopped) {
      stopped.destroy();
      await client.end().catch(() => undefined);
    } else {
      await client.query("ROLLBACK").catch(() => undefined);
      await client.end();
    }
  }
}
