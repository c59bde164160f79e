import type { KeyObject } from "node:crypto";
import { canonicalRecord, type AuditRecordContent } from "./canonical";
import { chainDigest, chainTagMatches, GENESIS_DIGEST, recordMac, sameBytes } from "./chain";
import { chainDigestV2 } from "./content";
import { checkCheckpoint, checkCheckpointExcerpt, type CheckpointChain, type StoredCheckpoint } from "./checkpoint";

/**
 * The verifier: a pure function of the chain rows (with their records), the events no chain row
 * seals, and the checkpoints. The same code checks the database (services/audit-integrity.ts)
 * and an export file. Per chain, in seq order: seq contiguity, the sealed event exists, the
 * record MAC, the digest, the tag, and every signed checkpoint of that chain (reached, equal);
 * then events left out of the chain. It names the first bad record of each chain and stops
 * there: what follows a break cannot be trusted to be in place.
 *
 * Without the keys (offline, public key only) it checks digests, contiguity and checkpoints and
 * says that MACs and tags were not checked.
 *
 * An export (verify-export.ts) gives each entry its previous digest, so each digest is
 * recomputed from the entry alone and consecutive entries are checked for linkage; a filtered
 * export (`subset`) may skip seqs, and what it cannot prove (the gaps, a checkpoint it does not
 * reach) is counted, not reported as tampering.
 */

export type StoredRecord = AuditRecordContent & { mac: Uint8Array | null };

/** One chain row with the record it seals (null: no event row with that id). */
export type SealedEntry = {
  realmId: string | null;
  seq: bigint;
  eventId: bigint;
  digest: Uint8Array;
  tag: Uint8Array;
  record: StoredRecord | null;
  /** The previous entry's digest, as an export states it (undefined: the database's reader, which has the previous entry). null: missing. */
  prevDigest?: Uint8Array | null;
  /**
   * The record's content encoding as read (content.ts), when the reader has it: a v2 digest is
   * checked over these bytes, and `record` is decoded only for a v1 entry or a report.
   */
  content?: Uint8Array;
  /** With `content`: whether the record carries a MAC (a legacy record does not). */
  hasMac?: boolean;
};

/** An event no chain row seals. */
export type UnsealedEvent = StoredRecord & { eventId: bigint };

export type BadKind = "edited" | "deleted" | "inserted" | "swapped" | "truncated" | "rewritten" | "unsealed" | "malformed";

export type FirstBad = { seq: string | null; eventId: string | null; kind: BadKind; detail: string };

export type ChainResult = {
  /** null: the platform's own chain. */
  realmId: string | null;
  ok: boolean;
  recordsVerified: number;
  /** Records written before record MACs existed (sealed as they were; their MAC is absent). */
  legacyRecords: number;
  /** The last seq read. */
  headSeq: string;
  /** The highest seq a valid checkpoint signed for this chain, if any. */
  checkpointSeq: string | null;
  /** The highest signed seq whose record was read and matched (a filtered export may not reach the signed one). */
  checkpointMatchedSeq: string | null;
  /** Places where seqs were skipped: expected in a filtered export (subset), never otherwise. */
  gaps: number;
  firstBad: FirstBad | null;
};

export type VerifyReport = {
  ok: boolean;
  checkedMacs: boolean;
  checkedTags: boolean;
  /** What was and was not checked, in words. */
  note: string;
  checkpoints: { valid: number; invalid: { name: string; reason: string }[] };
  chains: ChainResult[];
  /**
   * The operators-only target realms of foreign-id denials, each checked against the seal in its
   * event (audit-chain/target-realm.ts); only with the keys, and only by the database's verifier.
   */
  targetRealms?: { checked: number; legacy: number; problems: { eventId: string; kind: "deleted" | "edited" | "inserted"; detail: string }[] };
};

export type VerifyInput = {
  /** Chain rows, in seq order within each chain (chains one after the other), one at a time or a page (array) at a time. */
  entries: AsyncIterable<SealedEntry | SealedEntry[]> | Iterable<SealedEntry | SealedEntry[]>;
  /** Events without a chain row (the sealer's backlog, or rows inserted behind its back). */
  unsealed: AsyncIterable<UnsealedEvent> | Iterable<UnsealedEvent>;
  checkpoints: StoredCheckpoint[];
  /** Single chains' parts of checkpoints (an export's), each with its own signature. */
  excerpts?: { name: string; excerpt: unknown }[];
  /** A filtered export: seqs may be skipped (gaps counted, each entry still checked on its own) and signed heads past the end are not required. */
  subset?: boolean;
  /** The installation's Ed25519 public key (KeyObject or 32 raw bytes). */
  publicKey: KeyObject | Buffer;
  /** K_record and K_chain; absent offline. */
  keys?: { record: Buffer; chain: Buffer } | null;
  /** Events with an id up to this one were written before record MACs (legacy). */
  legacyWatermark: bigint;
  now: Date;
  /** An unsealed event is reported only once older than this and older than its chain's head (default 5 min). */
  graceMs?: number;
  /** Verify only these chains (undefined: all); a realm id or null for the platform's chain; or a predicate (a part of a partition). */
  only?: (string | null)[] | ((realmId: string | null) => boolean);
};

export const DEFAULT_GRACE_MS = 5 * 60_000;

const chainKey = (realmId: string | null) => realmId?.toLowerCase() ?? "platform";
const hex = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString("hex");

type Signed = CheckpointChain & { name: string };

class ChainCheck {
  expectedSeq = 1n;
  previous: Uint8Array = GENESIS_DIGEST;
  verified = 0;
  legacy = 0;
  lastCreatedAt: Date | null = null;
  /** The last entry accepted by its v2 digest: its time is decoded only if an unsealed event needs it. */
  lastEntry: SealedEntry | null = null;
  firstBad: FirstBad | null = null;
  /** Checkpointed heads by seq (several checkpoints may sign the same seq). */
  readonly signedBySeq = new Map<bigint, Signed[]>();
  maxSigned: Signed | null = null;
  lastMatched: bigint | null = null;
  gaps = 0;

  constructor(readonly realmId: string | null) {}

  sign(entry: Signed): void {
    const seq = BigInt(entry.seq);
    const list = this.signedBySeq.get(seq) ?? [];
    list.push(entry);
    this.signedBySeq.set(seq, list);
    if (!this.maxSigned || seq > BigInt(this.maxSigned.seq)) this.maxSigned = entry;
  }

  bad(seq: bigint | null, eventId: bigint | string | null, kind: BadKind, detail: string): void {
    this.firstBad = { seq: seq === null ? null : seq.toString(), eventId: eventId === null ? null : eventId.toString(), kind, detail };
  }

  result(): ChainResult {
    return {
      realmId: this.realmId,
      ok: this.firstBad === null,
      recordsVerified: this.verified,
      legacyRecords: this.legacy,
      headSeq: (this.expectedSeq - 1n).toString(),
      checkpointSeq: this.maxSigned?.seq ?? null,
      checkpointMatchedSeq: this.lastMatched === null ? null : this.lastMatched.toString(),
      gaps: this.gaps,
      firstBad: this.firstBad,
    };
  }
}

export async function verifyAuditChains(input: VerifyInput): Promise<VerifyReport> {
  const keys = input.keys ?? null;
  const graceMs = input.graceMs ?? DEFAULT_GRACE_MS;
  const subset = input.subset ?? false;
  const only = Array.isArray(input.only) ? new Set(input.only.map(chainKey)) : null;
  const predicate = typeof input.only === "function" ? input.only : null;
  const wanted = (realmId: string | null) => (predicate ? predicate(realmId) : only === null || only.has(chainKey(realmId)));
  const chains = new Map<string, ChainCheck>();
  const chainOf = (realmId: string | null) => {
    const key = chainKey(realmId);
    let check = chains.get(key);
    if (!check) chains.set(key, (check = new ChainCheck(realmId === null ? null : realmId.toLowerCase())));
    return check;
  };

  // Checkpoints first: a chain they name must reach and match each signed head.
  const invalid: { name: string; reason: string }[] = [];
  let valid = 0;
  for (const stored of input.checkpoints) {
    const check = checkCheckpoint(stored.checkpoint, input.publicKey);
    if (!check.ok) {
      invalid.push({ name: stored.name, reason: check.reason });
      continue;
    }
    valid++;
    for (const signed of check.checkpoint.chains) if (wanted(signed.realmId)) chainOf(signed.realmId).sign({ ...signed, name: stored.name });
  }
  for (const { name, excerpt } of input.excerpts ?? []) {
    const check = checkCheckpointExcerpt(excerpt, input.publicKey);
    if (!check.ok) {
      invalid.push({ name, reason: check.reason });
      continue;
    }
    valid++;
    if (wanted(check.chain.realmId)) chainOf(check.chain.realmId).sign({ ...check.chain, name });
  }

  const check = (entry: SealedEntry) => {
    if (!wanted(entry.realmId)) return;
    const chain = chainOf(entry.realmId);
    if (!chain.firstBad) checkEntry(chain, entry, keys, input.legacyWatermark, subset);
  };
  // Pages are checked in a plain loop: an await per record would cost more than its hashes.
  for await (const item of input.entries) {
    if (Array.isArray(item)) for (const entry of item) check(entry);
    else check(item);
  }

  // The tail: every signed head must have been reached.
  for (const chain of chains.values()) {
    // A filtered export need not reach a signed head (it says so: checkpointMatchedSeq).
    if (chain.firstBad || !chain.maxSigned || subset) continue;
    const signedSeq = BigInt(chain.maxSigned.seq);
    if (signedSeq >= chain.expectedSeq) {
      const first = chain.expectedSeq;
      const atFirst = chain.signedBySeq.get(first)?.[0];
      chain.bad(
        first,
        atFirst?.eventId ?? null,
        "truncated",
        `the chain ends at seq ${first - 1n} but checkpoint ${chain.maxSigned.name} signed seq ${signedSeq} (event ${chain.maxSigned.eventId}): records ${first}…${signedSeq} were deleted from the end`,
      );
    }
  }

  // Events no chain row seals.
  for await (const event of input.unsealed) {
    if (!wanted(event.realmId)) continue;
    const chain = chainOf(event.realmId);
    if (chain.firstBad) continue;
    const isLegacy = event.mac === null && event.eventId <= input.legacyWatermark;
    if (keys && !isLegacy) {
      const why = event.mac === null ? "it has no MAC" : !sameBytes(event.mac, recordMac(keys.record, event)) ? "its MAC is not valid" : null;
      if (why) {
        chain.bad(null, event.eventId, "inserted", `event ${event.eventId} (${event.action}, ${event.createdAt.toISOString()}) is not in the chain and ${why}: it was written without the audit key`);
        continue;
      }
    }
    const isOld = input.now.getTime() - event.createdAt.getTime() > graceMs && lastCreatedAtOf(chain) !== null && event.createdAt < lastCreatedAtOf(chain)!;
    if (!isOld) continue; // the sealer's normal backlog
    if (keys) {
      chain.bad(null, event.eventId, "unsealed", `event ${event.eventId} (${event.action}, ${event.createdAt.toISOString()}) carries a valid MAC but was never sealed, though later records were: is the worker's sealer running?`);
    } else {
      chain.bad(null, event.eventId, "inserted", `event ${event.eventId} (${event.action}, ${event.createdAt.toISOString()}) is older than records already sealed but is not in the chain: inserted afterwards, or never sealed (its MAC was not checked)`);
    }
  }

  const results = [...chains.values()].map((c) => c.result()).sort((a, b) => (a.realmId ?? "").localeCompare(b.realmId ?? ""));
  const checkedMacs = keys !== null;
  return {
    ok: invalid.length === 0 && results.every((r) => r.ok),
    checkedMacs,
    checkedTags: checkedMacs,
    note: checkedMacs
      ? "Checked record MACs, chain digests, tags, seq continuity and signed checkpoints (a v2 entry's MAC through its tag: the sealer checked the MAC before sealing, and the digest binds the record and its MAC)."
      : "Checked chain digests, seq continuity and signed checkpoints with the public key only; record MACs and chain tags were NOT checked (they need the audit secret).",
    checkpoints: { valid, invalid },
    chains: results,
  };
}

const lastCreatedAtOf = (chain: ChainCheck): Date | null => chain.lastCreatedAt ?? chain.lastEntry?.record?.createdAt ?? null;

function checkEntry(chain: ChainCheck, entry: SealedEntry, keys: { record: Buffer; chain: Buffer } | null, legacyWatermark: bigint, subset: boolean): void {
  const { seq, eventId } = entry;
  if (seq < chain.expectedSeq) {
    chain.bad(seq, eventId, "inserted", `seq ${seq} appears again (event ${eventId}): a record was inserted into the chain`);
    return;
  }
  // An export's entry names its previous digest: its own digest is recomputed from that, and
  // when the previous entry was read too, the two must link.
  const stated = entry.prevDigest;
  if (seq > chain.expectedSeq && subset && stated) {
    chain.gaps++;
    chain.previous = stated;
    chain.expectedSeq = seq;
  } else if (seq > chain.expectedSeq) {
    const missing = seq - 1n === chain.expectedSeq ? `seq ${chain.expectedSeq} is` : `seqs ${chain.expectedSeq}…${seq - 1n} are`;
    chain.bad(chain.expectedSeq, chain.signedBySeq.get(chain.expectedSeq)?.[0]?.eventId ?? null, "deleted", `${missing} missing before seq ${seq} (event ${eventId}): deleted`);
    return;
  }
  if (stated === null) {
    chain.bad(seq, eventId, "deleted", `the chain entry before seq ${seq} (event ${eventId}) is missing: deleted`);
    return;
  }
  const content = entry.content;
  if (content !== undefined) {
    const isLegacy = !entry.hasMac && eventId <= legacyWatermark;
    if (keys && !isLegacy && !entry.hasMac) {
      chain.bad(seq, eventId, "edited", `event ${eventId} at seq ${seq} has lost its MAC: edited`);
      return;
    }
    // A v2 entry: the digest over the content bytes as read. When it holds, the record MAC is
    // not recomputed here, and that is sound: with the keys, the tag is checked below, and a tag
    // over this digest can only come from a holder of K_chain, i.e. the sealer, which seals a
    // record only after checking its MAC (or as legacy: no MAC, id at or below the watermark,
    // judged above); the digest binds every content column and the MAC itself, so the record
    // now is the record whose MAC was checked (SHA-256 collision resistance). Without the keys
    // neither MACs nor tags are checked at all. A digest that does not hold falls through to
    // the v1 path below, which checks the MAC first and so tells an edit from a swap.
    if (sameBytes(chainDigestV2(stated ?? chain.previous, { realmId: entry.realmId, seq, eventId, content }), entry.digest)) {
      if (!accept(chain, entry, keys, stated)) return;
      if (isLegacy) chain.legacy++;
      chain.lastCreatedAt = null; // decoded from the record only when needed (lastCreatedAtOf)
      chain.lastEntry = entry;
      return;
    }
  }
  const record = entry.record;
  if (record === null) {
    chain.bad(seq, eventId, "deleted", `seq ${seq} seals event ${eventId}, which is no longer in the audit trail: deleted`);
    return;
  }
  const canonical = canonicalRecord(record);
  const isLegacy = record.mac === null && eventId <= legacyWatermark;
  if (keys && !isLegacy) {
    if (record.mac === null) {
      chain.bad(seq, eventId, "edited", `event ${eventId} at seq ${seq} has lost its MAC: edited`);
      return;
    }
    if (!sameBytes(record.mac, recordMac(keys.record, canonical))) {
      chain.bad(seq, eventId, "edited", `event ${eventId} at seq ${seq} (${record.action}) does not match its MAC: its content was edited`);
      return;
    }
  }
  const digest = chainDigest(stated ?? chain.previous, { realmId: entry.realmId, seq, eventId, record: canonical, mac: record.mac });
  if (!sameBytes(digest, entry.digest)) {
    if (keys && !isLegacy) {
      // A genuine record (its MAC holds) that is not the one sealed here: moved from elsewhere.
      chain.bad(seq, eventId, "swapped", `event ${eventId} at seq ${seq} holds a genuine record (${record.action}, ${record.createdAt.toISOString()}) that is not the one sealed here: records were swapped or moved`);
    } else {
      chain.bad(seq, eventId, "edited", `event ${eventId} at seq ${seq} (${record.action}) does not match the chain digest: edited or moved${keys ? "" : " (MACs not checked)"}`);
    }
    return;
  }
  if (!accept(chain, entry, keys, stated)) return;
  if (isLegacy) chain.legacy++;
  chain.lastCreatedAt = record.createdAt;
  chain.lastEntry = null;
}

/** After the digest held: linkage to the previous entry, the tag, the signed heads; then the entry becomes the chain's head. */
function accept(chain: ChainCheck, entry: SealedEntry, keys: { record: Buffer; chain: Buffer } | null, stated: Uint8Array | undefined): boolean {
  const { seq, eventId } = entry;
  if (stated !== undefined && !sameBytes(stated, chain.previous)) {
    chain.bad(seq, eventId, "rewritten", `the entry at seq ${seq} (event ${eventId}) links to a previous digest that is not the digest of seq ${seq - 1n}: the chain was rewritten or records were renumbered`);
    return false;
  }
  if (keys && !chainTagMatches(keys.chain, entry.digest, entry.tag)) {
    // A v2 entry's MAC was not checked on the way here: a record edited and its chain recomputed
    // is named as the edit it began with.
    const record = entry.content !== undefined ? entry.record : null;
    if (record && record.mac !== null && !sameBytes(record.mac, recordMac(keys.record, canonicalRecord(record)))) {
      chain.bad(seq, eventId, "edited", `event ${eventId} at seq ${seq} (${record.action}) does not match its MAC: its content was edited, and the chain recomputed without the chain key`);
      return false;
    }
    chain.bad(seq, eventId, "rewritten", `the chain from seq ${seq} (event ${eventId}) was recomputed without the chain key: its tag does not match`);
    return false;
  }
  const signedHere = chain.signedBySeq.size === 0 ? undefined : chain.signedBySeq.get(seq);
  for (const signed of signedHere ?? []) {
    if (signed.digest !== hex(entry.digest)) {
      const after = chain.lastMatched === null ? "since the chain began" : `after seq ${chain.lastMatched}, the last checkpointed head that still matches`;
      chain.bad(seq, eventId, "rewritten", `checkpoint ${signed.name} signed seq ${seq} as event ${signed.eventId} with another digest: the chain was rewritten ${after}, up to seq ${seq}`);
      return false;
    }
    chain.lastMatched = seq;
  }
  chain.previous = entry.digest;
  chain.expectedSeq = seq + 1n;
  chain.verified++;
  return true;
}
