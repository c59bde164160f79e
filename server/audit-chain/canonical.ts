/**
 * The byte strings the audit trail's MACs and chain digests are computed over. One function per
 * form, used by the writer (repositories/audit.ts, before the insert), the sealer and the
 * verifier (from the row read back), so the three cannot disagree.
 *
 * `details` is jsonb: PostgreSQL reorders keys, drops duplicate keys and rewrites numbers
 * (1.0 → 1, 1e21 → 1000000000000000000000). Its canonical form is therefore taken from the
 * value after a JSON round trip (what the database is given), with keys sorted and numbers in
 * JavaScript's shortest form, which both sides reach from the same double.
 */

export type AuditDecision = "allow" | "deny";

/** An audit record's content columns: everything the record MAC covers. */
export type AuditRecordContent = {
  realmId: string | null;
  actorId: string | null;
  actorTokenId: string | null;
  action: string;
  targetType: string;
  targetId: string | null;
  decision: AuditDecision;
  layer: string;
  reason: string;
  requestId: string;
  /** As read back from jsonb, or the value given to the insert (see normalizeDetails). */
  details: unknown;
  createdAt: Date;
  /** A phase's root event id (audit_events.parent_id); absent or null for a root or single-step event. */
  parentId?: bigint | string | null;
  /** authorized | applied | failed | denied; absent or null for a single-step event. */
  phase?: string | null;
};

const RECORD_FORMAT = "realmgate.audit.record.v1";
const CHAIN_FORMAT = "realmgate.audit.chain.v1";

/** JSON with object keys sorted (UTF-16 order) at every depth; undefined members dropped as JSON.stringify drops them. */
export function canonicalJson(value: unknown): string {
  // The verifier computes this for every record: plain JSON data (what JSON.parse and
  // normalizeDetails give) goes through the native JSON.stringify once its keys are in order,
  // which writes the same bytes (strings, keys and finite numbers alike; objects have no toJSON).
  // Anything else (undefined, functions, Dates…) takes the general walk below.
  const sorted = sortedPlain(value);
  return sorted === NOT_PLAIN ? canonicalJsonWalk(value) : JSON.stringify(sorted);
}

const NOT_PLAIN = Symbol("not plain JSON data");

/** The value with every object's keys in sorted order (the same objects when already sorted, copies where not), or NOT_PLAIN. */
function sortedPlain(value: unknown): unknown {
  switch (typeof value) {
    case "string":
    case "boolean":
      return value;
    case "number":
      return value; // JSON.stringify writes String(n) for finite numbers and null otherwise, as the walk does
    case "object":
      break;
    default:
      return NOT_PLAIN;
  }
  if (value === null) return null;
  if (Array.isArray(value)) {
    let copy: unknown[] | null = null;
    for (let i = 0; i < value.length; i++) {
      const v: unknown = value[i];
      if (typeof v !== "object" || v === null) {
        if (typeof v !== "string" && typeof v !== "number" && typeof v !== "boolean" && v !== null) return NOT_PLAIN;
        if (copy) copy[i] = v;
        continue;
      }
      const s = sortedPlain(v);
      if (s === NOT_PLAIN) return NOT_PLAIN;
      if (s !== v && !copy) copy = value.slice(0, i);
      if (copy) copy[i] = s;
    }
    return copy ?? value;
  }
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) return NOT_PLAIN;
  const object = value as Record<string, unknown>;
  const keys = Object.keys(object);
  let inOrder = true;
  for (let i = 1; i < keys.length; i++) {
    if (keys[i - 1]! > keys[i]!) {
      inOrder = false;
      break;
    }
  }
  // A copy in sorted order would not keep it for array-index keys ("9", "10"): objects list
  // those first, numerically. Such objects take the walk.
  if (!inOrder) for (const key of keys) if (key.charCodeAt(0) >= 48 && key.charCodeAt(0) <= 57) return NOT_PLAIN;
  const sortedKeys = inOrder ? keys : keys.sort();
  // A null-prototype copy: a "__proto__" key stays an own property, as JSON.parse made it.
  let copy: Record<string, unknown> | null = inOrder ? null : (Object.create(null) as Record<string, unknown>);
  for (let i = 0; i < sortedKeys.length; i++) {
    const key = sortedKeys[i]!;
    const v = object[key];
    const s = typeof v === "object" && v !== null ? sortedPlain(v) : typeof v === "string" || typeof v === "number" || typeof v === "boolean" || v === null ? v : NOT_PLAIN;
    if (s === NOT_PLAIN) return NOT_PLAIN;
    if (s !== v && !copy) {
      copy = Object.create(null) as Record<string, unknown>;
      for (let j = 0; j < i; j++) copy[sortedKeys[j]!] = object[sortedKeys[j]!];
    }
    if (copy) copy[key] = s;
  }
  return copy ?? object;
}

function canonicalJsonWalk(value: unknown): string {
  switch (typeof value) {
    case "string":
      return JSON.stringify(value);
    case "number":
      // String() is JSON's number form for finite numbers (-0 → "0", 1e21 → "1e+21").
      return Number.isFinite(value) ? String(value) : "null";
    case "boolean":
      return value ? "true" : "false";
    case "object":
      break;
    default:
      return "null";
  }
  if (value === null) return "null";
  if (Array.isArray(value)) {
    let out = "[";
    for (let i = 0; i < value.length; i++) {
      const v: unknown = value[i];
      out += (i ? "," : "") + (v === undefined || typeof v === "function" ? "null" : canonicalJsonWalk(v));
    }
    return `${out}]`;
  }
  const object = value as Record<string, unknown>;
  const keys = Object.keys(object);
  for (let i = 1; i < keys.length; i++) {
    if (keys[i - 1]! > keys[i]!) {
      keys.sort();
      break;
    }
  }
  let out = "{";
  for (const key of keys) {
    const v = object[key];
    if (v === undefined || typeof v === "function" || typeof v === "symbol") continue;
    out += `${out.length > 1 ? "," : ""}${JSON.stringify(key)}:${canonicalJsonWalk(v)}`;
  }
  return `${out}}`;
}

/** What the database will hold for a details value given to an insert: its JSON round trip (toJSON, undefined dropped). */
export function normalizeDetails(details: unknown): unknown {
  if (details === undefined || details === null) return null;
  return JSON.parse(JSON.stringify(details)) as unknown;
}

const uuid = (id: string | null) => (id === null ? null : id.toLowerCase());

/**
 * The record's canonical string: a JSON array of its scalar columns in a fixed order (created_at
 * in epoch ms; then parent_id as a decimal string and phase, only when either is set), a newline, then the canonical JSON of details ("null" when there are none).
 */
export function canonicalRecord(r: AuditRecordContent): string {
  const fields: unknown[] = [RECORD_FORMAT, uuid(r.realmId), uuid(r.actorId), uuid(r.actorTokenId), r.action, r.targetType, r.targetId, r.decision, r.layer, r.reason, r.requestId, r.createdAt.getTime()];
  // Phases (migration audit_phases) extend the array only when set: a record written before them,
  // or without them, keeps the exact form (and MAC) it had.
  const parentId = r.parentId === undefined || r.parentId === null ? null : r.parentId.toString();
  const phase = r.phase ?? null;
  if (parentId !== null || phase !== null) fields.push(parentId, phase);
  const head = JSON.stringify(fields);
  return `${head}\n${r.details === null || r.details === undefined ? "null" : canonicalJson(r.details)}`;
}

/**
 * One chain entry's canonical bytes: a header naming its place (chain, seq), the event it seals
 * and the record's MAC (hex; "-" for a legacy record written before record MACs existed), one
 * field a line (none can contain a newline), then the canonical record.
 */
export function canonicalChainEntry(entry: { realmId: string | null; seq: bigint; eventId: bigint; record: string; mac: Uint8Array | null }): string {
  return chainEntryHeader(entry) + entry.record;
}

/** canonicalChainEntry without the record (hashed after it, without building the joined string). */
export function chainEntryHeader(entry: { realmId: string | null; seq: bigint; eventId: bigint; mac: Uint8Array | null }): string {
  const mac = entry.mac === null ? "-" : Buffer.from(entry.mac.buffer, entry.mac.byteOffset, entry.mac.byteLength).toString("hex");
  return `${CHAIN_FORMAT}\n${uuid(entry.realmId) ?? "-"}\n${entry.seq}\n${entry.eventId}\n${mac}\n`;
}
