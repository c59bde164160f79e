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
 * block secret and the realm's MCS level; the backend never holds it. The block's realm, disk
 * and address are the AAD, so a sealed block authenticates only where it was written: any
 * change is EIO with reason "integrity" on read. Trusted platform backends (isTrustedBackend)
 * store plaintext, as dom0 always has.
 *
 * Not covered (needs state the frontend keeps across writes, e.g. a per-block version or a
 * hash tree): the backend replaying an older sealed version of the same block at the same
 * address, or dropping a block so it reads as never written (zeros).
 *
 * Each request is checked as Xen's blkback does it (operations.ts block.read / block.write): the
 * subject drives the frontend, and the backend maps the frontend's data page (grant map:
 * read-only for a write request, writable for a read), so FLASK decides every request.
 */

export const BLOCK_SIZE = 512;
const FORMAT = 1;
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

const aad = (categories: string, diskId: string, lba: number) => Buffer.from(`realmgate-block\0v${FORMAT}\0${categories}\0${diskId}\0${lba}`);

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
  const iv = plane.nextIv();
  const cipher = createCipheriv("aes-256-gcm", plane.realmKey(categories), iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(aad(categories, req.diskId, req.lba));
  const body = Buffer.concat([cipher.update(req.data), cipher.final()]);
  store.put(req.diskId, req.lba, Buffer.concat([Buffer.from([FORMAT]), iv, cipher.getAuthTag(), body]));
  return { sealed: true };
}

/** A frontend reads one block (zeros if never written); a sealed block that fails to authenticate is EIO. */
export function readBlock(ctx: HostCtx, plane: BlockPlane, req: BlockRequest): { data: Buffer; sealed: boolean } {
  const { device, categories, isTrusted } = connect(ctx, req, "block.read");
  const stored = plane.storeOf(device.backendDomid).get(req.diskId, req.lba);
  if (!stored) return { data: Buffer.alloc(BLOCK_SIZE), sealed: !isTrusted };
  if (isTrusted) return { data: Buffer.from(stored), sealed: false };
  const integrity = () => new HypercallError("EIO", `integrity: block ${req.lba} of ${req.diskId} failed authentication (changed, swapped or moved by its backend)`);
  if (stored.length !== 1 + IV_BYTES + TAG_BYTES + BLOCK_SIZE || stored[0] !== FORMAT) throw integrity();
  const iv = stored.subarray(1, 1 + IV_BYTES);
  const tag = stored.subarray(1 + IV_BYTES, 1 + IV_BYTES + TAG_BYTES);
  const decipher = createDecipheriv("aes-256-gcm", plane.realmKey(categories), iv, { authTagLength: TAG_BYTES });
  decipher.setAAD(aad(categories, req.diskId, req.lba));
  decipher.setAuthTag(tag);
  try {
    return { data: Buffer.concat([decipher.update(stored.subarray(1 + IV_BYTES + TAG_BYTES)), decipher.final()]), sealed: true };
  } catch {
    throw integrity();
  }
}
