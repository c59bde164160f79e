import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import { isTrustedBackend, labelCategories } from "../xsm";
import { HypercallError } from "./errors";
import { actorOf, domainOf, principalOf, runChecks, subjectOf, type HostCtx } from "./host-context";
import type { Device } from "./state";

/**
 * The block data path: a frontend's writes and reads of a PV disk's blocks, carried by the
 * backend domain that serves the disk into that backend's store.
 *
 * Threat: an untrusted backend — a realm's driver domain, compromised or curious — reading
 * the data it carries, or changing it undetected (flipping bytes, swapping two blocks, moving
 * a block to another address or another disk). A small trusted layer on the frontend's side
 * (this module, run by the host on the frontend's behalf) seals every block written through an
 * untrusted backend with AES-256-GCM under its realm's key, derived with HKDF from the host's
 * block secret and the realm's MCS level; the backend never holds it. The block's realm, disk,
 * address and version are the AAD, so a sealed block authenticates only where it was written:
 * any change is EIO with reason "integrity" on read. Trusted platform backends
 * (isTrustedBackend) store plaintext, as dom0 always has.
 *
 * Replay and dropped writes: the trusted layer counts the writes of each sealed block (its
 * version, state.ts BlockVersion) in the host's trusted state — outside the backend, journaled
 * with the rest of the host, so it survives an agent restart. Each write seals the next version
 * (in the record and in the AAD); a read authenticates the record, then requires exactly the
 * counted version. A backend replaying an older sealed version of the block at its address, or
 * dropping a write (it keeps the previous version, or nothing), reads as EIO "integrity: … stale"
 * naming both versions; so does an authentic record newer than the counter (sealed by a write
 * whose journal line never landed: the agent never answered it, so it is not trusted either).
 * Not covered: a host crash loses the counters with the rest of the host's state (and the
 * simulated stores, which live in the agent's memory). Counters are kept per (disk, address)
 * ever written through a sealing backend and not yet dropped when a disk is deleted.
 *
 * Each request is checked as Xen's blkback does it (operations.ts block.read / block.write): the
 * subject drives the frontend, and the backend maps the frontend's data page (grant map:
 * read-only for a write request, writable for a read), so FLASK decides every request.
 */

export const BLOCK_SIZE = 512;
/** Record format 2: [format][version, u64 BE][nonce][tag][ciphertext]. */
const FORMAT = 2;
const VERSION_BYTES = 8;
const HEADER_BYTES = 1 + VERSION_BYTES;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const SEAL_SALT = Buffer.from("realmgate/block-seal/v1");

/** A backend domain's disk: the bytes it holds per (disk, block address). What a compromised backend reads. */
export class BackendStore {
  private readonly blocks = new Map<string, Buffer>();
  get(diskId: string, lba: number): Buffer | undefined {
    return this.blocks.get(`${diskId}:${lba}`);
  }
  put(diskId: string, lba: number, bytes: Buffer): void {
    this.blocks.set(`${diskId}:${lba}`, Buffer.from(bytes));
  }
  /** What a backend that drops a block does (tests play it). */
  drop(diskId: string, lba: number): void {
    this.blocks.delete(`${diskId}:${lba}`);
  }
  entries(): [string, Buffer][] {
    return [...this.blocks.entries()];
  }
}

export type BlockPlaneOptions = {
  /** The host's block-sealing secret (≥ 32 bytes): the root of every realm's block key. */
  secret: Buffer;
  /** The source of GCM nonces (tests may fix it); 96 random bits per sealed block by default. */
  iv?: () => Buffer;
};

/** The host's block plane: each backend domain's store, and the frontend-side sealing layer. */
export class BlockPlane {
  private readonly stores = new Map<number, BackendStore>();
  private readonly keys = new Map<string, Buffer>();
  constructor(private readonly options: BlockPlaneOptions) {
    if (options.secret.length < 32) throw new Error("the block-sealing secret must be at least 32 bytes");
  }

  /** The store of the backend domain `domid` (created empty on first use). */
  storeOf(domid: number): BackendStore {
    let store = this.stores.get(domid);
    if (!store) this.stores.set(domid, (store = new BackendStore()));
    return store;
  }

  /** The realm's block key: HKDF-SHA256(host secret, salt, info = the realm's MCS categories). */
  realmKey(categories: string): Buffer {
    let key = this.keys.get(categories);
    if (!key) this.keys.set(categories, (key = Buffer.from(hkdfSync("sha256", this.options.secret, SEAL_SALT, `realm ${categories}`, 32))));
    return key;
  }

  nextIv(): Buffer {
    const iv = this.options.iv ? this.options.iv() : randomBytes(IV_BYTES);
    if (iv.length !== IV_BYTES) throw new Error(`a GCM nonce is ${IV_BYTES} bytes`);
    return iv;
  }
}

/** `subjectLabel` drives frontend `domid` (the realm's management domain, as for every guest-side hypercall). */
type BlockRequest = { subjectLabel: string; domid: number; diskId: string; lba: number };

const aad = (categories: string, diskId: string, lba: number, version: bigint) => Buffer.from(`realmgate-block\0v${FORMAT}\0${categories}\0${diskId}\0${lba}\0${version}`);

/** The version the trusted layer counted for the block (0: never written through a sealing backend). */
const countedVersion = (ctx: HostCtx, diskId: string, lba: number): number => ctx.state.blockVersions.get(`${diskId}:${lba}`)?.version ?? 0;

/** The device and whether its backend is trusted, after the backend's per-request grant map check. */
function connect(ctx: HostCtx, req: BlockRequest, op: "block.read" | "block.write"): { device: Device; categories: string; isTrusted: boolean } {
  const subject = subjectOf(ctx, req.subjectLabel);
  const { actor, flags } = actorOf(ctx, subject, req.domid);
  // The frontend grants the page first: the subject must be allowed to drive it, before anything
  // about its devices is looked at (another realm's subject learns nothing).
  runChecks(ctx, "grant.grant-access", { subject, actor }, flags);
  if (!Number.isSafeInteger(req.lba) || req.lba < 0) throw new HypercallError("EINVAL", `invalid block address ${req.lba}`);
  const device = ctx.state.devices.get(`${req.domid}:vbd:${req.diskId}`);
  if (!device) throw new HypercallError("ENOENT", `${req.diskId} is not attached to domain ${req.domid}`);
  const backend = principalOf(domainOf(ctx, device.backendDomid));
  runChecks(ctx, op, { subject, actor, backend });
  return { device, categories: labelCategories(actor.label), isTrusted: isTrustedBackend(backend.label) };
}

/** A frontend writes one block; through an untrusted backend it leaves the frontend sealed. */
export function writeBlock(ctx: HostCtx, plane: BlockPlane, req: BlockRequest & { data: Buffer }): { sealed: boolean } {
  if (req.data.length !== BLOCK_SIZE) throw new HypercallError("EINVAL", `a block is ${BLOCK_SIZE} bytes, got ${req.data.length}`);
  const { device, categories, isTrusted } = connect(ctx, req, "block.write");
  if (device.readOnly) throw new HypercallError("EINVAL", `${req.diskId} is attached read-only`);
  const store = plane.storeOf(device.backendDomid);
  if (isTrusted) {
    store.put(req.diskId, req.lba, req.data);
    return { sealed: false };
  }
  // The counter moves in the host's transaction (journaled before the agent answers); the
  // backend's store is written last, so a refused request leaves both as they were.
  const version = countedVersion(ctx, req.diskId, req.lba) + 1;
  ctx.state.blockVersions.put({ diskId: req.diskId, lba: req.lba, version });
  const header = Buffer.alloc(HEADER_BYTES);
  header[0] = FORMAT;
  header.writeBigUInt64BE(BigInt(version), 1);
  const iv = plane.nextIv();
  const cipher = createCipheriv("aes-256-gcm", plane.realmKey(categories), iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(aad(categories, req.diskId, req.lba, BigInt(version)));
  const body = Buffer.concat([cipher.update(req.data), cipher.final()]);
  store.put(req.diskId, req.lba, Buffer.concat([header, iv, cipher.getAuthTag(), body]));
  return { sealed: true };
}

/**
 * A frontend reads one block (zeros if never written); a sealed block that fails to authenticate
 * is EIO, and so is an authentic one that is not the version the trusted layer counted (replayed
 * or a write dropped by the backend), or a missing one that was written.
 */
export function readBlock(ctx: HostCtx, plane: BlockPlane, req: BlockRequest): { data: Buffer; sealed: boolean } {
  const { device, categories, isTrusted } = connect(ctx, req, "block.read");
  const stored = plane.storeOf(device.backendDomid).get(req.diskId, req.lba);
  if (isTrusted) return { data: stored ? Buffer.from(stored) : Buffer.alloc(BLOCK_SIZE), sealed: false };
  const expected = countedVersion(ctx, req.diskId, req.lba);
  const where = `block ${req.lba} of ${req.diskId}`;
  const stale = (found: string) =>
    new HypercallError("EIO", `integrity: ${where} is stale: ${found}, but version ${expected} was written (replayed by its backend, or a write dropped)`);
  if (!stored) {
    if (expected > 0) throw stale("the backend returned nothing");
    return { data: Buffer.alloc(BLOCK_SIZE), sealed: true };
  }
  const integrity = () => new HypercallError("EIO", `integrity: ${where} failed authentication (changed, swapped or moved by its backend)`);
  if (stored.length !== HEADER_BYTES + IV_BYTES + TAG_BYTES + BLOCK_SIZE || stored[0] !== FORMAT) throw integrity();
  const version = stored.readBigUInt64BE(1);
  const iv = stored.subarray(HEADER_BYTES, HEADER_BYTES + IV_BYTES);
  const tag = stored.subarray(HEADER_BYTES + IV_BYTES, HEADER_BYTES + IV_BYTES + TAG_BYTES);
  const decipher = createDecipheriv("aes-256-gcm", plane.realmKey(categories), iv, { authTagLength: TAG_BYTES });
  decipher.setAAD(aad(categories, req.diskId, req.lba, version));
  decipher.setAuthTag(tag);
  let data: Buffer;
  try {
    data = Buffer.concat([decipher.update(stored.subarray(HEADER_BYTES + IV_BYTES + TAG_BYTES)), decipher.final()]);
  } catch {
    throw integrity();
  }
  // Authentic, so the version is one this layer sealed: it must be the last one it counted.
  if (version !== BigInt(expected)) throw stale(`the backend returned version ${version}`);
  return { data, sealed: true };
}
