/**
 * Tamper-evident audit (issue 13): how fast the worker seals audit events into their chains and
 * how fast the verifier checks them, against baselines measured in the same run.
 * - seeds BENCH_AUDIT_RECORDS audit events (default 200,000) across BENCH_AUDIT_CHAINS chains
 *   (default 8 realms plus the platform's), each with a valid record MAC computed here with the
 *   product's own module, loaded with COPY (the sealer's queue fills from the same statement);
 * - seals them with the worker's sealAuditBatch (records sealed/s), writes a signed checkpoint;
 * - verifies every chain as operator.audit.verify does (records/s, target ≥ 100,000/s), with the
 *   keys and with the public key only;
 * - the same with the chains split between worker threads (BENCH_AUDIT_WORKERS, default 2);
 * - an operator's export of every chain (NDJSON, streamed to a file) and its offline verification;
 * - baselines: the same rows read through the same COPY stream with no checking (what reading
 *   costs), and raw SHA-256 over each record's canonical bytes (what one hash per record costs).
 * The sealer writes chain format v2 (server/audit-chain/content.ts): the verifier hashes each
 * record's content bytes as binary COPY streams them (bench/README.md has before/after figures).
 *   npx tsx bench/audit-verify.bench.ts
 * A throwaway embedded PostgreSQL in a temporary directory, removed at the end.
 */
import { randomBytes, randomUUID, createHash } from "node:crypto";
import { once } from "node:events";
import { chmodSync, createReadStream, createWriteStream, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { canonicalRecord, type AuditRecordContent } from "../server/audit-chain/canonical";
import { recordMac } from "../server/audit-chain/chain";
import { DirectoryCheckpointStore } from "../server/audit-chain/checkpoint";
import { auditKeys } from "../server/audit-chain/keys";
import { verifyAuditChains } from "../server/audit-chain/verify";
import { verifyExport } from "../server/audit-chain/verify-export";
import { auditExportChunks } from "../server/services/audit-export";
import { createDb } from "../server/db/client";
import { startEmbeddedPostgres } from "../server/db/embedded";
import { migrate } from "../server/db/migrate";
import { bootstrapRoles } from "../server/db/roles";
import { unsafeReadAuditChains, type ChainRow } from "../server/repositories/audit-chain";
import { verifyAuditTrail, writeAuditCheckpoint } from "../server/services/audit-integrity";
import { sealAuditBatch } from "../server/worker/audit-sealer";
import { freePort, now } from "./support";

const RECORDS = Number(process.env.BENCH_AUDIT_RECORDS ?? 200_000);
const CHAINS = Number(process.env.BENCH_AUDIT_CHAINS ?? 8);
const SEAL_BATCH = Number(process.env.BENCH_AUDIT_SEAL_BATCH ?? 2_000);
const TARGET_PER_S = 100_000;
const WORKERS = Number(process.env.BENCH_AUDIT_WORKERS ?? Math.min(2, os.availableParallelism()));

process.env.REALMGATE_AUDIT_SECRET ??= randomBytes(32).toString("base64url");
const keys = auditKeys();

const rate = (n: number, ms: number) => Math.round(n / (ms / 1000));
const fmt = (n: number) => n.toLocaleString("en-US");

/** One CSV field (COPY … CSV): quoted, quotes doubled; NULL unquoted and empty. */
const csv = (value: string | null) => (value === null ? "" : `"${value.replace(/"/g, '""')}"`);

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "realmgate-bench-audit-"));
  chmodSync(dir, 0o755); // PostgreSQL (as the postgres user when run as root) reads the COPY file
  const server = await startEmbeddedPostgres({ dataDir: path.join(dir, "pg"), port: await freePort(), password: randomBytes(16).toString("hex") });
  try {
    const passwords = { owner: randomBytes(16).toString("hex"), tenant: randomBytes(16).toString("hex"), platform: randomBytes(16).toString("hex") };
    const urls = await bootstrapRoles(server.url("postgres"), "realmgate_bench", passwords);
    await migrate(urls.owner);
    const admin = new pg.Client({ connectionString: server.url("realmgate_bench") });
    await admin.connect();
    const platform = createDb(urls.platform, { poolSize: 4 });

    // ------------------------------------------------------------------------------------------
    console.log(`Seeding ${fmt(RECORDS)} audit events across ${CHAINS} realm chains and the platform's…`);
    const realms = Array.from({ length: CHAINS }, () => randomUUID());
    const lines: string[] = [];
    const canonicals: string[] = [];
    let t0 = now();
    const start = Date.now() - RECORDS; // one record a millisecond, in the past
    for (let i = 0; i < RECORDS; i++) {
      const realmId = i % (CHAINS + 1) === CHAINS ? null : realms[i % (CHAINS + 1)]!;
      const record: AuditRecordContent = {
        realmId,
        actorId: randomUUID(),
        actorTokenId: null,
        action: i % 3 ? "vm.start" : "vm.stop",
        targetType: "vm",
        targetId: randomUUID(),
        decision: i % 7 ? "allow" : "deny",
        layer: i % 7 ? "trpc" : "hypervisor",
        reason: i % 7 ? "role operator grants vm.start" : "avc: denied { create } for scontext=realm_a_t tcontext=realm_b_t",
        requestId: `bench-${i}`,
        details: { operationId: randomUUID(), attempt: i % 3, avc: i % 7 ? null : ["avc: denied { create }"], nested: { host: `xen-${i % 2 ? "a" : "b"}` } },
        createdAt: new Date(start + i),
      };
      const canonical = canonicalRecord(record);
      canonicals.push(canonical);
      const mac = recordMac(keys.record, canonical);
      lines.push(
        [realmId, record.actorId, null, record.action, record.targetType, record.targetId, record.decision, record.layer, record.reason, record.requestId, JSON.stringify(record.details), record.createdAt.toISOString(), `\\x${mac.toString("hex")}`]
          .map(csv)
          .join(","),
      );
    }
    const macMs = now() - t0;
    const file = path.join(dir, "audit.csv");
    writeFileSync(file, `${lines.join("\n")}\n`);
    chmodSync(file, 0o644);
    lines.length = 0;
    t0 = now();
    await admin.query(
      `COPY audit_events (realm_id, actor_id, actor_token_id, action, target_type, target_id, decision, layer, reason, request_id, details, created_at, mac) FROM '${file}' WITH (FORMAT csv)`,
    );
    const copyMs = now() - t0;
    await admin.query("VACUUM ANALYZE audit_events");
    console.log(`  records built with their MACs: ${fmt(rate(RECORDS, macMs))}/s; COPY (queue filled by the same statement): ${(copyMs / 1000).toFixed(1)} s`);

    // ------------------------------------------------------------------------------------------
    t0 = now();
    let sealed = 0;
    for (;;) {
      const r = await sealAuditBatch(platform, keys, { limit: SEAL_BATCH });
      if (r.refused.length) throw new Error(`the sealer refused ${r.refused.length} records`);
      if (r.sealed === 0) break;
      sealed += r.sealed;
    }
    const sealMs = now() - t0;
    await admin.query("VACUUM ANALYZE audit_chain");
    const store = new DirectoryCheckpointStore(path.join(dir, "checkpoints"));
    const written = await writeAuditCheckpoint(platform, keys, store);

    // ------------------------------------------------------------------------------------------
    // Baseline 1: the same rows through the same COPY read, nothing checked (kept for the core figure).
    t0 = now();
    const snapshot = await unsafeReadAuditChains(platform, { all: true }, async ({ entries, watermark }) => {
      const rows: ChainRow[] = [];
      for await (const page of entries) for (const row of page) rows.push(row);
      return { rows, watermark };
    });
    const streamed = snapshot.rows.length;
    const streamMs = now() - t0;
    // The verifier's core alone, over the rows already in memory: its CPU cost per record.
    t0 = now();
    const core = await verifyAuditChains({ entries: [snapshot.rows], unsealed: [], checkpoints: await store.list(), publicKey: keys.publicKeyRaw, keys, legacyWatermark: snapshot.watermark, now: new Date() });
    const coreMs = now() - t0;
    if (!core.ok) throw new Error("the in-memory verification failed");
    snapshot.rows.length = 0;
    // Baseline 2: one SHA-256 over each record's canonical bytes, in memory.
    t0 = now();
    for (const c of canonicals) createHash("sha256").update(c).digest();
    const shaMs = now() - t0;

    t0 = now();
    const report = await verifyAuditTrail(platform, { store, keys, publicKey: keys.publicKeyRaw });
    const verifyMs = now() - t0;
    t0 = now();
    const offline = await verifyAuditTrail(platform, { store, keys: null, publicKey: keys.publicKeyRaw });
    const offlineMs = now() - t0;
    if (!report.ok || !offline.ok) throw new Error(`verification failed: ${JSON.stringify(report.chains.find((c) => !c.ok) ?? report.checkpoints)}`);
    // The same, the chains split between worker threads (one part each, its own connection).
    t0 = now();
    const parallel = await verifyAuditTrail(platform, { store, keys, publicKey: keys.publicKeyRaw, workers: WORKERS });
    const parallelMs = now() - t0;
    t0 = now();
    const parallelOffline = await verifyAuditTrail(platform, { store, keys: null, publicKey: keys.publicKeyRaw, workers: WORKERS });
    const parallelOfflineMs = now() - t0;
    if (!parallel.ok || !parallelOffline.ok) throw new Error("parallel verification failed");
    if (parallel.chains.reduce((sum, c) => sum + c.recordsVerified, 0) !== report.chains.reduce((sum, c) => sum + c.recordsVerified, 0)) throw new Error("the parallel verification did not cover every record");

    // An export of every chain (the operator's NDJSON, streamed as GET /api/v1/operator/audit/export does), then verified offline from the file.
    t0 = now();
    const exportFile = path.join(dir, "export.ndjson");
    const out = createWriteStream(exportFile);
    for await (const chunk of auditExportChunks({ tenant: platform, platform }, { kind: "operator", chain: "all" }, { format: "ndjson", filter: {}, filterParams: {}, store, publicKeyRaw: keys.publicKeyRaw })) {
      if (!out.write(chunk)) await once(out, "drain");
    }
    await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
    const exportMs = now() - t0;
    t0 = now();
    const fileReport = await verifyExport(() => createReadStream(exportFile, { highWaterMark: 1 << 20 }), { publicKey: keys.publicKeyRaw });
    const fileMs = now() - t0;
    if (!fileReport.ok) throw new Error(`the export did not verify: ${JSON.stringify(fileReport.fileProblems.concat(fileReport.chains.filter((c) => !c.ok).map((c) => JSON.stringify(c.firstBad))))}`);
    const verified = report.chains.reduce((sum, c) => sum + c.recordsVerified, 0);

    const streamRate = rate(streamed, streamMs);
    const verifyRate = rate(verified, verifyMs);
    const parallelRate = rate(verified, parallelMs);
    const best = Math.max(verifyRate, parallelRate);
    const row = (label: string, n: number, ms: number) =>
      `| ${label.padEnd(52)} | ${fmt(rate(n, ms)).padStart(13)} | ${(ms / 1000).toFixed(2).padStart(6)} s | ${(rate(n, ms) / streamRate).toFixed(2).padEnd(19)} |`;
    console.log(`
Audit chain, ${fmt(RECORDS)} records in ${report.chains.length} chains (checkpoint ${written!.name})

| figure                                             | records/s     | time     | ratio to the stream |
| -------------------------------------------------- | ------------- | -------- | ------------------- |
| baseline: the reader alone (binary COPY, rows split) | ${fmt(streamRate).padStart(13)} | ${(streamMs / 1000).toFixed(2).padStart(6)} s | 1.00                |
| baseline: raw SHA-256 over the canonical bytes     | ${fmt(rate(RECORDS, shaMs)).padStart(13)} | ${(shaMs / 1000).toFixed(2).padStart(6)} s | ${(rate(RECORDS, shaMs) / streamRate).toFixed(2).padEnd(19)} |
| seal (worker: MAC check, digest, tag, 3 writes)     | ${fmt(rate(sealed, sealMs)).padStart(13)} | ${(sealMs / 1000).toFixed(2).padStart(6)} s | ${(rate(sealed, sealMs) / streamRate).toFixed(2).padEnd(19)} |
| verifier core alone, rows in memory (with the keys) | ${fmt(rate(streamed, coreMs)).padStart(13)} | ${(coreMs / 1000).toFixed(2).padStart(6)} s | ${(rate(streamed, coreMs) / streamRate).toFixed(2).padEnd(19)} |
| verify with the keys (MAC, digest, tag, checkpoint) | ${fmt(verifyRate).padStart(13)} | ${(verifyMs / 1000).toFixed(2).padStart(6)} s | ${(verifyRate / streamRate).toFixed(2).padEnd(19)} |
| verify with the public key only (digest, checkpoint) | ${fmt(rate(verified, offlineMs)).padStart(13)} | ${(offlineMs / 1000).toFixed(2).padStart(6)} s | ${(rate(verified, offlineMs) / streamRate).toFixed(2).padEnd(19)} |
${row(`verify with the keys, ${WORKERS} worker threads`, verified, parallelMs)}
${row(`verify, public key only, ${WORKERS} worker threads`, verified, parallelOfflineMs)}
${row("export every chain as NDJSON (streamed to a file)", fileReport.records, exportMs)}
${row("verify that export offline (file, public key only)", fileReport.records, fileMs)}

verify end to end: ${fmt(best)} records/s (${best === parallelRate ? `${WORKERS} worker threads` : "one thread"}) against a target of ≥ ${fmt(TARGET_PER_S)}/s: ${best >= TARGET_PER_S ? "met" : "NOT met"} (${(best / TARGET_PER_S).toFixed(2)}× the target); one thread: ${fmt(verifyRate)}/s (${(parallelRate / verifyRate).toFixed(2)}× with ${WORKERS} threads); the core alone: ${fmt(rate(streamed, coreMs))}/s; one thread is ${(verifyRate / rate(RECORDS, shaMs)).toFixed(2)}× the raw SHA-256 rate (per record, chain format v2: one digest over the stored content and a tag)
machine: ${os.cpus().length} cores, load average ${os.loadavg().map((l) => l.toFixed(1)).join(" ")} (figures from a busy machine are several times worse; the ratios hold better)`);
    await admin.end();
    await platform.$disconnect();
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
