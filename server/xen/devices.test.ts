import { describe, expect, it } from "vitest";
import { SHARED_IMAGE_LABEL, realmDiskLabel, realmNetLabel } from "../xsm";
import { attach, detach } from "./devices";
import { DEFAULT_ACM_POLICY, GUEST_A, MGMT_A, refused, twoRealms } from "./test-host";

const disk = (id: string, label: string, readOnly = false) => ({ kind: "vbd" as const, id, label, readOnly });

describe("PV disks: labels decide who may use them", () => {
  it("attaches a realm's writable disk to its guest: resource use, channel handshake, ring grant", () => {
    const { hv, guestA } = twoRealms();
    const { device } = hv.run((ctx) => attach(ctx, MGMT_A, guestA, disk("disk-a", realmDiskLabel("s0:c1,c2"))));
    expect(hv.drainAvc()).toEqual([]);
    const s = hv.snapshot();
    expect(device).toMatchObject({ domid: guestA, kind: "vbd", devid: 51712, backendDomid: 0, readOnly: false });
    expect(s.channels.find((c) => c.domid === guestA && c.port === device.frontendPort)).toMatchObject({
      state: "interdomain",
      remoteDomid: 0,
      remotePort: device.backendPort,
      label: "system_u:object_r:realm_channel_t:s0:c1,c2",
    });
    expect(s.channels.find((c) => c.domid === 0 && c.port === device.backendPort)?.label).toBe("system_u:object_r:dom0_channel_t:s0");
    expect(s.mappings).toContainEqual({ handle: device.ringHandle, mapperDomid: 0, granterDomid: guestA, gref: device.ringGref, readOnly: false });
    expect(s.xenstore[`/local/domain/${guestA}/device/vbd/51712`]?.value).toBe(`/local/domain/0/backend/vbd/${guestA}/51712`);
  });

  it.each([
    ["another realm's disk", realmDiskLabel("s0:c3,c4")],
    ["a category-less writable disk", realmDiskLabel("s0")],
  ])("refuses %s with the AVC line, changing nothing", (_what, label) => {
    const { hv, guestA } = twoRealms();
    const r = refused(hv, (ctx) => attach(ctx, MGMT_A, guestA, disk("disk-x", label)));
    expect(r.error.code).toBe("EACCES");
    expect(r.avc).toEqual([`avc:  denied  { use } for source=${guestA} scontext=${GUEST_A} tcontext=${label} tclass=resource`]);
    expect(r.after).toEqual(r.before);
  });

  it("lets every realm use a shared image, read-only only", () => {
    const { hv, guestA, guestB } = twoRealms();
    hv.run((ctx) => attach(ctx, MGMT_A, guestA, disk("base-image", SHARED_IMAGE_LABEL, true)));
    hv.run((ctx) => attach(ctx, "system_u:system_r:realm_mgmt_t:s0:c3,c4", guestB, disk("base-image", SHARED_IMAGE_LABEL, true)));
    const r = refused(hv, (ctx) => attach(ctx, MGMT_A, guestA, disk("base-2", SHARED_IMAGE_LABEL, false)));
    expect(r.error).toMatchObject({ code: "EINVAL", message: expect.stringMatching(/read-only content/) });
  });

  it("refuses a second writable attachment of the same disk (EBUSY) and a duplicate (EEXIST)", () => {
    const { hv, guestA, create } = twoRealms();
    const other = create(MGMT_A, GUEST_A);
    hv.run((ctx) => attach(ctx, MGMT_A, guestA, disk("disk-a", realmDiskLabel("s0:c1,c2"))));
    expect(refused(hv, (ctx) => attach(ctx, MGMT_A, guestA, disk("disk-a", realmDiskLabel("s0:c1,c2")))).error.code).toBe("EEXIST");
    expect(refused(hv, (ctx) => attach(ctx, MGMT_A, other, disk("disk-a", realmDiskLabel("s0:c1,c2")))).error.code).toBe("EBUSY");
  });

  it("refuses an invalid disk label as Invalid seclabel", () => {
    const { hv, guestA } = twoRealms();
    const r = refused(hv, (ctx) => attach(ctx, MGMT_A, guestA, disk("d", "system_u:object_r:realm_disk_t:s0:c9999")));
    expect(r.error).toMatchObject({ code: "EINVAL", message: expect.stringMatching(/^Invalid seclabel/) });
  });

  it("detaches: channels, ring mapping, grant and xenstore nodes go", () => {
    const { hv, guestA } = twoRealms();
    const before = hv.snapshot();
    hv.run((ctx) => attach(ctx, MGMT_A, guestA, disk("disk-a", realmDiskLabel("s0:c1,c2"))));
    hv.run((ctx) => detach(ctx, MGMT_A, guestA, "vbd", "disk-a"));
    const after = hv.snapshot();
    for (const part of ["channels", "grants", "mappings", "devices"] as const) expect(after[part]).toEqual(before[part]);
    expect(Object.keys(after.xenstore).filter((p) => p.endsWith("/51712"))).toEqual([]);
    expect(refused(hv, (ctx) => detach(ctx, MGMT_A, guestA, "vbd", "disk-a")).error.code).toBe("ENOENT");
  });
});

describe("PV networks", () => {
  it("attaches a realm's network and refuses another realm's", () => {
    const { hv, guestA } = twoRealms();
    hv.run((ctx) => attach(ctx, MGMT_A, guestA, { kind: "vif", id: "net-a", label: realmNetLabel("s0:c1,c2"), readOnly: false }));
    const r = refused(hv, (ctx) => attach(ctx, MGMT_A, guestA, { kind: "vif", id: "net-b", label: realmNetLabel("s0:c3,c4"), readOnly: false }));
    expect(r.avc).toEqual([`avc:  denied  { use } for source=${guestA} scontext=${GUEST_A} tcontext=system_u:object_r:realm_net_t:s0:c3,c4 tclass=resource`]);
  });
});

describe("STE on disks", () => {
  it("denies a disk FLASK allows when the ACM policy gives it no type the VM has", () => {
    const quarantined = realmDiskLabel("s0:c1,c2");
    const acmPolicy = { ...DEFAULT_ACM_POLICY, labels: [...DEFAULT_ACM_POLICY.labels, { match: quarantined, wall: [], ste: ["quarantine"] }] };
    const { hv, guestA } = twoRealms({ acmPolicy });
    const r = refused(hv, (ctx) => attach(ctx, MGMT_A, guestA, disk("disk-q", quarantined)));
    expect(r.error.code).toBe("EACCES");
    expect(r.error.message).toMatch(/STE: VM's access to block device disk-q denied/);
    expect(r.avc).toEqual([]);
    expect(r.after).toEqual(r.before);
    // With STE off the same attach succeeds: the refusal was the ACM's.
    const plain = twoRealms({ acmPolicy, acm: "chinese-wall" });
    plain.hv.run((ctx) => attach(ctx, MGMT_A, plain.guestA, disk("disk-q", quarantined)));
  });
});
