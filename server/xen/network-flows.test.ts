import { describe, expect, it } from "vitest";
import { DOM0_LABEL, realmNetLabel } from "../xsm";
import { attach } from "./devices";
import { attemptConnection, checkFlow, FlowPlane, loadPlatformRules, loadRules, ndvmState, type FlowRequest } from "./network-flows";
import { ruleSetHash, type PlatformRule, type RealmRule } from "./network-rules";
import { GUEST_A, GUEST_B, MGMT_A, MGMT_B, refused, twoRealms } from "./test-host";

/**
 * A realm's NDVM on the host (issue 15 part 4): each flow is decided by FLASK first (netback
 * mapping the sender's and the receiver's pages: MCS refuses another realm's VM or NDVM, with
 * AVC lines; the ACM is off so the refusal is FLASK's alone), then the rule table the realm
 * loaded into its NDVM (default deny), then the platform's rules, which no realm overrides.
 */

const DRIVER_A = "system_u:system_r:driver_domain_t:s0:c1,c2";
const DRIVER_B = "system_u:system_r:driver_domain_t:s0:c3,c4";
const NET_A = realmNetLabel("s0:c1,c2");
const NET_B = realmNetLabel("s0:c3,c4");

function setup() {
  const host = twoRealms({ acm: "none" });
  const ndvmA = host.create(MGMT_A, DRIVER_A);
  const ndvmB = host.create(MGMT_B, DRIVER_B);
  const web = host.guestA;
  const db = host.create(MGMT_A, GUEST_A);
  host.hv.run((ctx) => attach(ctx, MGMT_A, web, { kind: "vif", id: "net-front", label: NET_A, readOnly: false, backendDomid: ndvmA }));
  host.hv.run((ctx) => attach(ctx, MGMT_A, db, { kind: "vif", id: "net-back", label: NET_A, readOnly: false, backendDomid: ndvmA }));
  host.hv.run((ctx) => attach(ctx, MGMT_B, host.guestB, { kind: "vif", id: "net-b", label: NET_B, readOnly: false, backendDomid: ndvmB }));
  host.hv.drainAvc();
  const uuid = (domid: number) => host.hv.snapshot().domains.find((d) => d.domid === domid)!.uuid;
  const plane = new FlowPlane();
  const rules: RealmRule[] = [
    { id: "r-web-db", from: { kind: "vm", id: uuid(web) }, to: { kind: "network", id: "net-back" }, protocol: "tcp", ports: { from: 5432, to: 5432 } },
    { id: "r-out", from: { kind: "network", id: "net-front" }, to: { kind: "uplink" }, protocol: "any", ports: null },
  ];
  const platform: PlatformRule[] = [{ id: "p-smtp", name: "no outbound mail", to: { kind: "uplink", address: null }, protocol: "tcp", ports: { from: 25, to: 25 } }];
  host.hv.run((ctx) => loadRules(ctx, plane, { subjectLabel: MGMT_A, ndvmDomid: ndvmA, version: 1, rules }));
  host.hv.run((ctx) => loadPlatformRules(ctx, plane, { subjectLabel: DOM0_LABEL, rules: platform }));
  host.hv.drainAvc();
  const check = (r: Omit<FlowRequest, "ndvmDomid"> & { ndvmDomid?: number }) => host.hv.run((ctx) => checkFlow(ctx, plane, { ndvmDomid: ndvmA, ...r }));
  const attempt = (r: Omit<FlowRequest, "ndvmDomid"> & { ndvmDomid?: number }) => host.hv.run((ctx) => attemptConnection(ctx, plane, { ndvmDomid: ndvmA, ...r }));
  return { ...host, ndvmA, ndvmB, web, db, plane, rules, check, attempt };
}

describe("flows through a realm's NDVM", () => {
  it("allows what the realm's rule allows, naming the rule (FLASK passes within the realm)", () => {
    const { check, web, db, hv } = setup();
    expect(check({ fromDomid: web, to: { kind: "vm", domid: db }, protocol: "tcp", port: 5432 })).toEqual({ allowed: true, layer: "realm", ruleId: "r-web-db", reason: "realm rule r-web-db allows tcp/5432", avc: [] });
    expect(hv.drainAvc()).toEqual([]);
  });

  it("denies a flow between the realm's own VMs that no rule allows (NDVM rule refusal, default deny)", () => {
    const { check, web, db } = setup();
    expect(check({ fromDomid: db, to: { kind: "vm", domid: web }, protocol: "tcp", port: 22 })).toMatchObject({ allowed: false, layer: "realm", ruleId: null });
    expect(check({ fromDomid: web, to: { kind: "vm", domid: db }, protocol: "udp", port: 5432 })).toMatchObject({ allowed: false, layer: "realm", ruleId: null });
  });

  it("denies uplink tcp/25 by the platform's rule although the realm allows all uplink traffic", () => {
    const { check, web } = setup();
    expect(check({ fromDomid: web, to: { kind: "uplink", address: "203.0.113.5" }, protocol: "tcp", port: 25 })).toMatchObject({ allowed: false, layer: "platform", ruleId: "p-smtp" });
    expect(check({ fromDomid: web, to: { kind: "uplink", address: "203.0.113.5" }, protocol: "tcp", port: 443 })).toMatchObject({ allowed: true, layer: "realm", ruleId: "r-out" });
  });

  it("refuses a cross-realm attempt by FLASK alone: realm B's VM through realm A's NDVM, with the AVC line", () => {
    const { check, guestB, ndvmA, db } = setup();
    const v = check({ fromDomid: guestB, to: { kind: "vm", domid: db }, protocol: "tcp", port: 5432 });
    expect(v).toMatchObject({ allowed: false, layer: "flask", ruleId: null });
    expect(v.reason).toMatch(/XSM denied \{ map_read \} on grant system_u:system_r:realm_guest_t:s0:c3,c4 for net.flow/);
    expect(v.avc).toEqual([`avc:  denied  { map_read } for source=${ndvmA} target=${guestB} scontext=${DRIVER_A} tcontext=${GUEST_B} tclass=grant`]);
  });

  it("refuses by FLASK a flow from realm A's VM to realm B's VM, and realm A's VM through realm B's NDVM", () => {
    const { check, web, guestB, ndvmB } = setup();
    const toForeign = check({ fromDomid: web, to: { kind: "vm", domid: guestB }, protocol: "tcp", port: 5432 });
    expect(toForeign).toMatchObject({ allowed: false, layer: "flask" });
    expect(toForeign.avc[0]).toContain(`tcontext=${GUEST_B} tclass=grant`);
    const viaForeignNdvm = check({ ndvmDomid: ndvmB, fromDomid: web, to: { kind: "uplink", address: null }, protocol: "tcp", port: 443 });
    expect(viaForeignNdvm).toMatchObject({ allowed: false, layer: "flask" });
    expect(viaForeignNdvm.avc[0]).toContain(`scontext=${DRIVER_B} tcontext=${GUEST_A}`);
  });

  it("refuses a VM without an interface served by the NDVM (topology), before any rule", () => {
    const { check, create, web } = setup();
    const loner = create(MGMT_A, GUEST_A);
    expect(check({ fromDomid: loner, to: { kind: "vm", domid: web }, protocol: "icmp", port: null })).toMatchObject({ allowed: false, layer: "ndvm" });
  });

  it("counts attempts per rule and per layer; a check alone counts nothing", () => {
    const { attempt, check, plane, ndvmA, web, db, guestB } = setup();
    check({ fromDomid: web, to: { kind: "vm", domid: db }, protocol: "tcp", port: 5432 });
    attempt({ fromDomid: web, to: { kind: "vm", domid: db }, protocol: "tcp", port: 5432 });
    attempt({ fromDomid: web, to: { kind: "vm", domid: db }, protocol: "tcp", port: 5432 });
    attempt({ fromDomid: db, to: { kind: "vm", domid: web }, protocol: "tcp", port: 22 });
    attempt({ fromDomid: web, to: { kind: "uplink", address: null }, protocol: "tcp", port: 25 });
    attempt({ fromDomid: guestB, to: { kind: "vm", domid: db }, protocol: "tcp", port: 5432 });
    expect(ndvmState(plane, ndvmA).counters).toEqual({
      "realm:r-web-db": { allowed: 2, denied: 0 },
      "realm:default": { allowed: 0, denied: 1 },
      "platform:p-smtp": { allowed: 0, denied: 1 },
      flask: { allowed: 0, denied: 1 },
    });
  });

  it("holds the rule table it enforces with its version and hash; realm B's management domain cannot load it", () => {
    const { hv, plane, ndvmA, rules } = setup();
    expect(ndvmState(plane, ndvmA)).toMatchObject({ version: 1, hash: ruleSetHash(rules) });
    const r = refused(hv, (ctx) => loadRules(ctx, plane, { subjectLabel: MGMT_B, ndvmDomid: ndvmA, version: 2, rules: [] }));
    expect(r.error.code).toBe("EACCES");
    expect(r.avc[0]).toContain(`scontext=${MGMT_B} tcontext=${DRIVER_A} tclass=domain`);
    expect(ndvmState(plane, ndvmA)).toMatchObject({ version: 1, hash: ruleSetHash(rules) });
  });

  it("lets only dom0 load the platform's rules", () => {
    const { hv, plane } = setup();
    const r = refused(hv, (ctx) => loadPlatformRules(ctx, plane, { subjectLabel: MGMT_A, rules: [] }));
    expect(r.error.code).toBe("EACCES");
    expect(plane.platformRules().rules.map((p) => p.id)).toEqual(["p-smtp"]);
  });

  it("refuses to treat a guest as an NDVM", () => {
    const { hv, plane, db } = setup();
    expect(refused(hv, (ctx) => loadRules(ctx, plane, { subjectLabel: MGMT_A, ndvmDomid: db, version: 1, rules: [] })).error.code).toBe("EINVAL");
  });
});
