import type { KeyObject } from "node:crypto";
import { readExport, type ExportHeader, type ExportItem, type ExportTrailer, type MalformedItem } from "./export-format";
import { canonicalJson } from "./canonical";
import { contentOfExported } from "./content";
import { verifyAuditChains, type SealedEntry, type VerifyReport } from "./verify";

/**
 * Offline verification of an export file (NDJSON or CSV, export-format.ts): no database, and no
 * secret unless given. The checks are audit-chain/verify.ts's, fed from the file: checkpoint
 * signatures (public key), each record's digest recomputed from its stated previous digest,
 * linkage of consecutive seqs, a gapless chain from seq 1 for an unfiltered export, every signed
 * head reached and matched; with the audit secret's keys also record MACs and chain tags.
 *
 * The file is read twice (`open` is called twice): the checkpoints are at its end, written once
 * the records were read, and the records must be checked against them without holding the file.
 *
 * What an export cannot prove, said in the report: a filtered export's gaps (records left out by
 * the filter, or deleted: it cannot tell), a signed head its filter left out, and records after
 * the newest checkpoint (a digest without a signature proves nothing against someone who can
 * recompute the chain; with the keys, their tags still do).
 */

export type ExportVerifyReport = VerifyReport & {
  format: "ndjson" | "csv" | "unknown";
  /** The header's account of the export (unsigned: informational). */
  header: Pick<ExportHeader, "exportedAt" | "scope" | "chains" | "filtered" | "filter"> | null;
  records: number;
  /** Problems with the file itself: unreadable lines, a missing header or trailer, counts that disagree. */
  fileProblems: string[];
  /** What this export cannot prove, in words. */
  limits: string[];
};

type Chunks = AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array>;

export type ExportVerifyOptions = {
  /** The installation's Ed25519 public key, obtained independently of the file (32 raw bytes or a KeyObject). */
  publicKey: KeyObject | Buffer;
  /** K_record and K_chain (from the audit secret): MACs and tags are checked too. */
  keys?: { record: Buffer; chain: Buffer } | null;
};

const PAGE = 2_000;

export async function verifyExport(open: () => Chunks, options: ExportVerifyOptions): Promise<ExportVerifyReport> {
  // Pass 1: header, checkpoints, trailer, counts, and which lines could not be read.
  let header: ExportHeader | null = null;
  let trailer: ExportTrailer | null = null;
  const excerpts: { name: string; excerpt: unknown }[] = [];
  const fileProblems: string[] = [];
  const counted = new Map<string, number>();
  let records = 0;
  let format: ExportVerifyReport["format"] = "unknown";
  let firstItem = true;
  let afterTrailer = false;
  const reported = new Set<number>();
  for await (const item of readExport(sniff(open(), (f) => (format = f)), { countRecords: true })) {
    if (item.kind === "malformed") {
      fileProblems.push(item.detail);
      reported.add(item.line);
      continue;
    }
    if (firstItem && item.kind !== "header") fileProblems.push("the file does not begin with its header");
    firstItem = false;
    if (afterTrailer) {
      fileProblems.push(`a ${item.kind} follows the trailer: lines were appended after the end`);
      afterTrailer = false;
    }
    if (item.kind === "header") {
      if (header) fileProblems.push("the file has two headers");
      header = item;
    } else if (item.kind === "checkpoint") {
      excerpts.push({ name: typeof item.name === "string" ? item.name : "(unnamed checkpoint)", excerpt: item });
    } else if (item.kind === "trailer") {
      trailer = item;
      afterTrailer = true;
    } else {
      // A record (counted here, read in the second pass).
      records++;
      const key = item.chain ?? "platform";
      counted.set(key, (counted.get(key) ?? 0) + 1);
    }
  }
  if (!header) fileProblems.push("no header: this is not an audit export, or its beginning was cut off");
  // "Filtered" excuses gaps: a header that claims it must say which filter (the header is not signed).
  else if (header.filtered && Object.keys(header.filter).length === 0) fileProblems.push("the header says the export is filtered but names no filter: gaps cannot be excused");
  if (!trailer) fileProblems.push("no trailer: the export was cut short (an interrupted download, or its end removed)");
  else {
    if (trailer.records !== records) fileProblems.push(`the trailer counts ${trailer.records} records but the file holds ${records}: lines were added or removed`);
    for (const c of trailer.chains) {
      const n = counted.get(c.chain ?? "platform") ?? 0;
      if (n !== c.records) fileProblems.push(`the trailer counts ${c.records} records of chain ${c.chain ?? "platform"} but the file holds ${n}`);
    }
  }

  const subset = header?.filtered ?? false;
  // Pass 2: the records through the verifier's core, a page at a time.
  async function* entries(): AsyncGenerator<SealedEntry[]> {
    let page: SealedEntry[] = [];
    for await (const item of readExport(open())) {
      // A record line the first pass only counted may still be malformed: judged here.
      if (item.kind === "malformed" && !reported.has(item.line)) {
        fileProblems.push(item.detail);
        reported.add(item.line);
      }
      if (item.kind !== "record") continue;
      page.push(toEntry(item));
      if (page.length >= PAGE) {
        yield page;
        page = [];
      }
    }
    if (page.length) yield page;
  }
  const report = await verifyAuditChains({
    entries: entries(),
    unsealed: [],
    checkpoints: [],
    excerpts,
    subset,
    publicKey: options.publicKey,
    keys: options.keys ?? null,
    legacyWatermark: header ? BigInt(header.legacyWatermark) : 0n,
    now: new Date(),
  });

  const limits: string[] = [];
  if (subset) {
    limits.push(
      `This export is filtered (${describeFilter(header!.filter)}): each record's digest was recomputed and consecutive records were linked, but the ${report.chains.reduce((n, c) => n + c.gaps, 0)} gaps between exported records are expected and prove nothing either way (a record left out by the filter and a deleted one look the same).`,
    );
  }
  for (const c of report.chains) {
    const name = c.realmId ?? "the platform's chain";
    if (c.checkpointSeq === null) limits.push(`Chain ${name}: no signed checkpoint covers it; its digests link, but nothing signed anchors them.`);
    else if (c.ok && c.checkpointMatchedSeq !== c.checkpointSeq) limits.push(`Chain ${name}: the signed head (seq ${c.checkpointSeq}) is not among the exported records, so this export is not anchored to it.`);
    else if (c.ok && BigInt(c.headSeq) > BigInt(c.checkpointSeq)) limits.push(`Chain ${name}: records after seq ${c.checkpointSeq} (the newest signed head) are checked by digest${report.checkedTags ? " and tag" : ""} only.`);
  }
  if (!report.checkedMacs) limits.push("Record MACs and chain tags were not checked (they need the audit secret).");

  return {
    ...report,
    ok: report.ok && fileProblems.length === 0,
    format,
    header: header ? { exportedAt: header.exportedAt, scope: header.scope, chains: header.chains, filtered: header.filtered, filter: header.filter } : null,
    records,
    fileProblems,
    limits,
  };
}

function describeFilter(filter: Record<string, string>): string {
  const parts = Object.entries(filter).map(([k, v]) => `${k}=${v}`);
  return parts.length ? parts.join(", ") : "no filter named";
}

/**
 * The v2 content encoding of an exported record (content.ts), when the export states details as
 * the database printed it: only if the `details` column says the same (a reader of the file sees
 * `details`, so it must be bound too). Otherwise undefined: the record is judged as v1, where a
 * v2 digest cannot hold, so an export whose two details columns disagree is reported.
 */
function exportedContent(item: Extract<ExportItem, { kind: "record" }>): Buffer | undefined {
  const r = item.record;
  if (r === null || r.detailsText === undefined) return undefined;
  let parsed: unknown = null;
  try {
    parsed = r.detailsText === null ? null : JSON.parse(r.detailsText);
  } catch {
    return undefined;
  }
  const stated = r.details === undefined ? null : r.details;
  if (canonicalJson(parsed) !== canonicalJson(stated)) return undefined;
  if (Number.isNaN(Date.parse(r.createdAt))) return undefined;
  return contentOfExported({ ...r, detailsText: r.detailsText, mac: item.mac });
}

function toEntry(item: Extract<ExportItem, { kind: "record" }>): SealedEntry {
  const r = item.record;
  const content = exportedContent(item);
  return {
    ...(content ? { content, hasMac: item.mac !== null } : {}),
    realmId: item.chain,
    seq: BigInt(item.seq),
    eventId: BigInt(item.eventId),
    digest: Buffer.from(item.digest, "hex"),
    tag: Buffer.from(item.tag, "hex"),
    prevDigest: item.prevDigest === null ? null : Buffer.from(item.prevDigest, "hex"),
    record:
      r === null
        ? null
        : {
            realmId: r.realmId,
            actorId: r.actorId,
            actorTokenId: r.actorTokenId,
            action: r.action,
            targetType: r.targetType,
            targetId: r.targetId,
            decision: r.decision,
            layer: r.layer,
            reason: r.reason,
            requestId: r.requestId,
            details: r.details,
            createdAt: new Date(r.createdAt),
            parentId: r.parentId,
            phase: r.phase,
            mac: item.mac === null ? null : Buffer.from(item.mac, "hex"),
          },
  };
}

/** Passes the chunks through, telling the format from the first non-blank character. */
async function* sniff(chunks: Chunks, tell: (format: "ndjson" | "csv") => void): AsyncGenerator<string | Uint8Array> {
  let told = false;
  for await (const chunk of chunks) {
    if (!told) {
      const s = (typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8", 0, 64)).trimStart();
      if (s) {
        tell(s.startsWith("{") ? "ndjson" : "csv");
        told = true;
      }
    }
    yield chunk;
  }
}

export type { MalformedItem };
