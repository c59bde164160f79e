import { describe, expect, it } from "vitest";
import { realmDiskLabel } from "../xsm";
import { acmModule } from "./acm/compose";
import { startPlatformBackends } from "./backends";
import { BLOCK_SIZE, BlockPlane, readBlock, writeBlock } from "./block-data";
import { attach } from "./devices";
import { Hypervisor } from "./hypervisor";
import { OPERATIONS } from "./operations";
import { DEFAULT_ACM_POLICY, GUEST_A, MGMT_A, MGMT_B, refused, twoRealms } from "./test-host";

/**
 * The block data path (issue 15 part 3): through an untrusted backend (a realm's driver
 * domain) the backend's store holds only AES-GCM ciphertext bound to realm, disk and address;
 * a compromised backend that reads or rewrites its store learns nothing and changes nothing
 * undetected. Through the platform's trusted backend, blocks are stored as written.
 */

const DRIVER_A = "system_u:system_r:driver_domain_t:s0:c1,c2";
const SECRET = Buffer.alloc(32, 7);
const block = (text: string) => Buffer.concat([Buffer.from(text), Buffer.alloc(BLOCK_SIZE - Buffer.byteLength(text))]);
const SECRET_TEXT = "realm A's payroll: alice 123456";

function setup() {
  const host = twoRealms();
  const platform = host.hv.run((ctx) => startPlatformBackends(ctx));
  const driverA = host.create(MGMT_A, DRIVER_A);
  const guest2 = host.create(MGMT_A, GUEST_A);
  const plane = new BlockPlane({ secret: SECRET });
  let hv = host.hv;
  const disk = (id: string, domid: number, backendDomid?: number) =>
    hv.run((ctx) => attach(ctx, MGMT_A, domid, { kind: "vbd", id, label: realmDiskLabel("s0:c1,c2"), readOnly: false, backendDomid }));
  const write = (domid: number, diskId: string, lba: number, data: Buffer) => hv.run((ctx) => writeBlock(ctx, plane, { subjectLabel: MGMT_A, domid, diskId, lba, data }));
  const read = (domid: number, diskId: string, lba: number) => hv.run((ctx) => readBlock(ctx, plane, { subjectLabel: MGMT_A, domid, diskId, lba }));
  // The toolstack's restart (agent/host-store.ts): the last snapshot, then the journaled change
  // sets replayed, with no security module deciding anything again. The backends' stores (the
  // backend domains' disks) are not the toolstack's: they stay as the backend left them.
  let base = hv.snapshot();
  hv.takeChanges();
  const compact = () => {
    base = hv.snapshot();
    hv.takeChanges();
  };
  const restartAgent = () => {
    const journal = hv.takeChanges();
    hv = new Hypervisor(host.xsm, { acmModule: acmModule("chinese-wall+ste"), acmPolicy: DEFAULT_ACM_POLICY, options: { argoMacPermissive: false } }, structuredClone(base));
    hv.replay(journal);
  };
  const readError = (domid: number, diskId: string, lba: number) => {
    try {
      read(domid, diskId, lba);
    } catch (error) {
      return error as { code: string; message: string };
    }
    throw new Error("expected the read to fail");
  };
  return { ...host, platform, driverA, guest2, plane, disk, write, read, readError, compact, restartAgent, hvNow: () => hv };
}

const hasPlaintext = (stored: Buffer, text: string) => stored.includes(Buffer.from(text)) || stored.includes(Buffer.from(text.slice(0, 8)));

describe("a compromised untrusted backend reads its store and sees no plaintext", () => {
  it("stores only sealed blocks from realm A's guest in realm A's driver domain; the guest reads its data back", () => {
    const { guestA, driverA, plane, disk, write, read } = setup();
    disk("disk-a", guestA, driverA);
    expect(write(guestA, "disk-a", 0, block(SECRET_TEXT))).toEqual({ sealed: true });
    write(guestA, "disk-a", 1, block(SECRET_TEXT));
    const stored = plane.storeOf(driverA).entries();
    expect(stored).toHaveLength(2);
    for (const [, bytes] of stored) expect(hasPlaintext(bytes, SECRET_TEXT)).toBe(false);
    // Same plaintext at two addresses: different ciphertexts (fresh nonce, address in the AAD).
    expect(stored[0]![1].equals(stored[1]![1])).toBe(false);
    expect(read(guestA, "disk-a", 0)).toEqual({ data: block(SECRET_TEXT), sealed: true });
  });

  it("stores plaintext through the platform's trusted storage backend (as dom0 always did)", () => {
    const { guestA, platform, plane, disk, write, read } = setup();
    disk("disk-p", guestA);
    expect(write(guestA, "disk-p", 3, block(SECRET_TEXT))).toEqual({ sealed: false });
    expect(hasPlaintext(plane.storeOf(platform.vbd).get("disk-p", 3)!, SECRET_TEXT)).toBe(true);
    expect(read(guestA, "disk-p", 3).data).toEqual(block(SECRET_TEXT));
  });

  it("derives a different key per realm and never from the backend's side: another host secret cannot open the blocks", () => {
    const { plane } = setup();
    expect(plane.realmKey("c1,c2").equals(plane.realmKey("c3,c4"))).toBe(false);
    expect(new BlockPlane({ secret: Buffer.alloc(32, 8) }).realmKey("c1,c2").equals(plane.realmKey("c1,c2"))).toBe(false);
  });
});

describe("tampering by an untrusted backend is detected on read (EIO, reason integrity)", () => {
  it("detects a flipped byte in the ciphertext, the nonce or the tag", () => {
    const { guestA, driverA, plane, disk, write, readError } = setup();
    disk("disk-a", guestA, driverA);
    write(guestA, "disk-a", 0, block(SECRET_TEXT));
    const original = plane.storeOf(driverA).get("disk-a", 0)!;
    for (const offset of [1, 13, 40, original.length - 1]) {
      const flipped = Buffer.from(original);
      flipped[offset]! ^= 0x01;
      plane.storeOf(driverA).put("disk-a", 0, flipped);
      const error = readError(guestA, "disk-a", 0);
      expect(error.code).toBe("EIO");
      expect(error.message).toMatch(/^integrity: block 0 of disk-a failed authentication/);
    }
  });

  it("detects two blocks swapped by the backend", () => {
    const { guestA, driverA, plane, disk, write, readError } = setup();
    disk("disk-a", guestA, driverA);
    write(guestA, "disk-a", 0, block("block zero"));
    write(guestA, "disk-a", 1, block("block one"));
    const store = plane.storeOf(driverA);
    const [zero, one] = [store.get("disk-a", 0)!, store.get("disk-a", 1)!];
    store.put("disk-a", 0, one);
    store.put("disk-a", 1, zero);
    expect(readError(guestA, "disk-a", 0).code).toBe("EIO");
    expect(readError(guestA, "disk-a", 1).code).toBe("EIO");
  });

  it("detects a block moved to another address, and to another disk of the same realm", () => {
    const { guestA, guest2, driverA, plane, disk, write, readError } = setup();
    disk("disk-a", guestA, driverA);
    disk("disk-c", guest2, driverA);
    write(guestA, "disk-a", 5, block(SECRET_TEXT));
    const store = plane.storeOf(driverA);
    store.put("disk-a", 6, store.get("disk-a", 5)!);
    expect(readError(guestA, "disk-a", 6)).toMatchObject({ code: "EIO", message: expect.stringMatching(/^integrity/) });
    store.put("disk-c", 5, store.get("disk-a", 5)!);
    expect(readError(guest2, "disk-c", 5)).toMatchObject({ code: "EIO", message: expect.stringMatching(/^integrity/) });
  });

  it("detects a truncated or re-formatted block", () => {
    const { guestA, driverA, plane, disk, write, readError } = setup();
    disk("disk-a", guestA, driverA);
    write(guestA, "disk-a", 0, block(SECRET_TEXT));
    plane.storeOf(driverA).put("disk-a", 0, plane.storeOf(driverA).get("disk-a", 0)!.subarray(0, 100));
    expect(readError(guestA, "disk-a", 0).code).toBe("EIO");
  });
});

describe("each block request is checked by FLASK (the backend maps the frontend's data page)", () => {
  it("refuses I/O on a disk not attached to the domain (ENOENT) and a wrong block size (EINVAL)", () => {
    const { guestA, guest2, driverA, disk, write, readError } = setup();
    disk("disk-a", guestA, driverA);
    expect(readError(guest2, "disk-a", 0).code).toBe("ENOENT");
    expect(() => write(guestA, "disk-a", 0, Buffer.alloc(3))).toThrow(/a block is 512 bytes/);
  });

  it("denies realm B's management domain driving I/O on realm A's guest before looking at its devices (AVC line)", () => {
    const { hv, guestA, mgmtB, driverA, plane, disk } = setup();
    disk("disk-a", guestA, driverA);
    for (const diskId of ["disk-a", "no-such-disk"]) {
      const r = refused(hv, (ctx) => readBlock(ctx, plane, { subjectLabel: MGMT_B, domid: guestA, diskId, lba: 0 }));
      expect(r.error.code).toBe("EACCES");
      expect(r.avc).toEqual([`avc:  denied  { trigger } for source=${mgmtB} target=${guestA} scontext=${MGMT_B} tcontext=${GUEST_A} tclass=domain`]);
    }
  });

  it("checks the backend's map of the frontend's page on every request (block.read / block.write in the operation table)", () => {
    expect(OPERATIONS["block.write"].checks).toEqual([{ source: "backend", target: "actor", tclass: "grant", perms: ["map_read"] }]);
    expect(OPERATIONS["block.read"].checks).toEqual([{ source: "backend", target: "actor", tclass: "grant", perms: ["map_read", "map_write"] }]);
  });
});

describe("replay and dropped writes by an untrusted backend are detected (the trusted layer's per-block version)", () => {
  const stale = { code: "EIO", message: expect.stringMatching(/^integrity: block 0 of disk-a is stale: .*replayed by its backend, or a write dropped/) };

  it("detects the replay of an older sealed version of a block at its own address", () => {
    const { guestA, driverA, plane, disk, write, readError } = setup();
    disk("disk-a", guestA, driverA);
    write(guestA, "disk-a", 0, block("balance: 100"));
    const older = plane.storeOf(driverA).get("disk-a", 0)!;
    write(guestA, "disk-a", 0, block("balance: 0"));
    plane.storeOf(driverA).put("disk-a", 0, older); // authentic, same realm, disk and address: only older
    expect(readError(guestA, "disk-a", 0)).toMatchObject({ ...stale, message: expect.stringMatching(/returned version 1, but version 2 was written/) });
  });

  it("detects a write the backend dropped (it keeps the previous version), and a first write it dropped (it returns nothing)", () => {
    const { guestA, driverA, plane, disk, write, readError } = setup();
    disk("disk-a", guestA, driverA);
    write(guestA, "disk-a", 0, block("version one"));
    const store = plane.storeOf(driverA);
    const kept = store.get("disk-a", 0)!;
    write(guestA, "disk-a", 0, block("version two"));
    store.put("disk-a", 0, kept); // the backend acknowledged the write and never stored it
    expect(readError(guestA, "disk-a", 0)).toMatchObject(stale);
    write(guestA, "disk-a", 9, block("never stored"));
    store.drop("disk-a", 9);
    expect(readError(guestA, "disk-a", 9)).toMatchObject({ code: "EIO", message: expect.stringMatching(/^integrity: block 9 of disk-a is stale: the backend returned nothing, but version 1 was written/) });
  });

  it("still detects both after the host state is reloaded (agent restart: snapshot, then the journal)", () => {
    const { guestA, driverA, plane, disk, write, read, readError, compact, restartAgent, hvNow } = setup();
    disk("disk-a", guestA, driverA);
    write(guestA, "disk-a", 0, block("v1"));
    const v1 = plane.storeOf(driverA).get("disk-a", 0)!;
    compact(); // version 1 is in the snapshot, version 2 only in the journal
    write(guestA, "disk-a", 0, block("v2"));
    write(guestA, "disk-a", 1, block("dropped later"));
    restartAgent();
    expect(hvNow().snapshot().blockVersions).toEqual([
      { diskId: "disk-a", lba: 0, version: 2 },
      { diskId: "disk-a", lba: 1, version: 1 },
    ]);
    expect(read(guestA, "disk-a", 0).data).toEqual(block("v2"));
    plane.storeOf(driverA).put("disk-a", 0, v1);
    expect(readError(guestA, "disk-a", 0)).toMatchObject(stale);
    plane.storeOf(driverA).drop("disk-a", 1);
    expect(readError(guestA, "disk-a", 1).message).toMatch(/^integrity: block 1 of disk-a is stale/);
  });

  it("the honest path reads what was last written, through many rewrites and across a reload", () => {
    const { guestA, driverA, disk, write, read, restartAgent } = setup();
    disk("disk-a", guestA, driverA);
    for (let i = 1; i <= 5; i++) write(guestA, "disk-a", 0, block(`rewrite ${i}`));
    expect(read(guestA, "disk-a", 0)).toEqual({ data: block("rewrite 5"), sealed: true });
    restartAgent();
    expect(read(guestA, "disk-a", 0)).toEqual({ data: block("rewrite 5"), sealed: true });
    write(guestA, "disk-a", 0, block("rewrite 6"));
    expect(read(guestA, "disk-a", 0).data).toEqual(block("rewrite 6"));
    expect(read(guestA, "disk-a", 4)).toEqual({ data: Buffer.alloc(BLOCK_SIZE), sealed: true }); // never written: zeros
  });

  it("a forged version in the record's header fails authentication (the version is in the AAD)", () => {
    const { guestA, driverA, plane, disk, write, readError } = setup();
    disk("disk-a", guestA, driverA);
    write(guestA, "disk-a", 0, block("v1"));
    const older = plane.storeOf(driverA).get("disk-a", 0)!;
    write(guestA, "disk-a", 0, block("v2"));
    const forged = Buffer.from(older);
    forged.writeBigUInt64BE(2n, 1); // claims version 2
    plane.storeOf(driverA).put("disk-a", 0, forged);
    expect(readError(guestA, "disk-a", 0).message).toMatch(/^integrity: block 0 of disk-a failed authentication/);
  });
});
