import type { KeyObject } from "node:crypto";
import { signCheckpoint, type Checkpoint, type CheckpointChain, type CheckpointStore } from "../audit-chain/checkpoint";
import type { AuditKeys } from "../audit-chain/keys";
import { verifyAuditChains, type VerifyReport } from "../audit-chain/verify";
import type { Db, Tx } from "../db/client";
import { unsafeChainHeads, unsafeReadAuditChains, type ChainScope } from "../repositories/audit-chain";

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
};

/** Verifies the chains in the database against the signed checkpoints (audit-chain/verify.ts). */
export async function verifyAuditTrail(platform: Db, options: VerifyOptions): Promise<VerifyReport> {
  const scope: ChainScope = options.realmId === undefined ? { all: true } : { all: false, realmId: options.realmId };
  const checkpoints = await options.store.list();
  return unsafeReadAuditChains(platform, scope, async ({ entries, unsealed, watermark }) =>
    verifyAuditChains({
      entries,
      unsealed: (async function* () {
        yield* await unsealed();
      })(),
      checkpoints,
      publicKey: options.publicKey,
      keys: options.keys,
      legacyWatermark: watermark,
      now: options.now ?? new Date(),
      graceMs: options.graceMs,
      only: scope.all ? undefined : [scope.realmId],
    }),
  );
}
