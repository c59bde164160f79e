import { describe, expect, it } from "vitest";
import { NET_BACKEND_LABEL, STORAGE_BACKEND_LABEL, realmDiskLabel, realmNetLabel } from "../xsm";
import { listBackends, startPlatformBackends } from "./backends";
import { attach, detach } from "./devices";
import { destroyDomain } from "./domains";
import { GUEST_A, MGMT_A, MGMT_B, refused, twoRealms } from "./test-host";

/**
 * Backend domains (issue 15 part 3): who may serve a frontend is FLASK's decision during the
 * handshake — the ACM is off in the cross-realm cases, so the refusal is FLASK's alone.
 */

const DRIVER_A = "system_u:system_r:driver_domain_t:s0:c1,c2";
const DRIVER_B = "system_u:system_r:driver_domain_t:s0:c3,c4";
const diskA = (backendDomid?: number) => ({ kind: "vbd" as const, id: "disk-a", label: realmDiskLabel("s0:c1,c2"), readOnly: false, backendDomid });

function hostWithBackends(options: Parameters<typeof twoRealms>[0] = {}) {
  const host = twoRealms(options);
  const platform = host.hv.run((ctx) => startPlatformBackends(ctx));
  const driverA = host.create(MGMT_A, DRIVER_A);
  const driverB = host.create(MGMT_B, DRIVER_B);
  host.hv.drainAvc();
  return { ...host, platform, driverA, driverB };
}

describe("backend domains on a host", () => {
  it("boots the platform's storage and network backends (trusted) beside dom0; realms build their driver domains (untrusted)", () => {
    const { hv, platform, driverA, driverB } = hostWithBackends();
    const backends = hv.run((ctx) => listBackends(ctx));
    expect(backends.map((b) => [b.domid, b.label, b.isTrusted, b.serves])).toEqual([
      [0, "system_u:system_r:dom0_t:s0-s0:c0.c1023", true, ["vbd", "vif"]],
      [platform.vbd, STORAGE_BACKEND_LABEL, true, ["vbd"]],
      [platform.vif, NET_BACKEND_LABEL, true, ["vif"]],
      [driverA, DRIVER_A, false, ["vbd", "vif"]],
      [driverB, DRIVER_B, false, ["vbd", "vif"]],
    ]);
    // Idempotent at boot: the running backends are kept.
    expect(hv.run((ctx) => startPlatformBackends(ctx))).toEqual(platform);
  });

  it("denies realm A's management domain building a driver domain in realm B's categories", () => {
    const { hv, create } = twoRealms();
    let error: unknown;
    try {
      create(MGMT_A, DRIVER_B);
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ code: "EACCES" });
    expect(hv.snapshot().domains.some((d) => d.label === DRIVER_B)).toBe(false);
  });
});

describe("a frontend connects only to a backend the policy allows for its realm", () => {
  it("connects realm A's disk to the platform storage backend by default: channels, ring and xenstore name its domid", () => {
    const { hv, guestA, platform } = hostWithBackends();
    const { device } = hv.run((ctx) => attach(ctx, MGMT_A, guestA, diskA()));
    expect(hv.drainAvc()).toEqual([]);
    expect(device.backendDomid).toBe(platform.vbd);
    const s = hv.snapshot();
    expect(s.channels.find((c) => c.domid === platform.vbd && c.port === device.backendPort)).toMatchObject({
      label: "system_u:object_r:backend_channel_t:s0",
      remoteDomid: guestA,
      state: "interdomain",
    });
    expect(s.mappings).toContainEqual({ handle: device.ringHandle, mapperDomid: platform.vbd, granterDomid: guestA, gref: device.ringGref, readOnly: false });
    expect(s.xenstore[`/local/domain/${guestA}/device/vbd/51712`]?.value).toBe(`/local/domain/${platform.vbd}/backend/vbd/${guestA}/51712`);
    expect(s.xenstore[`/local/domain/${platform.vbd}/backend/vbd/${guestA}/51712`]?.value).toBe("disk-a");
  });

  it("connects realm A's network to the platform network backend", () => {
    const { hv, guestA, platform } = hostWithBackends();
    const { device } = hv.run((ctx) => attach(ctx, MGMT_A, guestA, { kind: "vif", id: "net-a", label: realmNetLabel("s0:c1,c2"), readOnly: false }));
    expect(device.backendDomid).toBe(platform.vif);
  });

  it("connects realm A's disk to realm A's own driver domain: both channel halves at realm A's level", () => {
    const { hv, guestA, driverA } = hostWithBackends();
    const { device } = hv.run((ctx) => attach(ctx, MGMT_A, guestA, diskA(driverA)));
    expect(hv.drainAvc()).toEqual([]);
    expect(device.backendDomid).toBe(driverA);
    const s = hv.snapshot();
    expect(s.channels.find((c) => c.domid === driverA && c.port === device.backendPort)?.label).toBe("system_u:object_r:backend_channel_t:s0:c1,c2");
    expect(s.channels.find((c) => c.domid === guestA && c.port === device.frontendPort)?.label).toBe("system_u:object_r:realm_channel_t:s0:c1,c2");
  });

  it("denies realm A's frontend to realm B's driver domain by FLASK alone (ACM off), with the AVC line, changing nothing", () => {
    const { hv, guestA, driverB } = hostWithBackends({ acm: "none" });
    const r = refused(hv, (ctx) => attach(ctx, MGMT_A, guestA, diskA(driverB)));
    expect(r.error.code).toBe("EACCES");
    expect(r.error.message).toMatch(/XSM denied \{ bind \} on event system_u:system_r:driver_domain_t:s0:c3,c4 for device.attach-disk/);
    expect(r.avc).toEqual([
      `avc:  denied  { bind } for source=${guestA} target=${driverB} scontext=system_u:object_r:realm_channel_t:s0:c1,c2 tcontext=${DRIVER_B} tclass=event`,
    ]);
    expect(r.after).toEqual(r.before);
  });

  it("denies realm B's driver domain mapping realm A's pages and binding A's frontend (the backend's halves, checked on their own)", () => {
    const { xsm } = hostWithBackends();
    const map = xsm.check({ subject: DRIVER_B, target: GUEST_A, tclass: "grant", perms: ["map_read", "map_write"] });
    expect(map.allowed).toBe(false);
    const bind = xsm.check({ subject: "system_u:object_r:backend_channel_t:s0:c3,c4", target: GUEST_A, tclass: "event", perms: ["bind"] });
    expect(bind.allowed).toBe(false);
    // The platform's backends and realm A's own driver domain may.
    for (const backend of [STORAGE_BACKEND_LABEL, NET_BACKEND_LABEL, DRIVER_A]) {
      expect(xsm.check({ subject: backend, target: GUEST_A, tclass: "grant", perms: ["map_read", "map_write"] }).allowed).toBe(true);
    }
  });

  it("refuses a domain that is no backend (a guest) as EINVAL, before any handshake", () => {
    const { hv, guestA, guestB } = hostWithBackends();
    const r = refused(hv, (ctx) => attach(ctx, MGMT_A, guestA, diskA(guestB)));
    expect(r.error).toMatchObject({ code: "EINVAL", message: `domain ${guestB} is not a vbd backend` });
    expect(r.avc).toEqual([]);
  });

  it("refuses the platform network backend for a disk", () => {
    const { hv, guestA, platform } = hostWithBackends();
    expect(refused(hv, (ctx) => attach(ctx, MGMT_A, guestA, diskA(platform.vif))).error.code).toBe("EINVAL");
  });

  it("detaches from a driver domain: its channel end, the ring mapping and its xenstore node go", () => {
    const { hv, guestA, driverA } = hostWithBackends();
    const before = hv.snapshot();
    hv.run((ctx) => attach(ctx, MGMT_A, guestA, diskA(driverA)));
    hv.run((ctx) => detach(ctx, MGMT_A, guestA, "vbd", "disk-a"));
    const after = hv.snapshot();
    for (const part of ["channels", "grants", "mappings", "devices"] as const) expect(after[part]).toEqual(before[part]);
    expect(Object.keys(after.xenstore).filter((p) => p.endsWith("/51712"))).toEqual([]);
  });

  it("destroying a driver domain takes the devices it served with it (the frontend keeps running)", () => {
    const { hv, guestA, driverA } = hostWithBackends();
    const before = hv.snapshot();
    hv.run((ctx) => attach(ctx, MGMT_A, guestA, diskA(driverA)));
    hv.run((ctx) => destroyDomain(ctx, MGMT_A, driverA));
    const after = hv.snapshot();
    expect(after.devices).toEqual([]);
    expect(after.channels.filter((c) => c.domid === guestA)).toEqual(before.channels.filter((c) => c.domid === guestA));
    expect(after.grants.filter((g) => g.domid === guestA)).toEqual([]);
    expect(after.domains.find((d) => d.domid === guestA)?.state).toBe("running");
    expect(Object.keys(after.xenstore).filter((p) => p.includes("/device/vbd/"))).toEqual([]);
  });
});
