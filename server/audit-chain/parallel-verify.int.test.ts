import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { recordDecision } from "../repositories/audit";
import { verifyAuditTrail, writeAuditCheckpoint } from "../services/audit-integrity";
import { createTestDatabase, type TestDatabase } from "../test/db";
import { tempDir } from "../test/processes";
import { sealAuditBatch } from "../worker/audit-sealer";
import { DirectoryCheckpointStore } from "./checkpoint";
import { auditKeys } from "./keys";

/**
 * Verification split between worker threads (bench/audit-verify.bench.ts's faster path) answers
 * exactly as one thread does: every chain judged once, the same first bad record, the platform's
 * chain and a chain whose rows were all deleted (known only from a checkpoint) included.
 */

const keys = auditKeys();
let t: TestDatabase;
let owner: pg.Client;
let store: DirectoryCheckpointStore;
// Realm ids whose first byte puts them in different parts of a two-way split.
const realms = ["0a", "1b", "2c", "3d", "e4", "f5"].map((prefix) => `${prefix}${randomUUID().slice(2)}`);

beforeAll(async () => {
  t = await createTestDatabase();
  owner = new pg.Client({ connectionString: t.urls.owner });
  await owner.connect();
  store = new DirectoryCheckpointStore(tempDir("parallel-verify-"));
  for (let i = 0; i < 5; i++) {
    for (const realmId of [...realms, null]) {
      await recordDecision(t.db, { realmId, actorId: null, action: `test.${i}`, targetType: "vm", targetId: `t-${i}`, decision: "allow", layer: "trpc", reason: `r ${i}`, requestId: `q-${i}`, details: { i } });
    }
  }
  while ((await sealAuditBatch(t.db, keys, { limit: 50 })).sealed > 0);
  await writeAuditCheckpoint(t.db, keys, store);
});

afterAll(async () => {
  await owner?.end();
  await t?.drop();
});

const both = async () => {
  const serial = await verifyAuditTrail(t.db, { store, keys, publicKey: keys.publicKeyRaw });
  // The threads must really run (a thread that cannot start falls back to this one, with a warning).
  const warn = vi.spyOn(console, "warn");
  const parallel = await verifyAuditTrail(t.db, { store, keys, publicKey: keys.publicKeyRaw, workers: 2 });
  expect(warn).not.toHaveBeenCalled();
  warn.mockRestore();
  // Two COPYs side by side in one snapshot, checked in this thread: the same report too.
  expect(await verifyAuditTrail(t.db, { store, keys, publicKey: keys.publicKeyRaw, reads: 2 })).toEqual(serial);
  expect(await verifyAuditTrail(t.db, { store, keys: null, publicKey: keys.publicKeyRaw, reads: 3 })).toEqual(await verifyAuditTrail(t.db, { store, keys: null, publicKey: keys.publicKeyRaw }));
  return { serial, parallel };
};

describe("verification in worker threads", () => {
  it("a clean trail: the same report as one thread", async () => {
    const { serial, parallel } = await both();
    expect(serial.ok).toBe(true);
    expect(parallel).toEqual(serial);
    expect(parallel.chains).toHaveLength(realms.length + 1);
  });

  it("an edited record and a chain deleted whole: the same first bad records as one thread", async () => {
    await owner.query("BEGIN");
    for (const table of ["audit_events", "audit_chain"]) await owner.query(`ALTER TABLE ${table} NO FORCE ROW LEVEL SECURITY`);
    await owner.query("ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only");
    await owner.query("ALTER TABLE audit_chain DISABLE TRIGGER audit_chain_append_only");
    await owner.query(`UPDATE audit_events SET reason = 'edited' WHERE realm_id = $1 AND action = 'test.2'`, [realms[1]]);
    await owner.query(`DELETE FROM audit_chain WHERE realm_id = $1`, [realms[4]]);
    await owner.query(`DELETE FROM audit_events WHERE realm_id = $1`, [realms[4]]);
    await owner.query("ALTER TABLE audit_events ENABLE TRIGGER audit_events_append_only");
    await owner.query("ALTER TABLE audit_chain ENABLE TRIGGER audit_chain_append_only");
    await owner.query("COMMIT");
    const { serial, parallel } = await both();
    expect(serial.ok).toBe(false);
    expect(parallel).toEqual(serial);
    expect(parallel.chains.find((c) => c.realmId === realms[1])!.firstBad).toMatchObject({ seq: "3", kind: "edited" });
    expect(parallel.chains.find((c) => c.realmId === realms[4])!.firstBad).toMatchObject({ seq: "1", kind: "truncated" });
  });
});
