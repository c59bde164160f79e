import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { withRealm } from "../db/client";
import { auditValues, AUDIT_COLUMNS, recordDecision } from "../repositories/audit";
import { runAuditSealer, sealAuditBatch } from "../worker/audit-sealer";
import { verifyAuditTrail } from "../services/audit-integrity";
import { writeAuditCheckpoint } from "../services/audit-integrity";
import { createTestDatabase, type TestDatabase } from "../test/db";
import { sleep, startWorker, tempDir, waitFor } from "../test/processes";
import { canonicalRecord } from "./canonical";
import { unsafeReadAuditChains, type ChainRow } from "../repositories/audit-chain";
import { chainDigest, chainTag, GENESIS_DIGEST, recordMac } from "./chain";
import { chainDigestV2 } from "./content";
import { DirectoryCheckpointStore } from "./checkpoint";
import { auditKeys } from "./keys";
import type { VerifyReport } from "./verify";

/**
 * The six ways to tamper with the audit trail, done as the database owner would (row-level
 * security unforced, the append-only triggers disabled), each named by the verifier at its exact
 * first bad record; the other realm's chain and the platform's stay intact.
 */

const keys = auditKeys();
let t: TestDatabase;
let owner: pg.Client;
let store: DirectoryCheckpointStore;
const A = randomUUID();
const B = randomUUID();

beforeEach(async () => {
  t = await createTestDatabase();
  owner = new pg.Client({ connectionString: t.urls.owner });
  await owner.connect();
  // The owner lifts row-level security for itself, as an attacker holding the role would.
  for (const table of ["audit_events", "audit_chain"]) await owner.query(`ALTER TABLE ${table} NO FORCE ROW LEVEL SECURITY`);
  store = new DirectoryCheckpointStore(tempDir("audit-checkpoints-"));
});
afterEach(async () => {
  await owner.end();
  await t.drop();
});

const DETAILS = [
  { nested: { z: 1, a: [1.0, 1e21, -0, "é", { "ü": null }] }, big: 2 ** 53 + 2 },
  { text: "日本語 \u2028 \"quoted\" \\ back", small: 1e-7, neg: -1.5 },
  undefined,
  ["array", 0.1 + 0.2, true, false, null],
  { empty: {}, list: [] },
  { when: "2026-12-02T00:00:00.000Z", n: 123456789012 },
];

/** n records in each of realm A, realm B and the platform's chain, sealed, then a checkpoint. */
async function seedAndSeal(n = 6): Promise<void> {
  for (let i = 0; i < n; i++) {
    for (const realmId of [A, B, null]) {
      await recordDecision(t.db, {
        realmId,
        actorId: randomUUID(),
        action: `test.action.${i}`,
        targetType: "vm",
        targetId: `target-${i}`,
        decision: i % 2 ? "deny" : "allow",
        layer: "trpc",
        reason: `reason ${i}`,
        requestId: `req-${i}`,
        details: DETAILS[i % DETAILS.length],
      });
    }
  }
  await sealAll();
  await writeAuditCheckpoint(t.db, keys, store);
}

async function sealAll(): Promise<{ sealed: number; refused: bigint[] }> {
  let sealed = 0;
  const refused: bigint[] = [];
  for (;;) {
    const r = await sealAuditBatch(t.db, keys, { limit: 7 });
    sealed += r.sealed;
    refused.push(...r.refused.map((x) => x.eventId));
    if (r.sealed + r.refused.length === 0) return { sealed, refused };
  }
}

const verify = (options: { keys?: boolean; realmId?: string | null } = {}) =>
  verifyAuditTrail(t.db, { store, keys: options.keys === false ? null : keys, publicKey: keys.publicKeyRaw, realmId: options.realmId });

const chainOf = (report: VerifyReport, realmId: string | null) => report.chains.find((c) => c.realmId === realmId)!;

/** The chain row at a seq of a chain (realm A unless told). */
async function at(seq: number, realmId: string | null = A): Promise<{ eventId: string }> {
  const { rows } = await owner.query<{ event_id: string }>(
    `SELECT event_id::text FROM audit_chain WHERE realm_id IS NOT DISTINCT FROM $1::uuid AND seq = $2`,
    [realmId, seq],
  );
  return { eventId: rows[0]!.event_id };
}

/** Runs SQL as the owner with the append-only triggers disabled, in one transaction. */
async function tamper(statements: [string, unknown[]?][]): Promise<void> {
  await owner.query("BEGIN");
  await owner.query("ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only");
  await owner.query("ALTER TABLE audit_chain DISABLE TRIGGER audit_chain_append_only");
  for (const [sql, params] of statements) await owner.query(sql, params);
  await owner.query("ALTER TABLE audit_events ENABLE TRIGGER audit_events_append_only");
  await owner.query("ALTER TABLE audit_chain ENABLE TRIGGER audit_chain_append_only");
  await owner.query("COMMIT");
}

/** A chain's rows as the verifier reads them (binary COPY: digest, tag and the content bytes). */
const chainRows = (realmId: string | null) =>
  unsafeReadAuditChains(t.db, { all: false, realmId }, async ({ entries }) => {
    const rows: ChainRow[] = [];
    for await (const page of entries) rows.push(...page);
    return rows;
  });

/** Re-seals a chain as the sealer did before chain format v2 (digest over the canonical record, tag with the chain key): a chain from an older installation. */
async function resealAsV1(realmId: string): Promise<void> {
  const rows = await chainRows(realmId);
  const statements: [string, unknown[]?][] = [[`DELETE FROM audit_chain WHERE realm_id = $1`, [realmId]]];
  let previous: Uint8Array = GENESIS_DIGEST;
  for (const row of rows) {
    const record = row.record!;
    const digest = chainDigest(previous, { realmId, seq: row.seq, eventId: row.eventId, record: canonicalRecord(record), mac: record.mac });
    statements.push([`INSERT INTO audit_chain (event_id, realm_id, seq, digest, tag) VALUES ($1, $2, $3, $4, $5)`, [row.eventId.toString(), realmId, row.seq.toString(), digest, chainTag(keys.chain, digest)]]);
    previous = digest;
  }
  statements.push([`UPDATE audit_chain_heads SET digest = $2 WHERE chain_key = $1`, [realmId, previous]]);
  await tamper(statements);
}

function expectIntact(report: VerifyReport, ...realmIds: (string | null)[]) {
  for (const realmId of realmIds) expect(chainOf(report, realmId), `chain ${realmId ?? "platform"}`).toMatchObject({ ok: true, firstBad: null });
}

describe("audit chain: a clean trail", () => {
  it("verifies every chain, with and without the keys, and each realm on its own", async () => {
    await seedAndSeal();
    const report = await verify();
    expect(report.ok).toBe(true);
    expect(report.checkpoints).toEqual({ valid: 1, invalid: [] });
    expect(report.chains.map((c) => [c.realmId, c.recordsVerified, c.headSeq, c.checkpointSeq])).toEqual(
      expect.arrayContaining([[A, 6, "6", "6"], [B, 6, "6", "6"], [null, 6, "6", "6"]]),
    );
    const offline = await verify({ keys: false });
    expect(offline).toMatchObject({ ok: true, checkedMacs: false, checkedTags: false });
    expect(offline.note).toMatch(/NOT checked/);
    const onlyB = await verify({ realmId: B });
    expect(onlyB.chains.map((c) => c.realmId)).toEqual([B]);
  });

  it("seals records whose details round-trip through jsonb (nested, unicode, 1.0, 1e21, -0, arrays) from both writers", async () => {
    // recordDecision (Prisma) and auditValues (the one-statement SQL form) alike.
    for (const details of DETAILS.filter((d) => d !== undefined)) {
      const record = { realmId: A, actorId: null, action: "test.sql", targetType: "vm", targetId: null, decision: "allow" as const, layer: "database", reason: "sql writer", requestId: "r", details };
      await t.db.$executeRaw`INSERT INTO "audit_events" ${AUDIT_COLUMNS} VALUES (${auditValues(record)})`;
      await recordDecision(t.db, { ...record, action: "test.prisma" });
    }
    const { sealed, refused } = await sealAll();
    expect(refused).toEqual([]);
    expect(sealed).toBe(10);
    expect((await verify()).ok).toBe(true);
  });

  it("seals an event whose transaction commits after later events were sealed", async () => {
    await seedAndSeal(2);
    const late = new pg.Client({ connectionString: t.urls.platform });
    await late.connect();
    try {
      const createdAt = new Date();
      const content = { realmId: A, actorId: null, actorTokenId: null, action: "test.late", targetType: "vm", targetId: null, decision: "allow" as const, layer: "worker", reason: "committed late", requestId: "late", details: { late: true }, createdAt };
      await late.query("BEGIN");
      const { rows } = await late.query<{ id: string }>(
        `INSERT INTO audit_events (realm_id, action, target_type, decision, layer, reason, request_id, details, created_at, mac)
         VALUES ($1, 'test.late', 'vm', 'allow', 'worker', 'committed late', 'late', '{"late": true}', $2, $3) RETURNING id::text`,
        [A, createdAt, recordMac(keys.record, canonicalRecord(content))],
      );
      // Later events commit and are sealed while the first is still open.
      await recordDecision(t.db, { realmId: A, actorId: null, action: "test.after", targetType: "vm", targetId: null, decision: "allow", layer: "worker", reason: "after", requestId: "after" });
      expect((await sealAll()).sealed).toBe(1);
      await late.query("COMMIT");
      expect((await sealAll()).sealed).toBe(1);
      const { rows: sealed } = await owner.query(`SELECT 1 FROM audit_chain WHERE event_id = $1`, [rows[0]!.id]);
      expect(sealed).toHaveLength(1);
      expect((await verify()).ok).toBe(true);
    } finally {
      await late.end();
    }
  });

  it("never forks a chain when two sealers run at once", async () => {
    for (let i = 0; i < 60; i++) await recordDecision(t.db, { realmId: i % 2 ? A : null, actorId: null, action: "test.race", targetType: "vm", targetId: null, decision: "allow", layer: "worker", reason: `race ${i}`, requestId: `race-${i}` });
    const race = async () => {
      let n = 0;
      for (;;) {
        const r = await sealAuditBatch(t.db, keys, { limit: 5 });
        if (r.sealed === 0) return n;
        n += r.sealed;
      }
    };
    const [x, y] = await Promise.all([race(), race()]);
    expect(x + y).toBe(60);
    const report = await verify();
    expect(report.ok).toBe(true);
    expect(chainOf(report, A).headSeq).toBe("30");
  });

  it("the worker's loop seals as records arrive and checkpoints only when a head moved", async () => {
    let stopping = false;
    const sealer = runAuditSealer({ db: t.db, keys, store, intervalMs: 50, checkpointMs: 200, isStopping: () => stopping, log: () => undefined });
    try {
      await recordDecision(t.db, { realmId: A, actorId: null, action: "test.loop", targetType: "vm", targetId: null, decision: "allow", layer: "worker", reason: "loop", requestId: "loop" });
      sealer.wake();
      await waitFor(async () => (await store.list()).length === 1, "the first checkpoint");
      await sleep(600); // three more checkpoint periods with no head moving: no new file
      expect(await store.list()).toHaveLength(1);
      await recordDecision(t.db, { realmId: B, actorId: null, action: "test.loop", targetType: "vm", targetId: null, decision: "allow", layer: "worker", reason: "loop", requestId: "loop-2" });
      await waitFor(async () => (await store.list()).length === 2, "a checkpoint after the head moved");
    } finally {
      stopping = true;
      sealer.wake();
      await sealer.done;
    }
    const report = await verify();
    expect(report).toMatchObject({ ok: true, checkpoints: { valid: 2 } });
    expect(chainOf(report, B).checkpointSeq).toBe("1");
  });

  it("the worker process seals what the web tier writes, with the secret the launcher gives both", async () => {
    const worker = await startWorker({ databaseUrl: t.url, masterSecret: "matrix-master-secret-for-the-test", env: { REALMGATE_AUDIT_SEAL_MS: "100" } });
    try {
      await recordDecision(t.db, { realmId: A, actorId: null, action: "test.worker", targetType: "vm", targetId: null, decision: "allow", layer: "trpc", reason: "sealed by the worker", requestId: "worker" });
      await waitFor(async () => (await t.db.auditChain.count({ where: { realmId: A } })) === 1, "the worker's seal");
    } finally {
      await worker.stop();
    }
    expect((await verify()).ok).toBe(true);
  });

  it("seals in chain format v2: each digest is SHA-256 over the previous one, the place and the content as the database stores it", async () => {
    await seedAndSeal(3);
    for (const realmId of [A, B, null]) {
      const rows = await chainRows(realmId);
      expect(rows).toHaveLength(3);
      let previous: Uint8Array = GENESIS_DIGEST;
      for (const row of rows) {
        expect(Buffer.from(row.digest).toString("hex")).toBe(chainDigestV2(previous, { realmId, seq: row.seq, eventId: row.eventId, content: row.content! }).toString("hex"));
        previous = row.digest;
      }
    }
  });

  it("old records still verify: a chain sealed before v2 (v1 digests), continued in v2 by today's sealer", async () => {
    await seedAndSeal(4);
    await resealAsV1(A);
    store = new DirectoryCheckpointStore(tempDir("audit-checkpoints-")); // the old installation's checkpoints signed v1 digests
    await writeAuditCheckpoint(t.db, keys, store);
    for (let i = 0; i < 3; i++) await recordDecision(t.db, { realmId: A, actorId: null, action: "test.after-v2", targetType: "vm", targetId: null, decision: "allow", layer: "worker", reason: "sealed as v2", requestId: `v2-${i}` });
    await sealAll();
    await writeAuditCheckpoint(t.db, keys, store);
    const rows = await chainRows(A);
    expect(rows.map((r) => r.seq)).toEqual([1n, 2n, 3n, 4n, 5n, 6n, 7n]);
    // seqs 1…4 are v1, 5…7 v2 (the first v2 entry links to the last v1 digest).
    expect(Buffer.from(rows[4]!.digest).toString("hex")).toBe(chainDigestV2(rows[3]!.digest, { realmId: A, seq: 5n, eventId: rows[4]!.eventId, content: rows[4]!.content! }).toString("hex"));
    const report = await verify();
    expect(report.ok).toBe(true);
    expect(chainOf(report, A)).toMatchObject({ recordsVerified: 7, checkpointSeq: "7", checkpointMatchedSeq: "7" });
    expect((await verify({ keys: false })).ok).toBe(true);
    // An edit of an old (v1) record is still named, with and without the keys.
    await tamper([[`UPDATE audit_events SET reason = 'rewritten history' WHERE id = $1`, [rows[1]!.eventId.toString()]]]);
    for (const withKeys of [true, false]) expect(chainOf(await verify({ keys: withKeys }), A).firstBad).toMatchObject({ seq: "2", eventId: rows[1]!.eventId.toString(), kind: "edited" });
  });

  it("a v2 record edited and its chain recomputed without the chain key is named as edited (the MAC, checked when the tag fails)", async () => {
    await seedAndSeal();
    const rows = await chainRows(A);
    const victim = rows[2]!;
    await tamper([[`UPDATE audit_events SET reason = 'nothing happened' WHERE id = $1`, [victim.eventId.toString()]]]);
    const edited = await chainRows(A);
    const statements: [string, unknown[]?][] = [[`DELETE FROM audit_chain WHERE realm_id = $1 AND seq >= 3`, [A]]];
    let previous = rows[1]!.digest;
    for (const row of edited.slice(2)) {
      const digest = chainDigestV2(previous, { realmId: A, seq: row.seq, eventId: row.eventId, content: row.content! });
      statements.push([`INSERT INTO audit_chain (event_id, realm_id, seq, digest, tag) VALUES ($1, $2, $3, $4, $5)`, [row.eventId.toString(), A, row.seq.toString(), digest, Buffer.from(row.tag)]]);
      previous = digest;
    }
    await tamper(statements);
    expect(chainOf(await verify(), A).firstBad).toMatchObject({ seq: "3", eventId: victim.eventId.toString(), kind: "edited" });
    // Without the keys, the signed checkpoint (seq 6) no longer matches.
    expect(chainOf(await verify({ keys: false }), A).firstBad).toMatchObject({ seq: "6", kind: "rewritten" });
  });

  it("lets a realm's members read their own chain rows and no other realm's", async () => {
    await seedAndSeal(2);
    const rows = await withRealm(t.tenantDb, A, (tx) => tx.auditChain.findMany({ select: { realmId: true } }));
    expect(rows.length).toBe(2);
    expect(new Set(rows.map((r) => r.realmId))).toEqual(new Set([A]));
  });
});

describe("audit chain: tampering as the database owner", () => {
  it("(1) names an edited record", async () => {
    await seedAndSeal();
    const victim = await at(3);
    await tamper([[`UPDATE audit_events SET reason = 'nothing happened' WHERE id = $1`, [victim.eventId]]]);
    const report = await verify();
    expect(report.ok).toBe(false);
    expect(chainOf(report, A).firstBad).toMatchObject({ seq: "3", eventId: victim.eventId, kind: "edited" });
    expect(chainOf(report, A).recordsVerified).toBe(2);
    expectIntact(report, B, null);
    // With the public key only, the digest still names it.
    expect(chainOf(await verify({ keys: false }), A).firstBad).toMatchObject({ seq: "3", eventId: victim.eventId, kind: "edited" });
  });

  it("(2) names a deleted record (its event row and its chain row)", async () => {
    await seedAndSeal();
    const victim = await at(3);
    await tamper([
      [`DELETE FROM audit_chain WHERE event_id = $1`, [victim.eventId]],
      [`DELETE FROM audit_events WHERE id = $1`, [victim.eventId]],
    ]);
    const report = await verify();
    expect(chainOf(report, A).firstBad).toMatchObject({ seq: "3", kind: "deleted" });
    expect(chainOf(report, A).firstBad!.detail).toMatch(/seq 3 is missing/);
    expectIntact(report, B, null);
    // The event row alone gone: the chain row names it.
    const other = await at(5, B);
    await tamper([[`DELETE FROM audit_events WHERE id = $1`, [other.eventId]]]);
    expect(chainOf(await verify(), B).firstBad).toMatchObject({ seq: "5", eventId: other.eventId, kind: "deleted" });
  });

  it("(3) names an inserted record: a backdated row without a MAC, and a forged row with a made-up MAC the sealer refuses", async () => {
    await seedAndSeal();
    const { rows: times } = await owner.query<{ created_at: Date }>(
      `SELECT e.created_at FROM audit_chain c JOIN audit_events e ON e.id = c.event_id WHERE c.realm_id = $1 AND c.seq = 3`,
      [A],
    );
    const backdated = new Date(times[0]!.created_at.getTime() - 1);
    const insert = `INSERT INTO audit_events (realm_id, actor_id, action, target_type, target_id, decision, layer, reason, request_id, created_at, mac)
                    VALUES ($1, $2, 'vm.start', 'vm', 'x', 'allow', 'trpc', 'looks legitimate', 'forged', $3, $4) RETURNING id::text`;
    const backdatedId = (await owner.query<{ id: string }>(insert, [A, randomUUID(), backdated, null])).rows[0]!.id;
    const forgedId = (await owner.query<{ id: string }>(insert, [B, randomUUID(), new Date(), Buffer.alloc(32, 7)])).rows[0]!.id;

    let report = await verify();
    expect(chainOf(report, A).firstBad).toMatchObject({ seq: null, eventId: backdatedId, kind: "inserted" });
    expect(chainOf(report, B).firstBad).toMatchObject({ seq: null, eventId: forgedId, kind: "inserted" });
    expect(chainOf(report, B).firstBad!.detail).toMatch(/MAC is not valid/);
    expectIntact(report, null);

    // The sealer refuses both and raises an alarm naming each, on the platform's chain.
    const { refused, sealed } = await sealAll();
    expect(refused.map(String).sort()).toEqual([backdatedId, forgedId].sort());
    expect(sealed).toBe(1); // the alarm, sealed in the next batch
    const alarms = await t.db.auditEvent.findMany({ where: { action: "alarm.audit_integrity" }, select: { details: true, realmId: true, layer: true } });
    expect(alarms).toHaveLength(1);
    expect(alarms[0]).toMatchObject({ realmId: null, layer: "audit" });
    const named = (alarms[0]!.details as { events: { eventId: string; why: string }[] }).events;
    expect(named.map((e) => e.eventId).sort()).toEqual([backdatedId, forgedId].sort());
    expect(named.find((e) => e.eventId === forgedId)!.why).toMatch(/MAC is not valid/);
    report = await verify();
    expect(chainOf(report, A).firstBad).toMatchObject({ eventId: backdatedId, kind: "inserted" });
    expectIntact(report, null);
  });

  it("(4) names the first of two swapped records (content and MACs exchanged)", async () => {
    await seedAndSeal();
    const [x, y] = [await at(2), await at(4)];
    const cols = ["actor_id", "action", "target_type", "target_id", "decision", "layer", "reason", "request_id", "details", "created_at", "mac"];
    await tamper([
      [`CREATE TEMP TABLE swap AS SELECT * FROM audit_events WHERE id IN ($1, $2)`, [x.eventId, y.eventId]],
      [`UPDATE audit_events e SET ${cols.map((c) => `${c} = s.${c}`).join(", ")} FROM swap s WHERE (e.id, s.id) IN (($1::bigint, $2::bigint), ($2::bigint, $1::bigint))`, [x.eventId, y.eventId]],
      [`DROP TABLE swap`],
    ]);
    const report = await verify();
    expect(chainOf(report, A).firstBad).toMatchObject({ seq: "2", eventId: x.eventId, kind: "swapped" });
    expectIntact(report, B, null);
  });

  it("(5) names a truncated tail by the checkpoint (last records and chain rows deleted, head rewound)", async () => {
    await seedAndSeal();
    const { rows } = await owner.query<{ digest: Buffer }>(`SELECT digest FROM audit_chain WHERE realm_id = $1 AND seq = 4`, [A]);
    const tail = [await at(5), await at(6)].map((r) => r.eventId);
    await tamper([
      [`DELETE FROM audit_chain WHERE event_id = ANY($1::bigint[])`, [tail]],
      [`DELETE FROM audit_events WHERE id = ANY($1::bigint[])`, [tail]],
      [`UPDATE audit_chain_heads SET seq = 4, event_id = (SELECT event_id FROM audit_chain WHERE realm_id = $1 AND seq = 4), digest = $2 WHERE chain_key = $1`, [A, rows[0]!.digest]],
    ]);
    const report = await verify();
    expect(chainOf(report, A).firstBad).toMatchObject({ seq: "5", kind: "truncated" });
    expect(chainOf(report, A).firstBad!.detail).toMatch(/signed seq 6/);
    expectIntact(report, B, null);
  });

  describe("(6) a rewritten tail with a recomputed chain (record 3 dropped, records 4… renumbered and re-chained)", () => {
    /** Drops seq 3 of realm A and re-chains the rest from seq 2's digest, with tags by `tagKey` (or left as they were). */
    async function rewrite(tagKey: Buffer | null): Promise<void> {
      const { rows } = await owner.query<{ seq: string; event_id: string; digest: Buffer; tag: Buffer }>(
        `SELECT seq::text, event_id::text, digest, tag FROM audit_chain WHERE realm_id = $1 ORDER BY seq`,
        [A],
      );
      // The attacker recomputes in the sealer's current format (v2, over the stored content).
      const contents = new Map((await chainRows(A)).map((r) => [r.eventId.toString(), r.content!]));
      const dropped = rows[2]!.event_id;
      const statements: [string, unknown[]?][] = [
        [`DELETE FROM audit_chain WHERE realm_id = $1 AND seq >= 3`, [A]],
        [`DELETE FROM audit_events WHERE id = $1`, [dropped]],
      ];
      let previous = rows[1]!.digest;
      let seq = 3n;
      const records = await t.db.auditEvent.findMany({ where: { id: { in: rows.slice(3).map((r) => BigInt(r.event_id)) } }, orderBy: { id: "asc" } });
      for (const [i, r] of rows.slice(3).entries()) {
        const e = records.find((x) => x.id.toString() === r.event_id)!;
        const digest = chainDigestV2(previous, { realmId: A, seq, eventId: e.id, content: contents.get(r.event_id)! });
        const tag = tagKey ? chainTag(tagKey, digest) : rows[3 + i]!.tag;
        statements.push([`INSERT INTO audit_chain (event_id, realm_id, seq, digest, tag) VALUES ($1, $2, $3, $4, $5)`, [r.event_id, A, seq.toString(), digest, tag]]);
        statements.push([`UPDATE audit_chain_heads SET seq = $2, event_id = $3, digest = $4 WHERE chain_key = $1`, [A, seq.toString(), r.event_id, digest]]);
        previous = digest;
        seq++;
      }
      await tamper(statements);
    }

    it("with a leaked chain key, the checkpoint names it: the signed seq no longer matches", async () => {
      await seedAndSeal();
      await rewrite(keys.chain);
      // The trail goes on from the rewritten head and grows past the checkpoint's seq 6.
      for (let i = 0; i < 2; i++) await recordDecision(t.db, { realmId: A, actorId: null, action: "test.later", targetType: "vm", targetId: null, decision: "allow", layer: "worker", reason: "later", requestId: `later-${i}` });
      await sealAll();
      const report = await verify();
      expect(chainOf(report, A).firstBad).toMatchObject({ seq: "6", kind: "rewritten" });
      expect(chainOf(report, A).firstBad!.detail).toMatch(/checkpoint .* signed seq 6/);
      expectIntact(report, B, null);
    });

    it("without the chain key, the tag names the exact first rewritten record", async () => {
      await seedAndSeal();
      const moved = await at(4);
      await rewrite(null);
      const report = await verify();
      expect(chainOf(report, A).firstBad).toMatchObject({ seq: "3", eventId: moved.eventId, kind: "rewritten" });
      expectIntact(report, B, null);
    });
  });

  it("reports a checkpoint file that was altered, and ignores it", async () => {
    await seedAndSeal(2);
    const [stored] = await store.list();
    const forged = structuredClone(stored!.checkpoint) as { chains: { seq: string }[] };
    forged.chains[0]!.seq = "99";
    await store.append(forged as never);
    const report = await verify();
    expect(report.ok).toBe(false);
    expect(report.checkpoints.valid).toBe(1);
    expect(report.checkpoints.invalid[0]!.reason).toMatch(/signature does not verify/);
    expectIntact(report, A, B, null);
  });
});
