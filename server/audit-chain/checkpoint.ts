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

export type Checkpoint = {
  version: 1;
  createdAt: string;
  /** The signer's Ed25519 public key, 32 raw bytes, base64. */
  publicKey: string;
  chains: CheckpointChain[];
  /** Ed25519 over canonicalJson of every other field, base64. */
  signature: string;
};

export type StoredCheckpoint = { name: string; checkpoint: unknown };

export interface CheckpointStore {
  /** Appends a checkpoint; never replaces one. Returns its name in the store. */
  append(checkpoint: Checkpoint): Promise<string>;
  /** Every checkpoint in the store, oldest first (unparsed: the verifier judges each). */
  list(): Promise<StoredCheckpoint[]>;
}

const signedPart = (c: Omit<Checkpoint, "signature">) => Buffer.from(canonicalJson({ version: c.version, createdAt: c.createdAt, publicKey: c.publicKey, chains: c.chains }));

const chainOrder = (a: CheckpointChain, b: CheckpointChain) => (a.realmId ?? "").localeCompare(b.realmId ?? "");

export function signCheckpoint(keys: AuditKeys, chains: CheckpointChain[], createdAt = new Date()): Checkpoint {
  const body = { version: 1 as const, createdAt: createdAt.toISOString(), publicKey: keys.publicKeyRaw.toString("base64"), chains: [...chains].sort(chainOrder) };
  return { ...body, signature: sign(null, signedPart(body), keys.signing).toString("base64") };
}

export type CheckpointCheck = { ok: true; checkpoint: Checkpoint } | { ok: false; reason: string };

const isChain = (c: unknown): c is CheckpointChain => {
  const x = c as CheckpointChain;
  return typeof x === "object" && x !== null && (x.realmId === null || typeof x.realmId === "string") && /^\d+$/.test(String(x.seq)) && /^\d+$/.test(String(x.eventId)) && /^[0-9a-f]{64}$/.test(String(x.digest));
};

/** Whether a stored checkpoint is well formed and signed by the expected key. */
export function checkCheckpoint(value: unknown, publicKey: KeyObject | Buffer): CheckpointCheck {
  const c = value as Checkpoint;
  if (typeof c !== "object" || c === null || c.version !== 1 || typeof c.createdAt !== "string" || typeof c.publicKey !== "string" || typeof c.signature !== "string" || !Array.isArray(c.chains) || !c.chains.every(isChain)) {
    return { ok: false, reason: "not a checkpoint (malformed)" };
  }
  const expected = Buffer.isBuffer(publicKey) ? publicKey : null;
  const key = expected ? publicKeyFromRaw(expected) : (publicKey as KeyObject);
  const expectedRaw = expected ?? (key.export({ format: "der", type: "spki" }).subarray(12) as Buffer);
  if (Buffer.from(c.publicKey, "base64").compare(expectedRaw) !== 0) return { ok: false, reason: "signed by another key than this installation's" };
  if (!verify(null, signedPart(c), key, Buffer.from(c.signature, "base64"))) return { ok: false, reason: "the signature does not verify (the file was altered)" };
  return { ok: true, checkpoint: c };
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
    let names: string[];
    try {
      names = readdirSync(this.dir).filter((n) => n.startsWith("checkpoint-") && n.endsWith(".json"));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
      throw error;
    }
    return names.sort().map((name) => {
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
  return path.resolve(process.env.REALMGATE_AUDIT_CHECKPOINT_DIR || path.join(process.env.REALMGATE_DATA_DIR || ".data", "audit-checkpoints"));
}

/** This process's checkpoint store: the directory one (the only backend so far). */
export const configuredCheckpointStore = (): CheckpointStore => new DirectoryCheckpointStore(checkpointDirFromEnv());
