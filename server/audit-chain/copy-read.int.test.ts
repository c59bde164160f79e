import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordDecision } from "../repositories/audit";
import { unsafeReadAuditChains } from "../repositories/audit-chain";
import { verifyAuditTrail, writeAuditCheckpoint } from "../services/audit-integrity";
import { createTestDatabase, type TestDatabase } from "../test/db";
import { tempDir } from "../test/processes";
import { sealAuditBatch } from "../worker/audit-sealer";
import { DirectoryCheckpointStore } from "./checkpoint";
import { auditKeys } from "./keys";

/**
 * The verifier reads the chain with COPY's text format (repositories/audit-chain-reader.ts), which
 * escapes backslashes, tabs and newlines and writes NULL as \N. A record whose text holds exactly
 * those must read back as written (else the verifier would call a genuine record edited), and an
 * edit of such a record must still be named.
 */

const keys = auditKeys();
let t: TestDatabase;
let store: DirectoryCheckpointStore;
const awkward = ["tab\there", "line\nbreak\r\n", "back\\slash \\N \\t", "\\N", "", "日本 😀 \u2028", "quote \" and 'apostrophe'", "\b\f\v\u0001"];

beforeAll(async () => {
  t = await createTestDatabase();
  store = new DirectoryCheckpointStore(tempDir("copy-read-"));
  for (const [i, text] of awkward.entries()) {
    await recordDecision(t.db, {
      realmId: null,
      actorId: null,
      action: `copy.${i}`,
      targetType: "vm",
      targetId: text,
      decision: "deny",
      layer: "trpc",
      reason: text,
      requestId: `req\t${i}`,
      details: { text, [text]: [text, null, 1.5] },
    });
  }
  while ((await sealAuditBatch(t.db, keys, { limit: 50 })).sealed > 0);
  await writeAuditCheckpoint(t.db, keys, store);
});

afterAll(async () => {
  await t?.drop();
});

describe("the verifier's COPY read", () => {
  it("reads tabs, newlines, backslashes and a literal \\N back exactly, and the chain verifies", async () => {
    const rows = await unsafeReadAuditChains(t.db, { all: false, realmId: null }, async ({ entries }) => {
      const all = [];
      for await (const page of entries) all.push(...page);
      return all;
    });
    const mine = rows.filter((r) => r.record?.action.startsWith("copy."));
    expect(mine.map((r) => r.record!.reason)).toEqual(awkward);
    expect(mine.map((r) => r.record!.targetId)).toEqual(awkward);
    expect(mine[0]!.record!.actorId).toBeNull();
    const report = await verifyAuditTrail(t.db, { store, keys, publicKey: keys.publicKeyRaw });
    expect(report.ok).toBe(true);
    expect(report.chains.find((c) => c.realmId === null)!.recordsVerified).toBe(awkward.length);
  });

  it("still names an edit to such a record", async () => {
    const owner = new pg.Client({ connectionString: t.urls.owner });
    await owner.connect();
    try {
      await owner.query("BEGIN");
      await owner.query("ALTER TABLE audit_events NO FORCE ROW LEVEL SECURITY");
      await owner.query("ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only");
      await owner.query(`UPDATE audit_events SET reason = 'back\\slash \\N \\t ' WHERE action = 'copy.2'`);
      await owner.query("ALTER TABLE audit_events ENABLE TRIGGER audit_events_append_only");
      await owner.query("COMMIT");
    } finally {
      await owner.end();
    }
    const report = await verifyAuditTrail(t.db, { store, keys, publicKey: keys.publicKeyRaw });
    expect(report.chains.find((c) => c.realmId === null)!.firstBad).toMatchObject({ seq: "3", kind: "edited" });
  });
});
