import { describe, expect, it } from "vitest";
import { realmDiskLabel } from "../xsm";
import { startPlatformBackends } from "./backends";
import { BLOCK_SIZE, BlockPlane, readBlock, writeBlock } from "./block-data";
import { attach } from "./devices";
import { OPERATIONS } from "./operations";
import { GUEST_A, MGMT_A, MGMT_B, refused, twoRealms } from "./test-host";

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
  const disk = (id: string, domid: number, backendDomid?: number) =>
    host.hv.run((ctx) => attach(ctx, MGMT_A, domid, { kind: "vbd", id, label: realmDiskLabel("s0:c1,c2"), readOnly: false, backendDomid }));
  const write = (domid: number, diskId: string, lba: number, data: Buffer) => host.hv.run((ctx) => writeBlock(ctx, plane, { subjectLabel: MGMT_A, domid, diskId, lba, data }));
  const read = (domid: number, diskId: string, lba: number) => host.hv.run((ctx) => readBlock(ctx, plane, { subjectLabel: MGMT_A, domid, diskId, lba }));
  const readError = (domid: number, diskId: string, lba: number) => {
    try {
      read(domid, diskId, lba);
    } catch (error) {
      return error as { code: string; message: string };
    }
    throw new Error("expected the read to fail");
  };
  return { ...host, platform, driverA, guest2, plane, disk, write, read, readError };
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
