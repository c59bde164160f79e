import { describe, expect, it } from "vitest";
import { buildExport } from "../test/audit-export-fixture";
import { checkCheckpoint, checkCheckpointExcerpt, signCheckpoint } from "./checkpoint";
import { formatItem, readExport, type ExportItem } from "./export-format";
import { deriveAuditKeys } from "./keys";
import { verifyExport } from "./verify-export";

/**
 * The offline verifier over export files (no database): a clean export passes in both formats,
 * and each way of editing the file is named at its record. The CSV reader carries quotes,
 * newlines, NULL vs empty and would-be spreadsheet formulas exactly.
 */

const verify = (text: string, publicKey: Buffer, keys: { record: Buffer; chain: Buffer } | null = null) =>
  verifyExport(() => [Buffer.from(text)], { publicKey, keys });

/** Replaces one record's line (NDJSON) through a function of its parsed item. */
function editRecord(text: string, seq: string, edit: (item: Record<string, unknown>) => void): string {
  return text
    .split("\n")
    .map((line) => {
      if (!line.includes(`"kind":"record"`) || !line.includes(`"seq":"${seq}"`)) return line;
      const item = JSON.parse(line) as Record<string, unknown>;
      edit(item);
      return JSON.stringify(item);
    })
    .join("\n");
}

describe("export files verify offline", () => {
  for (const format of ["ndjson", "csv"] as const) {
    it(`a clean ${format} export verifies with the public key, and with the keys`, async () => {
      const fixture = buildExport(40);
      const report = await verify(fixture.text(format), fixture.keys.publicKeyRaw);
      expect(report, JSON.stringify(report, null, 2)).toMatchObject({ ok: true, format, records: 40, fileProblems: [], checkedMacs: false });
      expect(report.chains).toEqual([expect.objectContaining({ realmId: fixture.realmId, ok: true, recordsVerified: 40, checkpointSeq: "40", checkpointMatchedSeq: "40", gaps: 0 })]);
      expect(await verify(fixture.text(format), fixture.keys.publicKeyRaw, fixture.keys)).toMatchObject({ ok: true, checkedMacs: true });
    });
  }

  it("reads back every item exactly (CSV: quotes, newlines, NULL vs empty, formulas)", async () => {
    const fixture = buildExport(12);
    const read: unknown[] = [];
    // One byte at a time: no reader may depend on chunk boundaries.
    const csv = Buffer.from(fixture.text("csv"));
    for await (const item of readExport((function* () { for (let i = 0; i < csv.length; i++) yield csv.subarray(i, i + 1); })())) read.push(item);
    expect(read).toEqual(JSON.parse(JSON.stringify(fixture.items)));
    expect(fixture.text("csv")).toContain(`"'+formula, ""quoted""\nsecond line 4"`);
  });

  it("a filtered export checks each record alone, links consecutive ones, and says what it cannot prove", async () => {
    const fixture = buildExport(30, { keep: (seq) => seq % 3 !== 0, checkpointSeq: 30 });
    const report = await verify(fixture.text("ndjson"), fixture.keys.publicKeyRaw, fixture.keys);
    expect(report, JSON.stringify(report, null, 2)).toMatchObject({ ok: true, records: 20 });
    expect(report.chains[0]).toMatchObject({ gaps: 9, checkpointSeq: "30", checkpointMatchedSeq: null });
    expect(report.limits.join("\n")).toMatch(/filtered .* 9 gaps .* prove nothing/);
    expect(report.limits.join("\n")).toMatch(/signed head \(seq 30\) is not among the exported records/);
  });
});

describe("a tampered export file names the record", () => {
  it("an edited content field: edited, at that seq (without and with the keys)", async () => {
    const fixture = buildExport(20);
    const text = editRecord(fixture.text("ndjson"), "7", (item) => ((item.record as { reason: string }).reason = "reason 8"));
    expect((await verify(text, fixture.keys.publicKeyRaw)).chains[0]!.firstBad).toMatchObject({ seq: "7", kind: "edited" });
    expect((await verify(text, fixture.keys.publicKeyRaw, fixture.keys)).chains[0]!.firstBad).toMatchObject({ seq: "7", kind: "edited" });
  });

  it("a dropped record in an unfiltered export: deleted, at the missing seq", async () => {
    const fixture = buildExport(20);
    const text = fixture.text("ndjson").split("\n").filter((l) => !(l.includes('"kind":"record"') && l.includes('"seq":"12"'))).join("\n");
    const report = await verify(text, fixture.keys.publicKeyRaw);
    expect(report.chains[0]!.firstBad).toMatchObject({ seq: "12", kind: "deleted" });
    expect(report.ok).toBe(false);
  });

  it("a record and its digests recomputed by someone without the keys: its link to the previous record breaks", async () => {
    const fixture = buildExport(20);
    // Take record 9 out and renumber: 10 claims to be 9. Its digest is recomputed from its stated
    // previous digest (so it checks on its own), but does not link to record 8's digest.
    const { chainDigest } = await import("./chain");
    const { canonicalRecord } = await import("./canonical");
    const lines = fixture.text("ndjson").split("\n");
    const text = lines
      .filter((l) => !(l.includes('"kind":"record"') && l.includes('"seq":"9"')))
      .map((l) => {
        if (!(l.includes('"kind":"record"') && l.includes('"seq":"10"'))) return l;
        const item = JSON.parse(l) as { seq: string; prevDigest: string; digest: string; eventId: string; mac: string; record: Record<string, unknown> };
        item.seq = "9";
        item.prevDigest = "00".repeat(32).replace(/^00/, "01");
        const record = { ...item.record, createdAt: new Date(item.record.createdAt as string) } as never;
        item.digest = chainDigest(Buffer.from(item.prevDigest, "hex"), { realmId: fixture.realmId, seq: 9n, eventId: BigInt(item.eventId), record: canonicalRecord(record), mac: Buffer.from(item.mac, "hex") }).toString("hex");
        return JSON.stringify(item);
      });
    const report = await verify(text.join("\n"), fixture.keys.publicKeyRaw);
    expect(report.chains[0]!.firstBad).toMatchObject({ seq: "9", kind: "rewritten" });
  });

  it("a forged checkpoint: its signature fails; another key's checkpoint: refused", async () => {
    const fixture = buildExport(10);
    const forged = fixture.text("ndjson").replace(/"kind":"checkpoint"(.*?)"seq":"10"/, '"kind":"checkpoint"$1"seq":"9"');
    const report = await verify(forged, fixture.keys.publicKeyRaw);
    expect(report.ok).toBe(false);
    expect(report.checkpoints.invalid).toEqual([{ name: "checkpoint-fixture.json", reason: expect.stringMatching(/signature does not verify/) }]);
    const other = deriveAuditKeys("someone-else-entirely-secret");
    expect((await verify(fixture.text("ndjson"), other.publicKeyRaw)).checkpoints.invalid[0]!.reason).toMatch(/another key/);
  });

  it("a truncated file: no trailer; the checkpoint names the missing tail", async () => {
    const fixture = buildExport(20, { checkpointSeq: 20 });
    const lines = fixture.text("ndjson").split("\n");
    const cut = [...lines.slice(0, 11), ...lines.filter((l) => l.includes('"kind":"checkpoint"'))].join("\n");
    const report = await verify(cut, fixture.keys.publicKeyRaw);
    expect(report.fileProblems.join("\n")).toMatch(/no trailer/);
    expect(report.chains[0]!.firstBad).toMatchObject({ seq: "11", kind: "truncated" });
  });

  it("a line that is not JSON is named by its line number", async () => {
    const fixture = buildExport(5);
    const lines = fixture.text("ndjson").split("\n");
    lines[3] = lines[3]!.slice(0, 20);
    const report = await verify(lines.join("\n"), fixture.keys.publicKeyRaw);
    expect(report.ok).toBe(false);
    expect(report.fileProblems.join("\n")).toMatch(/line 4 is not JSON/);
    // Cut after the record prefix the first pass only counts: the second pass names it.
    const again = fixture.text("ndjson").split("\n");
    again[2] = again[2]!.slice(0, 80);
    const second = await verify(again.join("\n"), fixture.keys.publicKeyRaw);
    expect(second.ok).toBe(false);
    expect(second.fileProblems).toEqual([expect.stringMatching(/^line 3 is not JSON/)]);
  });
});

describe("checkpoints, version 2", () => {
  it("signs each chain on its own: an excerpt verifies alone, and an edited one does not", () => {
    const keys = deriveAuditKeys("checkpoint-unit-test-secret");
    const checkpoint = signCheckpoint(keys, [
      { realmId: null, seq: "3", eventId: "9", digest: "ab".repeat(32) },
      { realmId: "8e0f3c1a-1f1b-4c55-9d55-1b3f0c4d2a11", seq: "5", eventId: "12", digest: "cd".repeat(32) },
    ]);
    expect(checkCheckpoint(checkpoint, keys.publicKeyRaw)).toMatchObject({ ok: true });
    const excerpt = { version: 2 as const, name: "x", createdAt: checkpoint.createdAt, publicKey: checkpoint.publicKey, chain: checkpoint.chains[1] as never };
    expect(checkCheckpointExcerpt(excerpt, keys.publicKeyRaw)).toMatchObject({ ok: true, chain: { seq: "5" } });
    const edited = { ...excerpt, chain: { ...(checkpoint.chains[1] as object), seq: "6" } };
    expect(checkCheckpointExcerpt(edited, keys.publicKeyRaw)).toMatchObject({ ok: false, reason: expect.stringMatching(/signature/) });
    // A chain's signature moved onto another chain fails too.
    const moved = { ...checkpoint, chains: [{ ...(checkpoint.chains[0] as object), signature: (checkpoint.chains[1] as { signature: string }).signature }, checkpoint.chains[1]] };
    expect(checkCheckpoint(moved, keys.publicKeyRaw)).toMatchObject({ ok: false });
  });

  it("formats every item kind as one NDJSON line", () => {
    const item: ExportItem = { kind: "trailer", records: 0, chains: [] };
    expect(formatItem(item, "ndjson")).toBe('{"kind":"trailer","records":0,"chains":[]}\n');
  });
});

describe("exports and chain format v2", () => {
  it("an export made before v2 (v1 digests, no detailsText column) still verifies, NDJSON and CSV alike", async () => {
    const fixture = buildExport(12, { chainFormat: "v1" });
    for (const format of ["ndjson", "csv"] as const) {
      // The CSV as it was written before v2: no details_text column (its cell is the empty one before meta).
      const text = format === "csv" ? fixture.text("csv").split("\r\n").map((row, i) => (i === 0 ? row.replace(",details_text", "") : row.replace(/,,("(?:[^"]|"")*")?$/, ",$1"))).join("\r\n") : fixture.text("ndjson");
      if (format === "csv") expect(text).not.toContain("details_text");
      const report = await verify(text, fixture.keys.publicKeyRaw, fixture.keys);
      expect(report.fileProblems).toEqual([]);
      expect(report.ok, format).toBe(true);
    }
  });

  it("names a v2 record whose details column was edited while detailsText (what the digest covers) was left alone", async () => {
    const fixture = buildExport(8);
    const text = editRecord(fixture.text("ndjson"), "3", (item) => {
      (item.record as { details: unknown }).details = { seq: 99, nested: { b: [1.5, "é"], a: null } };
    });
    for (const keys of [null, fixture.keys]) {
      const report = await verify(text, fixture.keys.publicKeyRaw, keys);
      expect(report.chains[0]!.firstBad).toMatchObject({ seq: "3", kind: "edited" });
    }
  });

  it("names a v2 record whose detailsText was edited along with its details", async () => {
    const fixture = buildExport(8);
    const text = editRecord(fixture.text("ndjson"), "5", (item) => {
      const record = item.record as { details: unknown; detailsText: string };
      record.details = { seq: 55 };
      record.detailsText = '{"seq": 55}';
    });
    const report = await verify(text, fixture.keys.publicKeyRaw);
    expect(report.chains[0]!.firstBad).toMatchObject({ seq: "5", kind: "edited" });
  });
});
