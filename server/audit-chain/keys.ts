import * as cryptoModule from "node:crypto";
import { createHash, createHmac, createPrivateKey, createPublicKey, createSecretKey, hkdfSync, timingSafeEqual, type KeyObject } from "node:crypto";
import { finish32, midstate } from "./sha256-block";

/**
 * The audit trail's keys, all derived from one per-installation secret (REALMGATE_AUDIT_SECRET;
 * the launcher keeps it in <data dir>/secrets.json and gives it to the web process and the
 * worker only, never to agents, never to the database).
 *
 * Threat: someone with write access to the database (the owner role, a superuser, a stolen
 * backup restored with edits) rewriting history. The database never sees these keys, so:
 * - K_record (HMAC-SHA256) authenticates each record at write time: a row inserted or edited
 *   without it carries no valid MAC;
 * - K_chain (HMAC-SHA256) tags each chain digest: a chain recomputed without it fails its tags;
 * - the Ed25519 key signs checkpoints kept outside the database: a tail truncated or rewritten
 *   even with K_chain in hand disagrees with a signed head. Anyone with the public key can
 *   check digests and checkpoints without being able to forge either.
 */

export type AuditKeys = {
  /** HMAC key of each record's MAC. */
  record: Buffer;
  /** HMAC key of each chain digest's tag. */
  chain: Buffer;
  signing: KeyObject;
  publicKey: KeyObject;
  /** The public key's 32 raw bytes (what checkpoints and the operator page show, base64). */
  publicKeyRaw: Buffer;
};

export const AUDIT_SECRET_ENV = "REALMGATE_AUDIT_SECRET";

const SALT = Buffer.from("realmgate.audit.v1");
// RFC 8410: PrivateKeyInfo { version 0, AlgorithmIdentifier id-Ed25519, OCTET STRING { OCTET STRING seed } }.
const PKCS8_ED25519_PREFIX = Buffer.from("302e020100300506032b657004220420", "hex");
// SubjectPublicKeyInfo { AlgorithmIdentifier id-Ed25519, BIT STRING key }.
const SPKI_ED25519_PREFIX = Buffer.from("302a300506032b6570032100", "hex");

const derive = (secret: string, info: string) => Buffer.from(hkdfSync("sha256", Buffer.from(secret, "utf8"), SALT, Buffer.from(info), 32));

export function deriveAuditKeys(secret: string): AuditKeys {
  if (secret.length < 16) throw new Error(`${AUDIT_SECRET_ENV} is too short (at least 16 characters)`);
  const seed = derive(secret, "checkpoint-signing-ed25519");
  const signing = createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]), format: "der", type: "pkcs8" });
  const publicKey = createPublicKey(signing);
  const publicKeyRaw = publicKey.export({ format: "der", type: "spki" }).subarray(SPKI_ED25519_PREFIX.length);
  return { record: derive(secret, "record-mac"), chain: derive(secret, "chain-tag"), signing, publicKey, publicKeyRaw: Buffer.from(publicKeyRaw) };
}

/** A public key from its 32 raw bytes (base64), for verifying checkpoints offline. */
export function publicKeyFromRaw(raw: Buffer): KeyObject {
  if (raw.length !== 32) throw new Error("an Ed25519 public key is 32 bytes");
  return createPublicKey({ key: Buffer.concat([SPKI_ED25519_PREFIX, raw]), format: "der", type: "spki" });
}

let cached: { secret: string; keys: AuditKeys } | null = null;

/** The keys of this process, from REALMGATE_AUDIT_SECRET (derived once). Throws when it is unset: no audit record is written unauthenticated. */
export function auditKeys(): AuditKeys {
  const secret = process.env[AUDIT_SECRET_ENV];
  if (!secret) throw new Error(`${AUDIT_SECRET_ENV} is not set; start Realmgate with \`npm start\` (the launcher passes it to the web process and the worker)`);
  if (cached?.secret !== secret) cached = { secret, keys: deriveAuditKeys(secret) };
  return cached.keys;
}

/** Whether this process holds the audit secret (the verifier says so when it checks without it). */
export const hasAuditSecret = (): boolean => Boolean(process.env[AUDIT_SECRET_ENV]);

/**
 * HMAC-SHA256 (RFC 2104). The verifier makes two HMACs a record under the same two keys, and
 * createHmac's object per call costs more than the hashing; so where Node has the one-shot
 * crypto.hash (20.12+), each key's padded blocks are made once and an HMAC is two one-shot hashes
 * over a reused buffer. Older Node: createHmac with the key imported once.
 */
export function hmac(key: Buffer, message: string | Buffer): Buffer {
  let pads = keyPads.get(key);
  if (!pads) keyPads.set(key, (pads = padsOf(key)));
  if (!oneShotHash) return createHmac("sha256", pads.keyObject).update(message).digest();
  // Worst case 3 UTF-8 bytes a UTF-16 unit; the buffer is only used synchronously here.
  const size = 64 + (typeof message === "string" ? message.length * 3 : message.length);
  if (scratch.length < size) scratch = Buffer.allocUnsafe(Math.max(size, scratch.length * 2));
  pads.inner.copy(scratch, 0);
  const n = typeof message === "string" ? scratch.write(message, 64, "utf8") : message.copy(scratch, 64);
  // The outer hash is one block after the opad block: from its midstate, in JavaScript (sha256-block.ts).
  const out = Buffer.allocUnsafe(32);
  finish32(pads.outerMid, oneShotHash("sha256", scratch.subarray(0, 64 + n), "buffer"), out);
  return out;
}

/** HMAC-SHA256 of a 32-byte message (a chain digest's tag): two blocks from the key's midstates. */
export function hmac32(key: Buffer, message: Uint8Array): Buffer {
  if (message.byteLength !== 32) return hmac(key, Buffer.from(message.buffer, message.byteOffset, message.byteLength));
  let pads = keyPads.get(key);
  if (!pads) keyPads.set(key, (pads = padsOf(key)));
  const inner = Buffer.allocUnsafe(32);
  finish32(pads.innerMid, message, inner);
  finish32(pads.outerMid, inner, inner);
  return inner;
}

const tagScratch = new Uint8Array(32);

/**
 * Whether `mac` is HMAC-SHA256(key, message) for a 32-byte message (the verifier's tag check),
 * computed in a reused buffer and compared without an early exit: no allocation per record.
 */
export function hmac32Matches(key: Buffer, message: Uint8Array, mac: Uint8Array): boolean {
  if (message.byteLength !== 32) return mac.byteLength === 32 && timingSafeEqual(hmac32(key, message), mac);
  let pads = keyPads.get(key);
  if (!pads) keyPads.set(key, (pads = padsOf(key)));
  finish32(pads.innerMid, message, tagScratch);
  finish32(pads.outerMid, tagScratch, tagScratch);
  if (mac.byteLength !== 32) return false;
  let diff = 0;
  for (let i = 0; i < 32; i++) diff |= tagScratch[i]! ^ mac[i]!;
  return diff === 0;
}

type OneShotHash = (algorithm: string, data: Uint8Array, outputEncoding: "buffer") => Buffer;
/** crypto.hash (Node 20.12+; not in @types/node 20), or undefined. */
export const oneShotHash: OneShotHash | undefined = (cryptoModule as unknown as { hash?: OneShotHash }).hash;

type Pads = { keyObject: KeyObject; inner: Buffer; innerMid: Int32Array; outerMid: Int32Array };
const keyPads = new WeakMap<Buffer, Pads>();
let scratch = Buffer.allocUnsafe(4096);

function padsOf(key: Buffer): Pads {
  const block = Buffer.alloc(64);
  (key.length > 64 ? createHash("sha256").update(key).digest() : key).copy(block);
  const inner = Buffer.alloc(64);
  const outer = Buffer.alloc(64);
  for (let i = 0; i < 64; i++) {
    inner[i] = block[i]! ^ 0x36;
    outer[i] = block[i]! ^ 0x5c;
  }
  return { keyObject: createSecretKey(key), inner, innerMid: midstate(inner), outerMid: midstate(outer) };
}
