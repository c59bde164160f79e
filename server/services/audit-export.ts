import { checkCheckpointExcerpt, checkpointExcerpts, type Checkpoint, type CheckpointExcerpt, type CheckpointStore } from "../audit-chain/checkpoint";
import {
  csvHeaderRow,
  EXPORT_FORMAT,
  formatItem,
  type ExportFormat,
  type ExportHeader,
  type ExportRecord,
  type ExportTrailerChain,
} from "../audit-chain/export-format";
import type { Db } from "../db/client";
import type { AuditFilter } from "../repositories/audit-filter";
import { filtered, readRealmExportPage, unsafeExportChains, unsafeExportLegacyWatermark, unsafeReadExportPage, type ExportRow } from "../repositories/audit-export";

/**
 * Streamed exports of the audit trail (NDJSON or CSV, audit-chain/export-format.ts), each record
 * with its chain data and, at the end, the newest signed checkpoint of each exported chain that
 * the export reaches, so the file can be verified offline with the public key alone
 * (audit-chain/verify-export.ts, `realmgate audit verify --file`).
 *
 * Threats: a member reading another realm's trail (a member's export reads as the tenant role
 * inside the realm the procedure chain resolved: row-level security); an export learning what
 * only operators may know (the target realm of a cross-realm attempt is never read; a checkpoint
 * is cut to the exported chains: each chain's head carries its own signature); a slow or huge
 * export exhausting the web process (pull-based: a page is read only when the client has taken
 * the previous one, a keyset page at a time, one short transaction each; the read stops when the
 * client goes away).
 */

export type ExportScope =
  /** A member's export of its own realm (the realm comes from the procedure chain, never from input). */
  | { kind: "realm"; realmId: string }
  /** An operator's: one realm's chain, the platform's (null), or every chain ("all"). */
  | { kind: "operator"; chain: string | null | "all" };

export type ExportOptions = {
  format: ExportFormat;
  filter: AuditFilter;
  /** The filter as the request named it (echoed in the header). */
  filterParams: Record<string, string>;
  store: CheckpointStore;
  /** The checkpoints' public key, 32 raw bytes. */
  publicKeyRaw: Buffer;
  pageSize?: number;
  now?: Date;
  /** Called when the stream reads a page (tests observe that it streams). */
  onPage?: (rows: number) => void;
};

export const EXPORT_PAGE_SIZE = 2_000;
/** How many of the newest checkpoints an export looks through for each chain's (a chain that moved since is covered by an older one). */
const CHECKPOINTS_CONSIDERED = 100;

const iso = (ms: string) => new Date(Number(ms)).toISOString();

function toItem(chain: string | null, r: ExportRow): ExportRecord {
  return {
    kind: "record",
    chain,
    seq: r.seq,
    eventId: r.event_id,
    prevDigest: r.prev,
    digest: r.digest,
    tag: r.tag,
    mac: r.mac,
    record: r.present
      ? {
          realmId: r.realm_id,
          actorId: r.actor_id,
          actorTokenId: r.actor_token_id,
          action: r.action!,
          targetType: r.target_type!,
          targetId: r.target_id,
          decision: r.decision!,
          layer: r.layer!,
          reason: r.reason!,
          requestId: r.request_id!,
          details: r.details === null ? null : (JSON.parse(r.details) as unknown),
          createdAt: iso(r.created_ms!),
          parentId: r.parent_id,
          phase: r.phase,
          detailsText: r.details,
        }
      : null,
  };
}

/** The export as text chunks (a page of records each), header first, checkpoints and trailer last. */
export async function* auditExportChunks(clients: { tenant: Db; platform: Db }, scope: ExportScope, options: ExportOptions): AsyncGenerator<string> {
  const pageSize = options.pageSize ?? EXPORT_PAGE_SIZE;
  const { format, filter } = options;
  const isFiltered = filtered(filter);
  const header: ExportHeader = {
    kind: "header",
    format: EXPORT_FORMAT,
    exportedAt: (options.now ?? new Date()).toISOString(),
    scope: scope.kind,
    chains: scope.kind === "realm" ? scope.realmId : scope.chain,
    filtered: isFiltered,
    filter: options.filterParams,
    publicKey: options.publicKeyRaw.toString("base64"),
    legacyWatermark: await unsafeExportLegacyWatermark(clients.platform),
  };
  yield (format === "csv" ? csvHeaderRow() : "") + formatItem(header, format);

  const chains = scope.kind === "realm" ? [scope.realmId] : scope.chain === "all" ? await unsafeExportChains(clients.platform) : [scope.chain];
  const read = (chain: string | null, after: bigint) =>
    scope.kind === "realm" ? readRealmExportPage(clients.tenant, scope.realmId, filter, after, pageSize) : unsafeReadExportPage(clients.platform, chain, filter, after, pageSize);

  const counts: ExportTrailerChain[] = [];
  let total = 0;
  for (const chain of chains) {
    const count: ExportTrailerChain = { chain, records: 0, firstSeq: null, lastSeq: null };
    let after = 0n;
    for (;;) {
      const rows = await read(chain, after);
      options.onPage?.(rows.length);
      if (rows.length === 0) break;
      let text = "";
      for (const row of rows) text += formatItem(toItem(chain, row), format);
      count.records += rows.length;
      count.firstSeq ??= rows[0]!.seq;
      count.lastSeq = rows.at(-1)!.seq;
      after = BigInt(count.lastSeq);
      yield text;
      if (rows.length < pageSize) break;
    }
    total += count.records;
    counts.push(count);
  }

  // Each chain's newest checkpoint at or below the last exported seq: an unfiltered export holds
  // the signed record; a filtered one holds it only if the filter kept it (the verifier says so).
  // The newest checkpoints suffice (each signs every chain's head): not the store's whole history.
  const stored = options.store.newest ? await options.store.newest(CHECKPOINTS_CONSIDERED) : await options.store.list();
  const excerpts = newestExcerpts(stored, counts, options.publicKeyRaw);
  let tail = "";
  for (const excerpt of excerpts) tail += formatItem({ kind: "checkpoint", ...excerpt }, format);
  tail += formatItem({ kind: "trailer", records: total, chains: counts }, format);
  yield tail;
}

function newestExcerpts(stored: { name: string; checkpoint: unknown }[], counts: ExportTrailerChain[], publicKeyRaw: Buffer): CheckpointExcerpt[] {
  const reach = new Map(counts.filter((c) => c.lastSeq !== null).map((c) => [c.chain ?? "platform", BigInt(c.lastSeq!)]));
  const found = new Map<string, CheckpointExcerpt>();
  // Newest first (names sort by time); each candidate's own signature is checked (a damaged file is skipped).
  for (let i = stored.length - 1; i >= 0 && found.size < reach.size; i--) {
    const { name, checkpoint } = stored[i]!;
    const c = checkpoint as Checkpoint | null;
    if (!c || c.version !== 2 || !Array.isArray(c.chains)) continue;
    for (const excerpt of checkpointExcerpts(name, c, (realmId) => reach.has(realmId ?? "platform"))) {
      const key = excerpt.chain.realmId ?? "platform";
      if (found.has(key) || BigInt(excerpt.chain.seq) > reach.get(key)!) continue;
      if (checkCheckpointExcerpt(excerpt, publicKeyRaw).ok) found.set(key, excerpt);
    }
  }
  return [...found.values()];
}

/**
 * The export as a byte stream with back-pressure: the next page is read only when the consumer
 * pulls (the HTTP response drains), and cancelling (the client left) ends the reads.
 */
export function auditExportStream(clients: { tenant: Db; platform: Db }, scope: ExportScope, options: ExportOptions, signal?: AbortSignal): ReadableStream<Uint8Array> {
  const chunks = auditExportChunks(clients, scope, options);
  const encoder = new TextEncoder();
  const stop = () => void chunks.return(undefined).catch(() => undefined);
  signal?.addEventListener("abort", stop, { once: true });
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          const next = await chunks.next();
          if (next.done) {
            signal?.removeEventListener("abort", stop);
            controller.close();
          } else controller.enqueue(encoder.encode(next.value));
        } catch (error) {
          signal?.removeEventListener("abort", stop);
          controller.error(error);
        }
      },
      cancel() {
        signal?.removeEventListener("abort", stop);
        stop();
      },
    },
    { highWaterMark: 0 },
  );
}
