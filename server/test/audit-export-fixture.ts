import { randomUUID } from "node:crypto";
import { canonicalRecord, type AuditRecordContent } from "../audit-chain/canonical";
import { chainDigest, chainTag, GENESIS_DIGEST, recordMac } from "../audit-chain/chain";
import { checkpointExcerpts, signCheckpoint } from "../audit-chain/checkpoint";
import { chainDigestV2, contentOfExported } from "../audit-chain/content";
import { csvHeaderRow, EXPORT_FORMAT, formatItem, type ExportFormat, type ExportItem, type ExportRecord } from "../audit-chain/export-format";
import { deriveAuditKeys, type AuditKeys } from "../audit-chain/keys";

/**
 * A synthetic export of one realm's chain, built with the product's own chain code and keys
 * derived from a test secret: for unit tests of the offline verifier and the CLI (no database).
 * A test helper (server/test): not imported by product code.
 */

export const FIXTURE_SECRET = "unit-test-audit-secret-for-exports";

export type FixtureExport = { keys: AuditKeys; realmId: string; items: ExportItem[]; text: (format: ExportFormat) => string };

/** `records` records of one chain, a checkpoint at `checkpointSeq` (default: the last), `keep` choosing which are exported (a filter). */
export function buildExport(records: number, options: { checkpointSeq?: number; keep?: (seq: number) => boolean; chainFormat?: "v1" | "v2" } = {}): FixtureExport {
  const keys = deriveAuditKeys(FIXTURE_SECRET);
  const realmId = randomUUID();
  const all: ExportRecord[] = [];
  let previous: Uint8Array = GENESIS_DIGEST;
  const start = Date.UTC(2026, 11, 1);
  for (let seq = 1; seq <= records; seq++) {
    const content: AuditRecordContent = {
      realmId,
      actorId: randomUUID(),
      actorTokenId: null,
      action: seq % 2 ? "vm.start" : "vm.stop",
      targetType: "vm",
      targetId: seq % 5 ? randomUUID() : null,
      decision: seq % 3 ? "allow" : "deny",
      layer: "trpc",
      reason: seq % 4 ? `reason ${seq}` : `+formula, "quoted"\nsecond line ${seq}`,
      requestId: `req-${seq}`,
      details: seq % 2 ? { seq, nested: { b: [1.5, "é"], a: null } } : null,
      createdAt: new Date(start + seq * 1000),
      parentId: seq % 6 === 0 ? String(100 + seq - 1) : null,
      phase: seq % 6 === 0 ? "applied" : null,
    };
    const canonical = canonicalRecord(content);
    const mac = recordMac(keys.record, canonical);
    const eventId = BigInt(100 + seq);
    // v2 (what the sealer writes): the digest covers the columns as the database prints them,
    // details as jsonb's text (here JSON.stringify's: any text that parses to the same value does).
    const exported = { ...content, createdAt: content.createdAt.toISOString(), parentId: content.parentId === null ? null : String(content.parentId), phase: content.phase ?? null };
    const detailsText = content.details === null ? null : JSON.stringify(content.details);
    const isV2 = (options.chainFormat ?? "v2") === "v2";
    const digest = isV2
      ? chainDigestV2(previous, { realmId, seq: BigInt(seq), eventId, content: contentOfExported({ ...exported, detailsText, mac: mac.toString("hex") }) })
      : chainDigest(previous, { realmId, seq: BigInt(seq), eventId, record: canonical, mac });
    all.push({
      kind: "record",
      chain: realmId,
      seq: String(seq),
      eventId: eventId.toString(),
      prevDigest: Buffer.from(previous).toString("hex"),
      digest: digest.toString("hex"),
      tag: chainTag(keys.chain, digest).toString("hex"),
      mac: mac.toString("hex"),
      record: isV2 ? { ...exported, detailsText } : exported,
    });
    previous = digest;
  }
  const kept = options.keep ? all.filter((r) => options.keep!(Number(r.seq))) : all;
  const signedAt = all[(options.checkpointSeq ?? records) - 1]!;
  const checkpoint = signCheckpoint(keys, [{ realmId, seq: signedAt.seq, eventId: signedAt.eventId, digest: signedAt.digest }, { realmId: randomUUID(), seq: "1", eventId: "1", digest: "ab".repeat(32) }]);
  const [excerpt] = checkpointExcerpts("checkpoint-fixture.json", checkpoint, (id) => id === realmId);
  const items: ExportItem[] = [
    {
      kind: "header",
      format: EXPORT_FORMAT,
      exportedAt: new Date(start + 10_000_000).toISOString(),
      scope: "realm",
      chains: realmId,
      filtered: options.keep !== undefined,
      filter: options.keep ? { action: "fixture" } : {},
      publicKey: keys.publicKeyRaw.toString("base64"),
      legacyWatermark: "0",
    },
    ...kept,
    { kind: "checkpoint", ...excerpt! },
    { kind: "trailer", records: kept.length, chains: [{ chain: realmId, records: kept.length, firstSeq: kept[0]?.seq ?? null, lastSeq: kept.at(-1)?.seq ?? null }] },
  ];
  return {
    keys,
    realmId,
    items,
    text: (format) => (format === "csv" ? csvHeaderRow() : "") + items.map((item) => formatItem(item, format)).join(""),
  };
}
