import { createHash, timingSafeEqual } from "node:crypto";
import { canonicalRecord, chainEntryHeader, type AuditRecordContent } from "./canonical";
import { hmac } from "./keys";

/**
 * The chain: per realm (and one for the platform, realm null), seq 1, 2, 3… with no gaps;
 * digest_n = SHA-256(digest_{n-1} ‖ canonical entry n) (digest_0 = 32 zero bytes), and
 * tag_n = HMAC-SHA256(K_chain, digest_n).
 */

export const GENESIS_DIGEST = Buffer.alloc(32);

export const recordMac = (recordKey: Buffer, record: AuditRecordContent | string): Buffer =>
  hmac(recordKey, typeof record === "string" ? record : canonicalRecord(record));

export function chainDigest(previous: Uint8Array, entry: { realmId: string | null; seq: bigint; eventId: bigint; record: string; mac: Uint8Array | null }): Buffer {
  // The bytes of canonicalChainEntry(entry), hashed in two parts.
  return createHash("sha256").update(previous).update(chainEntryHeader(entry)).update(entry.record).digest();
}

export const chainTag = (chainKey: Buffer, digest: Uint8Array): Buffer => hmac(chainKey, Buffer.from(digest.buffer, digest.byteOffset, digest.byteLength));

/** Constant-time equality of two byte strings (false when the lengths differ). */
export function sameBytes(a: Uint8Array | null, b: Uint8Array | null): boolean {
  if (a === null || b === null) return a === b;
  return a.byteLength === b.byteLength && timingSafeEqual(a, b);
}
