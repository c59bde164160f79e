import { canonicalRecord } from "../audit-chain/canonical";
import { chainTag, GENESIS_DIGEST, recordMac, sameBytes } from "../audit-chain/chain";
import { chainDigestV2, encodeContent, recordOfContent } from "../audit-chain/content";
import type { CheckpointChain, CheckpointStore } from "../audit-chain/checkpoint";
import type { AuditKeys } from "../audit-chain/keys";
import { transaction, type Db } from "../db/client";
import { recordDecision } from "../repositories/audit";
import { PLATFORM_CHAIN_KEY, unsafeAppendChain, type ChainHead, unsafeLegacyWatermark, unsafeLockHeads, type NewChainEntry } from "../repositories/audit-chain";
import { unsafeClaimUnsealedContents } from "../repositories/audit-chain-reader";
import { writeAuditCheckpoint } from "../services/audit-integrity";

/**
 * The sealer: appends every new audit event to its chain (its realm's, or the platform's) with
 * seq, digest and tag (chain format v2, audit-chain/content.ts), a batch per transaction. Events come from the
 * queue the database fills as they are inserted (migration audit_chain), so an event whose
 * transaction commits late is sealed when it appears. The chain heads are locked FOR UPDATE:
 * two workers seal side by side without forking a chain.
 *
 * Threat: a row inserted behind the application's back (no valid MAC). The sealer refuses to
 * seal it and records an alarm (alarm.audit_integrity, on the platform's chain; one per batch)
 * naming it; the verifier reports it as inserted.
 */

export type SealResult = { sealed: number; refused: { eventId: bigint; why: string }[] };

let watermarkCache: { db: Db; watermark: bigint } | null = null;

async function legacyWatermark(db: Db): Promise<bigint> {
  if (watermarkCache?.db !== db) watermarkCache = { db, watermark: await unsafeLegacyWatermark(db) };
  return watermarkCache.watermark;
}

/** Seals up to `limit` queued events in one transaction. */
export async function sealAuditBatch(db: Db, keys: AuditKeys, options: { limit?: number } = {}): Promise<SealResult> {
  const watermark = await legacyWatermark(db);
  return transaction(db, async (tx) => {
    // Each record's content is read with its claim, by the verifier's own expressions, and the
    // MAC is checked on that same read: what is checked is what is hashed.
    const queued = await unsafeClaimUnsealedContents(tx, options.limit ?? 500);
    if (queued.length === 0) return { sealed: 0, refused: [] };
    const refused: SealResult["refused"] = [];
    const sealable: { id: bigint; realmId: string | null; content: Buffer }[] = [];
    for (const { eventId: id, content: values } of queued) {
      if (values === null) {
        refused.push({ eventId: id, why: "its row was deleted before it was sealed" });
        continue;
      }
      const record = recordOfContent(values);
      const isLegacy = record.mac === null && id <= watermark;
      if (!isLegacy) {
        if (record.mac === null) {
          refused.push({ eventId: id, why: "it has no MAC (written without the audit key)" });
          continue;
        }
        if (!sameBytes(record.mac, recordMac(keys.record, canonicalRecord(record)))) {
          refused.push({ eventId: id, why: "its MAC is not valid (written or edited without the audit key)" });
          continue;
        }
      }
      sealable.push({ id, realmId: record.realmId, content: encodeContent(values) });
    }
    const chainKeys = new Set(sealable.map((s) => s.realmId ?? PLATFORM_CHAIN_KEY));
    const heads = chainKeys.size ? await unsafeLockHeads(tx, [...chainKeys], GENESIS_DIGEST) : new Map<string, ChainHead>();
    const entries: NewChainEntry[] = [];
    for (const s of sealable) {
      const head = heads.get(s.realmId ?? PLATFORM_CHAIN_KEY)!;
      const seq = head.seq + 1n;
      // Chain format v2 (audit-chain/content.ts): the digest covers the content as stored.
      const digest = chainDigestV2(head.digest, { realmId: s.realmId, seq, eventId: s.id, content: s.content });
      entries.push({ eventId: s.id, realmId: s.realmId, seq, digest, tag: chainTag(keys.chain, digest) });
      Object.assign(head, { seq, eventId: s.id, digest });
    }
    await unsafeAppendChain(tx, entries, [...heads.values()], queued.map((q) => q.eventId));
    if (refused.length > 0) {
      // One alarm per batch, naming each refused event (the first 100): rows forged in bulk
      // must not turn into as many alarm rows.
      const first = refused[0]!;
      await recordDecision(tx, {
        realmId: null,
        actorId: null,
        action: "alarm.audit_integrity",
        targetType: "audit_event",
        targetId: first.eventId.toString(),
        decision: "deny",
        layer: "audit",
        reason:
          refused.length === 1
            ? `audit event ${first.eventId} was not sealed: ${first.why}`
            : `${refused.length} audit events were not sealed, ${first.eventId} first: ${first.why}`,
        requestId: `audit-sealer-${first.eventId}`,
        details: { refused: refused.length, events: refused.slice(0, 100).map((r) => ({ eventId: r.eventId.toString(), why: r.why })) },
      });
    }
    return { sealed: entries.length, refused };
  });
}

export type SealerOptions = {
  db: Db;
  keys: AuditKeys;
  store: CheckpointStore;
  /** How often the queue is looked at when idle (REALMGATE_AUDIT_SEAL_MS, default 1 s). */
  intervalMs: number;
  /** How often a checkpoint is written when some head moved (REALMGATE_AUDIT_CHECKPOINT_SECONDS, default 60). */
  checkpointMs: number;
  batchSize?: number;
  /**
   * The least time between two passes, however often it is woken (default 250 ms): under load a
   * NOTIFY arrives with every operation, and a pass per NOTIFY sealed a few events each, at the
   * cost of a queue scan and six statements per pass (issue 12's statement profile).
   */
  minGapMs?: number;
  isStopping: () => boolean;
  log: (line: string) => void;
};

/** Seals until stopped; returns a wake function (a NOTIFY) and the loop's promise. */
export function runAuditSealer(options: SealerOptions): { wake: () => void; done: Promise<void> } {
  let wakeUp: (() => void) | null = null;
  // A wake-up that arrives while the loop is sealing or keeping its minimum gap is kept.
  let woken = false;
  const wake = () => {
    woken = true;
    wakeUp?.();
  };
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        wakeUp = null;
        resolve();
      }, ms);
      wakeUp = () => {
        clearTimeout(timer);
        wakeUp = null;
        resolve();
      };
    });
  let lastHeads: CheckpointChain[] | null = null;
  let nextCheckpointAt = Date.now() + options.checkpointMs;
  const done = (async () => {
    // A restart writes one checkpoint at the first period (the store is not read back: it only grows).
    while (!options.isStopping()) {
      let sealed = 0;
      woken = false;
      try {
        const result = await sealAuditBatch(options.db, options.keys, { limit: options.batchSize });
        sealed = result.sealed + result.refused.length;
        for (const r of result.refused) options.log(`audit event ${r.eventId} refused: ${r.why}`);
      } catch (error) {
        options.log(`audit sealer error: ${(error as Error).message}`);
      }
      if (Date.now() >= nextCheckpointAt) {
        nextCheckpointAt = Date.now() + options.checkpointMs;
        try {
          const written = await writeAuditCheckpoint(options.db, options.keys, options.store, { unlessSameAs: lastHeads ?? [] });
          if (written) {
            lastHeads = written.checkpoint.chains;
            options.log(`audit checkpoint ${written.name} (${written.checkpoint.chains.length} chains)`);
          }
        } catch (error) {
          options.log(`audit checkpoint error: ${(error as Error).message}`);
        }
      }
      // A full batch may have left more: go again at once.
      if (sealed > 0 && sealed >= (options.batchSize ?? 500)) continue;
      const rest = Math.min(options.intervalMs, Math.max(0, nextCheckpointAt - Date.now()));
      const gap = Math.min(rest, options.minGapMs ?? 250);
      if (gap > 0) await new Promise((resolve) => setTimeout(resolve, gap));
      if (!woken && !options.isStopping()) await pause(rest - gap);
    }
  })();
  return { wake, done };
}
