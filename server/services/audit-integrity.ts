import type { KeyObject } from "node:crypto";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { signCheckpoint, type Checkpoint, type CheckpointChain, type CheckpointStore, type StoredCheckpoint } from "../audit-chain/checkpoint";
import type { AuditKeys } from "../audit-chain/keys";
import type { VerifyReport } from "../audit-chain/verify";
import { connectionStringOf, type Db, type Tx } from "../db/client";
import { checkTargetRealms } from "../audit-chain/target-realm";
import { unsafeChainHeads, unsafeReadTargetRealms, type ChainScope } from "../repositories/audit-chain";
import { balancedParts, type Partition } from "../repositories/audit-chain-reader";
import { verifyScopeAt, type ScopeVerifyOptions } from "./audit-verify-scope";

/**
 * The audit trail's integrity, for operators (operator.audit.*) and the worker: signed
 * checkpoints of the chain heads, and verification of the chains in the database against them.
 * The sealing itself is the worker's (worker/audit-sealer.ts).
 */

const hex = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString("hex");

/** The chain heads as a checkpoint lists them. */
export async function currentHeads(platform: Tx): Promise<CheckpointChain[]> {
  const heads = await unsafeChainHeads(platform);
  return heads.map((h) => ({ realmId: h.realmId, seq: h.seq.toString(), eventId: h.eventId.toString(), digest: hex(h.digest) }));
}

const sameHeads = (a: CheckpointChain[], b: CheckpointChain[]) =>
  a.length === b.length && a.every((x, i) => x.realmId === b[i]!.realmId && x.seq === b[i]!.seq && x.digest === b[i]!.digest);

/**
 * Signs the current heads and appends the checkpoint to the store. With `unlessSameAs`, writes
 * nothing when no head moved since that checkpoint (the periodic one). Returns what was written.
 */
export async function writeAuditCheckpoint(
  platform: Tx,
  keys: AuditKeys,
  store: CheckpointStore,
  options: { unlessSameAs?: CheckpointChain[] | null; now?: Date } = {},
): Promise<{ name: string; checkpoint: Checkpoint } | null> {
  const chains = (await currentHeads(platform)).sort((a, b) => (a.realmId ?? "").localeCompare(b.realmId ?? ""));
  if (options.unlessSameAs && sameHeads(chains, options.unlessSameAs)) return null;
  if (options.unlessSameAs !== undefined && chains.length === 0) return null;
  const checkpoint = signCheckpoint(keys, chains, options.now);
  return { name: await store.append(checkpoint), checkpoint };
}

export type VerifyOptions = {
  /** One realm's chain; null: the platform's own chain; undefined: every chain. */
  realmId?: string | null;
  store: CheckpointStore;
  /** With the keys, MACs and tags are checked too; without, the public key alone. */
  keys: AuditKeys | null;
  publicKey: KeyObject | Buffer;
  graceMs?: number;
  now?: Date;
  /**
   * Every chain: verified by this many worker threads side by side, each reading and checking one
   * part of the chains (chainPartition) on a connection of its own. Default: 1 (this thread). A
   * thread that cannot start (no TypeScript loader) falls back to this thread.
   */
  workers?: number;
  /**
   * Every chain, in this thread: read by this many COPYs side by side, in one snapshot, on as many
   * connections (PostgreSQL's side of the read is most of its cost). Default 1: on two busy cores
   * a second read did not pay off (bench/README.md); it may where a core is idle.
   */
  reads?: number;
};

const DEFAULT_READS = 1;

/**
 * Verifies the chains in the database against the signed checkpoints (audit-chain/verify.ts), and
 * with the keys, the target realms of foreign-id denials against the seals their records carry.
 */
export async function verifyAuditTrail(platform: Db, options: VerifyOptions): Promise<VerifyReport> {
  const scope: ChainScope = options.realmId === undefined ? { all: true } : { all: false, realmId: options.realmId };
  const checkpoints = await options.store.list();
  const workers = Math.max(1, Math.floor(options.workers ?? 1));
  // The target realms' read (with the keys) runs while the chains are read and checked.
  const targetRead = options.keys ? unsafeReadTargetRealms(platform, options.realmId) : null;
  targetRead?.catch(() => undefined); // judged below; not an unhandled rejection meanwhile
  const parallel = scope.all && workers > 1 ? await verifyInWorkers(platform, checkpoints, options, workers) : null;
  const report = parallel ?? (await verifyScope(platform, scope, checkpoints, { ...options, keys: options.keys, publicKey: options.publicKey, reads: options.reads ?? DEFAULT_READS }));
  if (!options.keys || !targetRead) return report;
  const { rows, legacy } = await targetRead;
  const targetRealms = { ...checkTargetRealms(options.keys.record, rows), legacy };
  return { ...report, ok: report.ok && targetRealms.problems.length === 0, targetRealms };
}

export type { ScopeVerifyOptions } from "./audit-verify-scope";

/** One read of the chains in scope through the verifier's core (this thread, or a worker's). */
export async function verifyScope(platform: Db | string, scope: ChainScope, checkpoints: StoredCheckpoint[], options: ScopeVerifyOptions): Promise<VerifyReport> {
  return verifyScopeAt(typeof platform === "string" ? platform : connectionStringOf(platform), scope, checkpoints, options);
}

/** What a verification worker thread is given (audit-verify-worker.ts). */
export type VerifyWorkerData = {
  connectionString: string;
  partition: Partition;
  checkpoints: StoredCheckpoint[];
  publicKeyRaw: Buffer;
  keys: { record: Buffer; chain: Buffer } | null;
  now: number;
  graceMs?: number;
};

/**
 * The worker's entry, next to this file. Built at call time from a variable: a bundler (Next's,
 * for the route handlers that import the router) must not take the worker for an asset or entry
 * of its own. In a bundle the file is not there, the thread fails to start, and verification
 * runs in this thread.
 */
const workerEntry = () => {
  const name = "audit-verify-worker.mjs";
  return path.join(path.dirname(fileURLToPath(import.meta.url)), name);
};

/**
 * Every chain, split in `count` parts verified by as many worker threads (each chain is read and
 * checked by exactly one: the partition covers every realm id and the platform's chain, so events
 * and checkpoints of a chain with no chain rows are judged too). Null when a thread cannot start.
 */
async function verifyInWorkers(platform: Db, checkpoints: StoredCheckpoint[], options: VerifyOptions, count: number): Promise<VerifyReport | null> {
  const connectionString = connectionStringOf(platform);
  const assigned = balancedParts(await unsafeChainHeads(platform), count);
  const publicKeyRaw = Buffer.isBuffer(options.publicKey) ? options.publicKey : Buffer.from((options.publicKey.export({ format: "der", type: "spki" }) as Buffer).subarray(12));
  const run = (index: number) =>
    new Promise<VerifyReport>((resolve, reject) => {
      const data: VerifyWorkerData = { connectionString, partition: { index, of: count, assigned }, checkpoints, publicKeyRaw, keys: options.keys ? { record: options.keys.record, chain: options.keys.chain } : null, now: (options.now ?? new Date()).getTime(), graceMs: options.graceMs };
      const worker = new Worker(workerEntry(), { workerData: data });
      worker.once("message", (report: VerifyReport) => resolve(report));
      worker.once("error", reject);
      worker.once("exit", (code) => reject(new Error(`audit verification worker exited with code ${code}`)));
    });
  let reports: VerifyReport[];
  try {
    reports = await Promise.all(Array.from({ length: count }, (_, i) => run(i)));
  } catch (error) {
    console.warn(`[audit] parallel verification unavailable, verifying in this thread: ${(error as Error).message}`);
    return null;
  }
  const chains = reports.flatMap((r) => r.chains).sort((a, b) => (a.realmId ?? "").localeCompare(b.realmId ?? ""));
  return { ...reports[0]!, ok: reports.every((r) => r.ok), chains };
}

