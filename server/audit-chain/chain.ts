import { createHash, timingSafeEqual } from "node:crypto";
import { canonicalRecord, chainEntryHeader, type AuditRecordContent } from "./canonical";
import { hmac, hmac32, hmac32Matches, oneShotHash } from "./keys";

/**
 * The chain: per realm (and one for the platform, realm null), seq 1, 2, 3… with no gaps;
 * digest_n = SHA-256(digest_{n-1} ‖ canonical entry n) (digest_0 = 32 zero bytes), and
 * tag_n = HMAC-SHA256(K_chain, digest_n).
 */

export const GENESIS_DIGEST = Buffer.alloc(32);

export const recordMac = (recordKey: Buffer, record: AuditRecordContent | string): Buffer =>
  hmac(recordKey, typeof record === "string" ? record : canonicalRecord(record));

let scratch = Buffer.allocUnsafe(4096);

export function chainDigest(previous: Uint8Array, entry: { realmId: string | null; seq: bigint; eventId: bigint; record: string; mac: Uint8Array | null }): Buffer {
  // The bytes of canonicalChainEntry(entry) after the previous digest: one one-shot hash over a
  // reused buffer where Node has it (the verifier's hot path), else a hash object in three parts.
  const header = chainEntryHeader(entry);
  if (!oneShotHash) return createHash("sha256").update(previous).update(header).update(entry.record).digest();
  const size = previous.byteLength + (header.length + entry.record.length) * 3;
  if (scratch.length < size) scratch = Buffer.allocUnsafe(Math.max(size, scratch.length * 2));
  scratch.set(previous, 0);
  let n = previous.byteLength;
  n += scratch.write(header, n, "utf8");
  n += scratch.write(entry.record, n, "utf8");
  return oneShotHash("sha256", scratch.subarray(0, n), "buffer");
}

export const chainTag = (chainKey: Buffer, digest: Uint8Array): Buffer => hmac32(chainKey, digest);

/** Whether `tag` is the chain tag of `digest` (the verifier's check: no allocation). */
export const chainTagMatches = (chainKey: Buffer, digest: Uint8Array, tag: Uint8Array): boolean => hmac32Matches(chainKey, digest, tag);

/** Constant-time equality of two byte strings (false when the lengths differ). */
export function sameBytes(a: Uint8Array | null, b: Uint8Array | null): boolean {
  if (a === null || b === null) return a === b;
  if (a.byteLength !== b.byteLength) return false;
  // Digests and tags (32 bytes, once or twice a record): a loop without an early exit costs less
  // than timingSafeEqual's call into C++.
  if (a.byteLength === 32) {
    let diff = 0;
    for (let i = 0; i < 32; i++) diff |= a[i]! ^ b[i]!;
    return diff === 0;
  }
  return timingSafeEqual(a, b);
}
