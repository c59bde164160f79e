import { createHash } from "node:crypto";
import { oneShotHash } from "./keys";
import type { ExportedRecordContent } from "./export-format";
import type { StoredRecord } from "./verify";

/**
 * Chain format v2: the digest covers a record's content as the database stores it, not a
 * canonical form rebuilt from parsed values, so the verifier hashes the bytes it reads without
 * parsing or re-serialising them (one native SHA-256 over a few hundred bytes per record).
 *
 * The content is the fifteen content columns of an audit event, each as PostgreSQL's text of it
 * (CONTENT_COLUMNS_SQL: uuids and bigints as text, details as jsonb's text, created_at in epoch ms,
 * the MAC in hex), each written as a 4-byte big-endian length (-1 for NULL) and its UTF-8 bytes:
 * an injective encoding (no value can shift into its neighbour), and byte for byte what
 * `COPY … (FORMAT binary)` sends for text columns. The verifier takes it straight from that
 * stream; the sealer builds it from the same expressions read as text; an export carries each
 * text (details as `detailsText`) and rebuilds it.
 *
 *   digest_n (v2) = SHA-256(digest_{n-1} ‖ "realmgate.audit.chain.v2" ‖ chain ‖ seq ‖ event id ‖ content)
 *
 * chain: one byte (0 platform, 1 realm) and the realm id's 16 bytes (zeros for the platform);
 * seq and event id: 8 bytes each, big-endian. Fixed widths, so the header is unambiguous.
 * The tag is unchanged: HMAC-SHA256(K_chain, digest). v1 entries (digest over the canonical form,
 * chain.ts) still verify: the verifier tries v2 first and falls back to v1.
 *
 * What the record MAC adds for a v2 entry is checked by the sealer before it seals (verify.ts says
 * why the verifier need not check it again). The one outside dependency: jsonb's text output,
 * unchanged since PostgreSQL 9.4; were a future major version to print a stored value otherwise,
 * its v2 entries would be reported (as swapped: MAC valid, digest not), never silently accepted.
 */

/** The content columns of audit_events `e`, in the v2 order, each as text. */
export const CONTENT_COLUMNS = [
  `e."realm_id"::text`,
  `e."actor_id"::text`,
  `e."actor_token_id"::text`,
  `e."action"::text`,
  `e."target_type"::text`,
  `e."target_id"::text`,
  `e."decision"::text`,
  `e."layer"::text`,
  `e."reason"::text`,
  `e."request_id"::text`,
  `e."details"::text`,
  `((extract(epoch FROM e."created_at") * 1000)::bigint)::text`,
  `encode(e."mac", 'hex')`,
  `e."parent_id"::text`,
  `e."phase"::text`,
] as const;

export const CONTENT_FIELDS = CONTENT_COLUMNS.length;
/** Index of the MAC (hex) among the content fields. */
export const CONTENT_MAC = 12;

export const CONTENT_COLUMNS_SQL = CONTENT_COLUMNS.join(", ");

/** The content encoding of fifteen texts (null: NULL). */
export function encodeContent(values: readonly (string | null)[]): Buffer {
  if (values.length !== CONTENT_FIELDS) throw new Error(`audit content: ${values.length} fields, expected ${CONTENT_FIELDS}`);
  let size = 0;
  for (const v of values) size += 4 + (v === null ? 0 : Buffer.byteLength(v, "utf8"));
  const out = Buffer.allocUnsafe(size);
  let at = 0;
  for (const v of values) {
    if (v === null) {
      out.writeInt32BE(-1, at);
      at += 4;
      continue;
    }
    const n = out.write(v, at + 4, "utf8");
    out.writeInt32BE(n, at);
    at += 4 + n;
  }
  return out;
}

/** The fifteen texts of a content encoding; throws when it is not one. */
export function decodeContent(content: Uint8Array): (string | null)[] {
  const buf = Buffer.isBuffer(content) ? content : Buffer.from(content.buffer, content.byteOffset, content.byteLength);
  const values: (string | null)[] = [];
  let at = 0;
  for (let i = 0; i < CONTENT_FIELDS; i++) {
    if (at + 4 > buf.length) throw new Error("audit content: cut short");
    const n = buf.readInt32BE(at);
    at += 4;
    if (n === -1) {
      values.push(null);
      continue;
    }
    if (n < 0 || at + n > buf.length) throw new Error("audit content: a field runs past the end");
    values.push(buf.toString("utf8", at, at + n));
    at += n;
  }
  if (at !== buf.length) throw new Error("audit content: bytes after the last field");
  return values;
}

/** The record the texts describe (what a report names, and what the MAC covers). */
export function recordOfContent(values: readonly (string | null)[]): StoredRecord {
  const [realmId, actorId, actorTokenId, action, targetType, targetId, decision, layer, reason, requestId, details, createdMs, mac, parentId, phase] = values;
  const text = (v: string | null | undefined) => v ?? null;
  return {
    realmId: text(realmId),
    actorId: text(actorId),
    actorTokenId: text(actorTokenId),
    action: action ?? "",
    targetType: targetType ?? "",
    targetId: text(targetId),
    decision: decision as "allow" | "deny",
    layer: layer ?? "",
    reason: reason ?? "",
    requestId: requestId ?? "",
    details: details === null || details === undefined ? null : (JSON.parse(details) as unknown),
    createdAt: new Date(Number(createdMs)),
    mac: mac === null || mac === undefined ? null : Buffer.from(mac, "hex"),
    parentId: text(parentId),
    phase: text(phase),
  };
}

/**
 * The texts of a record as an export states them: every column as the database printed it,
 * details as `detailsText` (jsonb's text), time as ISO 8601 (whole milliseconds, as exported).
 */
export function contentOfExported(r: Omit<ExportedRecordContent, "details" | "detailsText"> & { detailsText: string | null; mac: string | null }): Buffer {
  const ms = Date.parse(r.createdAt);
  return encodeContent([r.realmId, r.actorId, r.actorTokenId, r.action, r.targetType, r.targetId, r.decision, r.layer, r.reason, r.requestId, r.detailsText, String(ms), r.mac, r.parentId, r.phase]);
}

const V2_PREFIX = Buffer.from("realmgate.audit.chain.v2", "ascii");
const HEADER = V2_PREFIX.length + 1 + 16 + 8 + 8;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The v2 header's chain part: prefix, kind byte and realm bytes (seq and event id left zero). */
function headerOf(realmId: string | null): Buffer {
  const header = Buffer.alloc(HEADER);
  V2_PREFIX.copy(header, 0);
  if (realmId !== null) {
    if (!UUID.test(realmId)) throw new Error("audit chain v2: a realm id is a UUID");
    header[V2_PREFIX.length] = 1;
    Buffer.from(realmId.replace(/-/g, ""), "hex").copy(header, V2_PREFIX.length + 1);
  }
  return header;
}

// The verifier reads a chain's rows one after another: its header is made once and reused.
let lastRealm: string | null | undefined;
let lastHeader: Buffer = headerOf(null);
let scratch = Buffer.allocUnsafe(4096);

/** An unsigned 64-bit big-endian integer; below 2^53 (every seq and id in practice) without BigInt arithmetic. */
function writeU64(buf: Buffer, at: number, value: bigint): void {
  const n = Number(value);
  if (n >= 0 && n <= Number.MAX_SAFE_INTEGER) {
    buf.writeUInt32BE(Math.floor(n / 0x1_0000_0000), at);
    buf.writeUInt32BE(n >>> 0, at + 4);
  } else buf.writeBigUInt64BE(value, at);
}

/** digest_n (v2) from digest_{n-1}, the entry's place and the record's content encoding. */
export function chainDigestV2(previous: Uint8Array, entry: { realmId: string | null; seq: bigint; eventId: bigint; content: Uint8Array }): Buffer {
  if (entry.realmId !== lastRealm) {
    lastHeader = headerOf(entry.realmId === null ? null : entry.realmId.toLowerCase());
    lastRealm = entry.realmId;
  }
  writeU64(lastHeader, HEADER - 16, entry.seq);
  writeU64(lastHeader, HEADER - 8, entry.eventId);
  if (!oneShotHash) return createHash("sha256").update(previous).update(lastHeader).update(entry.content).digest();
  const size = previous.byteLength + HEADER + entry.content.byteLength;
  if (scratch.length < size) scratch = Buffer.allocUnsafe(Math.max(size, scratch.length * 2));
  scratch.set(previous, 0);
  scratch.set(lastHeader, previous.byteLength);
  scratch.set(entry.content, previous.byteLength + HEADER);
  return oneShotHash("sha256", scratch.subarray(0, size), "buffer");
}
