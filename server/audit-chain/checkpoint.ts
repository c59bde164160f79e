import { randomBytes, sign, verify, type KeyObject } from "node:crypto";
import { closeSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, writeSync } from "node:fs";
import path from "node:path";
import { canonicalJson } from "./canonical";
import { publicKeyFromRaw, type AuditKeys } from "./keys";

/**
 * Signed checkpoints: each chain's head (seq, event, digest) at a moment, signed with the
 * installation's Ed25519 key and kept outside the database. Threat: a database writer who
 * truncates a chain's tail, or rewrites it and recomputes the digests (even the tags, with a
 * leaked K_chain): the chain no longer reaches, or no longer matches, a signed head.
 *
 * The store is append-only by construction: a checkpoint is a new file created with "wx"
 * (never overwriting), fsync'd with its directory before it counts as written. Another backend
 * (object storage with retention, a transparency log) implements CheckpointStore.
 */

export type CheckpointChain = { realmId: string | null; seq: string; eventId: string; digest: string };

/** A chain's head as a version 2 checkpoint lists it: with a signature of its own (see chainSignedPart). */
export type SignedCheckpointChain = CheckpointChain & { signature: string };

export type Checkpoint = {
  /** 1: one signature over the whole file; 2: also one signature per chain (an export carries its chains' alone). */
  version: 1 | 2;
  createdAt: string;
  /** The signer's Ed25519 public key, 32 raw bytes, base64. */
  publicKey: string;
  chains: CheckpointChain[] | SignedCheckpointChain[];
  /** Ed25519 over canonicalJson of every other field, base64. */
  signature: string;
};

/**
 * One chain's part of a version 2 checkpoint, on its own: what an export carries. A realm's
 * export must not show other realms' chains (their ids, their activity), so each chain's head is
 * signed on its own as well as the whole checkpoint.
 */
export type CheckpointExcerpt = { version: 2; name: string; createdAt: string; publicKey: string; chain: SignedCheckpointChain };

export type StoredCheckpoint = { name: string; checkpoint: unknown };

export interface CheckpointStore {
  /** Appends a checkpoint; never replaces one. Returns its name in the store. */
  append(checkpoint: Checkpoint): Promise<string>;
  /** Every checkpoint in the store, oldest first (unparsed: the verifier judges each). */
  list(): Promise<StoredCheckpoint[]>;
  /** The newest `count` checkpoints, oldest first (an export needs the newest, not years of them). */
  newest?(count: number): Promise<StoredCheckpoint[]>;
}

const signedPart = (c: Omit<Checkpoint, "signature">) => Buffer.from(canonicalJson({ version: c.version, createdAt: c.createdAt, publicKey: c.publicKey, chains: c.chains }));

const CHAIN_SIGNATURE_FORMAT = "realmgate.audit.checkpoint.chain.v1";
/** The bytes a chain's own signature covers: the checkpoint's time and key, and the chain's head. */
const chainSignedPart = (createdAt: string, publicKey: string, c: CheckpointChain) =>
  Buffer.from(canonicalJson({ format: CHAIN_SIGNATURE_FORMAT, createdAt, publicKey, chain: { realmId: c.realmId, seq: c.seq, eventId: c.eventId, digest: c.digest } }));

const chainOrder = (a: CheckpointChain, b: CheckpointChain) => (a.realmId ?? "").localeCompare(b.realmId ?? "");

export function signCheckpoint(keys: AuditKeys, chains: CheckpointChain[], createdAt = new Date()): Checkpoint {
  const at = createdAt.toISOString();
  const publicKey = keys.publicKeyRaw.toString("base64");
  const signed = [...chains].sort(chainOrder).map((c) => ({
    realmId: c.realmId,
    seq: c.seq,
    eventId: c.eventId,
    digest: c.digest,
    signature: sign(null, chainSignedPart(at, publicKey, c), keys.signing).toString("base64"),
  }));
  const body = { version: 2 as const, createdAt: at, publicKey, chains: signed };
  return { ...body, signature: sign(null, signedPart(body), keys.signing).toString("base64") };
}

/** The excerpts of a checkpoint for some chains (a version 1 checkpoint has none: it cannot be cut). */
export function checkpointExcerpts(name: string, checkpoint: Checkpoint, wanted: (realmId: string | null) => boolean): CheckpointExcerpt[] {
  if (checkpoint.version !== 2) return [];
  return (checkpoint.chains as SignedCheckpointChain[])
    .filter((c) => wanted(c.realmId))
    .map((chain) => ({ version: 2 as const, name, createdAt: checkpoint.createdAt, publicKey: checkpoint.publicKey, chain }));
}

export type CheckpointCheck = { ok: true; checkpoint: Checkpoint } | { ok: false; reason: string };

const isChain = (c: unknown): c is CheckpointChain => {
  const x = c as CheckpointChain;
  return typeof x === "object" && x !== null && (x.realmId === null || typeof x.realmId === "string") && /^\d+$/.test(String(x.seq)) && /^\d+$/.test(String(x.eventId)) && /^[0-9a-f]{64}$/.test(String(x.digest));
};
const isSignedChain = (c: unknown): c is SignedCheckpointChain => isChain(c) && typeof (c as SignedCheckpointChain).signature === "string";

/** The key to check with, and its 32 raw bytes (what a checkpoint names as its signer). */
function verifierKey(publicKey: KeyObject | Buffer): { key: KeyObject; raw: Buffer } {
  if (Buffer.isBuffer(publicKey)) return { key: publicKeyFromRaw(publicKey), raw: publicKey };
  return { key: publicKey, raw: publicKey.export({ format: "der", type: "spki" }).subarray(12) as Buffer };
}

/** Whether a stored checkpoint is well formed and signed by the expected key (a version 2 one: each chain's signature too). */
export function checkCheckpoint(value: unknown, publicKey: KeyObject | Buffer): CheckpointCheck {
  const c = value as Checkpoint;
  if (typeof c !== "object" || c === null || (c.version !== 1 && c.version !== 2) || typeof c.createdAt !== "string" || typeof c.publicKey !== "string" || typeof c.signature !== "string" || !Array.isArray(c.chains) || !c.chains.every(c.version === 2 ? isSignedChain : isChain)) {
    return { ok: false, reason: "not a checkpoint (malformed)" };
  }
  const { key, raw } = verifierKey(publicKey);
  if (Buffer.from(c.publicKey, "base64").compare(raw) !== 0) return { ok: false, reason: "signed by another key than this installation's" };
  if (!verify(null, signedPart(c), key, Buffer.from(c.signature, "base64"))) return { ok: false, reason: "the signature does not verify (the file was altered)" };
  if (c.version === 2) {
    for (const chain of c.chains as SignedCheckpointChain[]) {
      if (!verify(null, chainSignedPart(c.createdAt, c.publicKey, chain), key, Buffer.from(chain.signature, "base64"))) {
        return { ok: false, reason: `the signature of chain ${chain.realmId ?? "platform"} does not verify (the file was altered)` };
      }
    }
  }
  return { ok: true, checkpoint: c };
}

export type ExcerptCheck = { ok: true; chain: CheckpointChain } | { ok: false; reason: string };

/** Whether one chain's excerpt of a checkpoint (an export's) is well formed and signed by the expected key. */
export function checkCheckpointExcerpt(value: unknown, publicKey: KeyObject | Buffer): ExcerptCheck {
  const e = value as CheckpointExcerpt;
  if (typeof e !== "object" || e === null || e.version !== 2 || typeof e.createdAt !== "string" || typeof e.publicKey !== "string" || !isSignedChain(e.chain)) {
    return { ok: false, reason: "not a checkpoint excerpt (malformed)" };
  }
  const { key, raw } = verifierKey(publicKey);
  if (Buffer.from(e.publicKey, "base64").compare(raw) !== 0) return { ok: false, reason: "signed by another key than the one given" };
  if (!verify(null, chainSignedPart(e.createdAt, e.publicKey, e.chain), key, Buffer.from(e.chain.signature, "base64"))) {
    return { ok: false, reason: "the signature does not verify (the checkpoint was altered or forged)" };
  }
  const { realmId, seq, eventId, digest } = e.chain;
  return { ok: true, chain: { realmId, seq, eventId, digest } };
}

/** A directory of checkpoint files: <dir>/checkpoint-<time>-<random>.json, one per checkpoint. */
export class DirectoryCheckpointStore implements CheckpointStore {
  constructor(readonly dir: string) {}

  async append(checkpoint: Checkpoint): Promise<string> {
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const name = `checkpoint-${checkpoint.createdAt.replace(/[:.]/g, "-")}-${randomBytes(4).toString("hex")}.json`;
    const fd = openSync(path.join(this.dir, name), "wx", 0o444);
    try {
      writeSync(fd, `${JSON.stringify(checkpoint, null, 2)}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    // The new directory entry is durable only once the directory is.
    const dirFd = openSync(this.dir, "r");
    try {
      fsyncSync(dirFd);
    } finally {
      closeSync(dirFd);
    }
    return name;
  }

  async list(): Promise<StoredCheckpoint[]> {
    return this.read(this.names());
  }

  async newest(count: number): Promise<StoredCheckpoint[]> {
    return this.read(this.names().slice(-count));
  }

  /** The checkpoint files' names, oldest first (the name starts with the time). */
  private names(): string[] {
    try {
      return readdirSync(this.dir)
        .filter((n) => n.startsWith("checkpoint-") && n.endsWith(".json"))
        .sort();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
      throw error;
    }
  }

  private read(names: string[]): StoredCheckpoint[] {
    return names.map((name) => {
      let checkpoint: unknown;
      try {
        checkpoint = JSON.parse(readFileSync(path.join(this.dir, name), "utf8"));
      } catch {
        checkpoint = null;
      }
      return { name, checkpoint };
    });
  }
}

/** REALMGATE_AUDIT_CHECKPOINT_DIR, else <REALMGATE_DATA_DIR or .data>/audit-checkpoints (the launcher passes the former). */
export function checkpointDirFromEnv(): string {
  // A directory chosen at run time: Next's build must not trace (and copy) the whole project for it.
  return path.resolve(/*turbopackIgnore: true*/ process.env.REALMGATE_AUDIT_CHECKPOINT_DIR || path.join(process.env.REALMGATE_DATA_DIR || ".data", "audit-checkpoints"));
}

/** This process's checkpoint store: the directory one (the only backend so far). */
export const configuredCheckpointStore = (): CheckpointStore => new DirectoryCheckpointStore(checkpointDirFromEnv());
