import type { AuditRecordContent } from "./canonical";
import type { CheckpointExcerpt } from "./checkpoint";

/**
 * The audit export's two file formats (NDJSON and CSV), written by the export stream
 * (services/audit-export.ts) and read back by the offline verifier (verify-export.ts) and
 * `realmgate audit verify --file`. One item per line (NDJSON) or row (CSV):
 *
 * - `header`: the format, what was exported (scope, filter), when, and the public key;
 * - `record`: one sealed audit record with its chain data: the chain (realm id, null for the
 *   platform's), seq, event id, the previous entry's digest, the digest, tag and record MAC
 *   (hex), and every content column the MAC and digest cover. With the previous digest, each
 *   record's digest can be recomputed on its own, so a filtered export (a subset of the chain)
 *   is checked record by record; consecutive seqs are also checked for linkage;
 * - `checkpoint`: for each exported chain, its part of the newest signed checkpoint the export
 *   reaches (checkpoint.ts: each chain's head carries its own Ed25519 signature, so a realm's
 *   export shows no other realm's chain);
 * - `trailer`: counts per chain, written last: a file without it was cut short.
 *
 * NDJSON: one JSON object a line, `kind` first. CSV (RFC 4180): a header row naming COLUMNS, then
 * one row per item: records fill the record columns; header, checkpoint and trailer rows fill
 * `kind` and `meta` (the same JSON object as the NDJSON line). NULL is an empty unquoted field,
 * every string is quoted (so "" is the empty string); a cell that a spreadsheet would run as a
 * formula (=, +, -, @, tab, CR first) gets one leading apostrophe, which the reader removes.
 */

export const EXPORT_FORMAT = "realmgate.audit.export.v1";

export type ExportFormat = "ndjson" | "csv";

/** What an export covers: one realm's chain (a member's export), or any chains (an operator's). */
export type ExportHeader = {
  kind: "header";
  format: typeof EXPORT_FORMAT;
  exportedAt: string;
  /** "realm": a member's export of its own realm; "operator": an operator's (one realm, the platform's chain, or all). */
  scope: "realm" | "operator";
  /** The chains asked for: a realm id, null (the platform's), or "all". */
  chains: string | null;
  /** True when any filter narrowed the records: the export is a subset of each chain. */
  filtered: boolean;
  filter: Record<string, string>;
  /** The checkpoints' Ed25519 public key (32 raw bytes, base64), as the server knows it. Verify with one obtained independently. */
  publicKey: string;
  /** Events up to this id were written before record MACs existed (they carry none). */
  legacyWatermark: string;
};

/** A record's content as an export writes it: the canonical columns, with time and parent id as text. */
export type ExportedRecordContent = Omit<AuditRecordContent, "createdAt" | "parentId" | "phase"> & {
  /** ISO 8601, milliseconds. */
  createdAt: string;
  /** A phase's root event id (decimal), or null. */
  parentId: string | null;
  /** authorized | applied | failed | denied, or null. */
  phase: string | null;
  /**
   * details exactly as the database prints it (jsonb's text), which a v2 chain digest covers
   * (content.ts); `details` is the same value parsed. Absent in exports made before v2.
   */
  detailsText?: string | null;
};

export type ExportRecord = {
  kind: "record";
  /** The chain: the realm id, or null for the platform's own. */
  chain: string | null;
  seq: string;
  eventId: string;
  /** The previous chain entry's digest (hex; 64 zeros before seq 1); null when that entry is missing from the database. */
  prevDigest: string | null;
  digest: string;
  tag: string;
  /** The record MAC (hex); null for a record written before MACs existed. */
  mac: string | null;
  /** null: the chain row seals an event no longer in the trail. */
  record: ExportedRecordContent | null;
};

export type ExportCheckpoint = { kind: "checkpoint" } & CheckpointExcerpt;

export type ExportTrailerChain = { chain: string | null; records: number; firstSeq: string | null; lastSeq: string | null };

export type ExportTrailer = { kind: "trailer"; records: number; chains: ExportTrailerChain[] };

export type ExportItem = ExportHeader | ExportRecord | ExportCheckpoint | ExportTrailer;

/** A line or row the reader could not make sense of (1-based line or row number). */
export type MalformedItem = { kind: "malformed"; line: number; detail: string };

// ---------------------------------------------------------------------------------------------
// Writing

export const CSV_COLUMNS = [
  "kind", "chain", "seq", "event_id", "prev_digest", "digest", "tag", "mac",
  "realm_id", "actor_id", "actor_token_id", "action", "target_type", "target_id", "decision", "layer", "reason", "request_id", "details", "created_at",
  "parent_id", "phase", "details_text", "meta",
] as const;

/** Columns an older export lacks (read as absent). */
const OPTIONAL_CSV_COLUMNS: ReadonlySet<string> = new Set(["details_text"]);

const FORMULA_START = /^'*[=+\-@\t\r]/;

function csvCell(value: string | null): string {
  if (value === null) return "";
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return `"${safe.replace(/"/g, '""')}"`;
}

const csvRow = (cells: (string | null)[]) => `${cells.map(csvCell).join(",")}\r\n`;

/** The first line of a CSV export: the column names. */
export const csvHeaderRow = (): string => `${CSV_COLUMNS.join(",")}\r\n`;

/** One item as NDJSON (a line) or CSV (a row), newline included. */
export function formatItem(item: ExportItem, format: ExportFormat): string {
  if (format === "ndjson") return `${JSON.stringify(item)}\n`;
  if (item.kind !== "record") {
    const cells: (string | null)[] = CSV_COLUMNS.map(() => null);
    cells[0] = item.kind;
    cells[CSV_COLUMNS.length - 1] = JSON.stringify(item);
    return csvRow(cells);
  }
  const r = item.record;
  return csvRow([
    "record", item.chain ?? "", item.seq, item.eventId, item.prevDigest, item.digest, item.tag, item.mac,
    r?.realmId ?? null, r?.actorId ?? null, r?.actorTokenId ?? null, r?.action ?? null, r?.targetType ?? null, r?.targetId ?? null,
    r?.decision ?? null, r?.layer ?? null, r?.reason ?? null, r?.requestId ?? null,
    r === null || r.details === null || r.details === undefined ? null : JSON.stringify(r.details),
    r?.createdAt ?? null,
    r?.parentId ?? null, r?.phase ?? null,
    r?.detailsText ?? null,
    null,
  ]);
}

// ---------------------------------------------------------------------------------------------
// Reading

type Chunks = AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array>;

/** The file's text, chunk by chunk (UTF-8 decoded across chunk boundaries). */
async function* text(chunks: Chunks): AsyncGenerator<string> {
  const decoder = new TextDecoder("utf-8", { fatal: false });
  for await (const chunk of chunks) {
    const s = typeof chunk === "string" ? chunk : decoder.decode(chunk, { stream: true });
    if (s) yield s;
  }
  const rest = decoder.decode();
  if (rest) yield rest;
}

/** A record counted, not read: its chain only (readExport's `countRecords`). */
export type CountedRecord = { kind: "counted"; chain: string | null; line: number };

const RECORD_PREFIX = /^\{"kind":"record","chain":(?:null|"([0-9a-f-]{36})"),/;

/**
 * Reads an export (NDJSON or CSV, told apart by its first character) item by item, without
 * holding the file. With `countRecords`, an NDJSON record line in the writer's own form is only
 * counted (its chain read from its prefix, the line not parsed): a first pass that needs the
 * header, checkpoints and trailer; the second pass reads and judges every record.
 */
export function readExport(chunks: Chunks): AsyncGenerator<ExportItem | MalformedItem>;
export function readExport(chunks: Chunks, options: { countRecords: true }): AsyncGenerator<ExportItem | MalformedItem | CountedRecord>;
export async function* readExport(chunks: Chunks, options: { countRecords?: boolean } = {}): AsyncGenerator<ExportItem | MalformedItem | CountedRecord> {
  const source = text(chunks);
  let first = await source.next();
  while (!first.done && first.value.trimStart() === "") first = await source.next();
  if (first.done) return;
  const head = first.value;
  async function* all(): AsyncGenerator<string> {
    yield head;
    yield* source;
  }
  if (head.trimStart().startsWith("{")) yield* readNdjson(all(), options.countRecords ?? false);
  else yield* readCsv(all());
}

async function* lines(source: AsyncIterable<string>): AsyncGenerator<string> {
  let buffer = "";
  for await (const s of source) {
    buffer += s;
    let start = 0;
    for (;;) {
      const nl = buffer.indexOf("\n", start);
      if (nl < 0) break;
      yield buffer.slice(start, nl);
      start = nl + 1;
    }
    buffer = buffer.slice(start);
  }
  if (buffer !== "") yield buffer;
}

async function* readNdjson(source: AsyncIterable<string>, countRecords: boolean): AsyncGenerator<ExportItem | MalformedItem | CountedRecord> {
  let n = 0;
  for await (const raw of lines(source)) {
    n++;
    const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    if (countRecords) {
      const record = RECORD_PREFIX.exec(line);
      if (record) {
        yield { kind: "counted", chain: record[1] ?? null, line: n };
        continue;
      }
    }
    if (line.trim() === "") continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      yield { kind: "malformed", line: n, detail: `line ${n} is not JSON (${(error as Error).message})` };
      continue;
    }
    yield checkItem(value, n);
  }
}

/** RFC 4180 rows, quoted fields may hold newlines; each field says whether it was quoted (null vs ""). */
async function* csvRows(source: AsyncIterable<string>): AsyncGenerator<{ row: number; fields: { value: string; quoted: boolean }[] }> {
  let fields: { value: string; quoted: boolean }[] = [];
  let field = "";
  let quoted = false;
  let inQuotes = false;
  let quotePending = false; // a quote seen inside quotes: the end, or the first of a doubled pair
  let row = 0;
  let rowHasContent = false;
  const endField = () => {
    fields.push({ value: field, quoted });
    field = "";
    quoted = false;
  };
  for await (const s of source) {
    for (let i = 0; i < s.length; i++) {
      const ch = s[i]!;
      if (inQuotes) {
        if (quotePending) {
          quotePending = false;
          if (ch === '"') {
            field += '"';
            continue;
          }
          inQuotes = false; // the closing quote; this character is handled below
        } else if (ch === '"') {
          quotePending = true;
          continue;
        } else {
          // Copy a run of plain characters at once.
          const end = s.indexOf('"', i);
          const stop = end < 0 ? s.length : end;
          field += s.slice(i, stop);
          i = stop - 1;
          continue;
        }
      }
      if (ch === '"' && field === "" && !quoted) {
        inQuotes = true;
        quoted = true;
        rowHasContent = true;
      } else if (ch === ",") {
        endField();
        rowHasContent = true;
      } else if (ch === "\n") {
        if (rowHasContent || field !== "") {
          endField();
          row++;
          yield { row, fields };
        }
        fields = [];
        rowHasContent = false;
      } else if (ch === "\r") {
        // part of CRLF (or stray): ignored outside quotes
      } else {
        field += ch;
        rowHasContent = true;
      }
    }
  }
  if (quotePending) inQuotes = false;
  if (rowHasContent || field !== "" || fields.length > 0) {
    endField();
    row++;
    yield { row, fields };
  }
}

async function* readCsv(source: AsyncIterable<string>): AsyncGenerator<ExportItem | MalformedItem> {
  let columns: Map<string, number> | null = null;
  for await (const { row, fields } of csvRows(source)) {
    if (columns === null) {
      columns = new Map(fields.map((f, i) => [f.value, i]));
      const missing = CSV_COLUMNS.filter((c) => !columns!.has(c) && !OPTIONAL_CSV_COLUMNS.has(c));
      if (missing.length) {
        yield { kind: "malformed", line: row, detail: `row ${row}: not an audit export's header row (missing ${missing.join(", ")})` };
        return;
      }
      continue;
    }
    const cell = (name: (typeof CSV_COLUMNS)[number]): string | null => {
      const index = columns!.get(name);
      if (index === undefined) return null;
      const f = fields[index];
      if (!f || (!f.quoted && f.value === "")) return null;
      return /^'+[=+\-@\t\r]/.test(f.value) ? f.value.slice(1) : f.value;
    };
    const kind = cell("kind");
    if (kind !== "record") {
      const meta = cell("meta");
      let value: unknown = null;
      try {
        value = meta === null ? null : JSON.parse(meta);
      } catch {
        /* judged below */
      }
      if (typeof value !== "object" || value === null || (value as { kind?: unknown }).kind !== kind) {
        yield { kind: "malformed", line: row, detail: `row ${row}: a ${kind ?? "row without a kind"} row whose meta column is not its JSON` };
        continue;
      }
      yield checkItem(value, row);
      continue;
    }
    const createdAt = cell("created_at");
    let details: unknown = null;
    const detailsText = cell("details");
    if (detailsText !== null) {
      try {
        details = JSON.parse(detailsText);
      } catch {
        yield { kind: "malformed", line: row, detail: `row ${row}: its details column is not JSON` };
        continue;
      }
    }
    const chain = cell("chain");
    yield checkItem(
      {
        kind: "record",
        chain: chain === "" ? null : chain,
        seq: cell("seq"),
        eventId: cell("event_id"),
        prevDigest: cell("prev_digest"),
        digest: cell("digest"),
        tag: cell("tag"),
        mac: cell("mac"),
        record:
          createdAt === null
            ? null
            : {
                realmId: cell("realm_id"),
                actorId: cell("actor_id"),
                actorTokenId: cell("actor_token_id"),
                action: cell("action"),
                targetType: cell("target_type"),
                targetId: cell("target_id"),
                decision: cell("decision"),
                layer: cell("layer"),
                reason: cell("reason"),
                requestId: cell("request_id"),
                details,
                createdAt,
                parentId: cell("parent_id"),
                phase: cell("phase"),
                ...(columns.has("details_text") ? { detailsText: cell("details_text") } : {}),
              },
      },
      row,
    );
  }
}

const HEX64 = /^[0-9a-f]{64}$/;
const isStr = (v: unknown): v is string => typeof v === "string";
const isStrOrNull = (v: unknown) => v === null || typeof v === "string";

/** The item if its shape is right (types only: the verifier judges content), else what is wrong. */
function checkItem(value: unknown, line: number): ExportItem | MalformedItem {
  const bad = (what: string): MalformedItem => ({ kind: "malformed", line, detail: `line ${line}: ${what}` });
  if (typeof value !== "object" || value === null || Array.isArray(value)) return bad("not an object");
  const v = value as Record<string, unknown>;
  switch (v.kind) {
    case "header":
      if (v.format !== EXPORT_FORMAT) return bad(`a header of another format than ${EXPORT_FORMAT}`);
      return isStr(v.publicKey) && isStr(v.legacyWatermark) && /^\d+$/.test(v.legacyWatermark) && typeof v.filtered === "boolean" && typeof v.filter === "object" && v.filter !== null
        ? (v as ExportHeader)
        : bad("a malformed header");
    case "checkpoint":
      return v as ExportCheckpoint; // checkCheckpointExcerpt judges it
    case "trailer":
      return typeof v.records === "number" && Array.isArray(v.chains) ? (v as ExportTrailer) : bad("a malformed trailer");
    case "record": {
      if (!isStrOrNull(v.chain) || !isStr(v.seq) || !/^\d+$/.test(v.seq) || !isStr(v.eventId) || !/^\d+$/.test(v.eventId)) return bad("a record without a valid chain, seq or event id");
      if (!(v.prevDigest === null || (isStr(v.prevDigest) && HEX64.test(v.prevDigest))) || !isStr(v.digest) || !HEX64.test(v.digest) || !isStr(v.tag) || !HEX64.test(v.tag)) {
        return bad(`the record at seq ${v.seq} has a malformed digest, previous digest or tag`);
      }
      if (!(v.mac === null || (isStr(v.mac) && HEX64.test(v.mac)))) return bad(`the record at seq ${v.seq} has a malformed MAC`);
      const r = v.record as Record<string, unknown> | null;
      if (r !== null) {
        if (typeof r !== "object" || !isStr(r.action) || !isStr(r.targetType) || !isStr(r.layer) || !isStr(r.reason) || !isStr(r.requestId) || (r.decision !== "allow" && r.decision !== "deny")) {
          return bad(`the record at seq ${v.seq} lacks a content field`);
        }
        if (r.parentId === undefined) r.parentId = null;
        if (r.phase === undefined) r.phase = null;
        if (r.detailsText !== undefined && !isStrOrNull(r.detailsText)) return bad(`the record at seq ${v.seq} has a malformed detailsText`);
        if (![r.realmId, r.actorId, r.actorTokenId, r.targetId, r.phase].every(isStrOrNull) || !(r.parentId === null || (isStr(r.parentId) && /^\d+$/.test(r.parentId))) || !isStr(r.createdAt) || Number.isNaN(Date.parse(r.createdAt))) {
          return bad(`the record at seq ${v.seq} has a malformed content field`);
        }
      }
      return v as ExportRecord;
    }
    default:
      return bad(`unknown kind ${JSON.stringify(v.kind)}`);
  }
}
