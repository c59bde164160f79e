import type { KeyObject } from "node:crypto";
import type { StoredCheckpoint } from "../audit-chain/checkpoint";
import { verifyAuditChains, type VerifyReport } from "../audit-chain/verify";
import { chainPartition, unsafeReadAuditChainsAt, type ChainScope } from "../repositories/audit-chain-reader";

/**
 * One read of the chains in scope through the verifier's core: the part of verification a worker
 * thread runs (audit-verify-worker.ts). It loads no Prisma client, so a thread starts in a
 * fraction of the time the web tier's modules would take.
 */

export type ScopeVerifyOptions = {
  keys: { record: Buffer; chain: Buffer } | null;
  publicKey: KeyObject | Buffer;
  graceMs?: number;
  now?: Date;
  /** Every chain: read by this many COPYs side by side in one snapshot (audit-chain-reader.ts), checked in this thread. */
  reads?: number;
};

export async function verifyScopeAt(connectionString: string, scope: ChainScope, checkpoints: StoredCheckpoint[], options: ScopeVerifyOptions): Promise<VerifyReport> {
  return unsafeReadAuditChainsAt(connectionString, scope, async ({ entries, unsealed, watermark }) =>
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
      only: scope.all ? undefined : "partition" in scope ? (realmId) => chainPartition(realmId, scope.partition) === scope.partition.index : [scope.realmId],
    }),
    { reads: options.reads },
  );
}
