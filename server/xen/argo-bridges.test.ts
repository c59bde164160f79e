import { describe, expect, it } from "vitest";
import { sendv } from "./argo";
import { createBridge, destroyBridge, listBridges, testSend } from "./argo-bridges";
import { acmModule } from "./acm/compose";
import { destroyDomain } from "./domains";
import { Hypervisor } from "./hypervisor";
import { DEFAULT_ACM_POLICY, DOM0, GUEST_A, GUEST_B, MGMT_A, MGMT_B, refused, twoRealms } from "./test-host";

/**
 * Issue 15 part 5 at the hypervisor: FLASK alone (no layer above runs here) decides every
 * cross-realm Argo send. Realm A is c1,c2, realm B c3,c4, realm C c5,c6.
 */

const MGMT_C = "system_u:system_r:realm_mgmt_t:s0:c5,c6";
const GUEST_C = "system_u:system_r:realm_guest_t:s0:c5,c6";
const BRIDGE_LABEL = "system_u:object_r:ivc_bridge_t:s0:c1.c4"; // canonical form of c1,c2,c3,c4

function host() {
  const h = twoRealms();
  h.create(DOM0, MGMT_C);
  const guestA2 = h.create(MGMT_A, GUEST_A);
  const guestC = h.create(MGMT_C, GUEST_C);
  return { ...h, guestA2, guestC };
}

const bridge = (hv: Hypervisor, spec: { fromDomid: number; toDomid: number; twoWay?: boolean; id?: string }) =>
  hv.run((ctx) => createBridge(ctx, DOM0, { id: spec.id ?? "agr-1", fromDomid: spec.fromDomid, toDomid: spec.toDomid, port: 7000, twoWay: spec.twoWay ?? false }));

describe("Argo across realms: sharing agreement bridges", () => {
  it("without an agreement FLASK alone denies a cross-realm send (MCS), with the AVC line", () => {
    const { hv, guestA, guestB } = host();
    const r = refused(hv, (ctx) => sendv(ctx, MGMT_A, guestA, guestB, 7000, "hello"));
    expect(r.error.code).toBe("EACCES");
    expect(r.avc).toEqual([
      `avc:  denied  { send } for source=${guestA} target=${guestB} scontext=${GUEST_A} tcontext=${GUEST_B} tclass=argo`,
    ]);
  });

  it("labels the bridge with both realms' categories and binds each receiving ring to it", () => {
    const { hv, guestA, guestB } = host();
    const b = bridge(hv, { fromDomid: guestA, toDomid: guestB });
    expect(b).toMatchObject({ label: BRIDGE_LABEL, fromDomid: guestA, toDomid: guestB, port: 7000, twoWay: false, delivered: 0, refused: 0, queued: 0 });
    expect(hv.drainAvc()).toEqual([]);
    // No domain ever carries the other realm's categories: only the bridge does.
    expect(hv.snapshot().domains.filter((d) => d.label.includes("c1.c4"))).toEqual([]);
  });

  it("with a one-way bridge allows exactly x → y on the agreed port", () => {
    const { hv, guestA, guestB } = host();
    bridge(hv, { fromDomid: guestA, toDomid: guestB });
    expect(hv.run((ctx) => sendv(ctx, MGMT_A, guestA, guestB, 7000, "hello"))).toEqual({ delivered: true });
    expect(hv.snapshot().bridges?.[0]).toMatchObject({ delivered: 1, queue: [{ from: guestA, to: guestB, text: "hello" }] });
    expect(hv.drainAvc()).toEqual([]);
  });

  it("denies the reverse direction of a one-way agreement: y → x is FLASK's MCS denial (no bridge carries it)", () => {
    const { hv, guestA, guestB } = host();
    bridge(hv, { fromDomid: guestA, toDomid: guestB });
    const r = refused(hv, (ctx) => sendv(ctx, MGMT_B, guestB, guestA, 7000, "back"));
    expect(r.avc).toEqual([`avc:  denied  { send } for source=${guestB} target=${guestA} scontext=${GUEST_B} tcontext=${GUEST_A} tclass=argo`]);
    // Naming the bridge does not help: FLASK allows B's domain on the bridge, its binding refuses the direction.
    const named = hv.run((ctx) => testSend(ctx, MGMT_B, { bridgeId: "agr-1", fromDomid: guestB, toDomid: guestA, port: 7000, message: "back" }));
    expect(named).toMatchObject({ delivered: false, error: { code: "EPERM" } });
    expect(named.error?.message).toMatch(/carries domain \d+ → domain \d+ on port 7000; domain \d+ → domain \d+ on port 7000 is not its channel/);
  });

  it("allows both directions of a two-way agreement", () => {
    const { hv, guestA, guestB } = host();
    bridge(hv, { fromDomid: guestA, toDomid: guestB, twoWay: true });
    expect(hv.run((ctx) => sendv(ctx, MGMT_B, guestB, guestA, 7000, "back"))).toEqual({ delivered: true });
    expect(hv.drainAvc()).toEqual([]);
  });

  it("denies A's other VM x' → y: no bridge carries it (MCS), and naming the bridge is refused by its binding (EPERM)", () => {
    const { hv, guestA2, guestB, guestA } = host();
    bridge(hv, { fromDomid: guestA, toDomid: guestB });
    const r = refused(hv, (ctx) => sendv(ctx, MGMT_A, guestA2, guestB, 7000, "sneak"));
    expect(r.avc).toEqual([`avc:  denied  { send } for source=${guestA2} target=${guestB} scontext=${GUEST_A} tcontext=${GUEST_B} tclass=argo`]);
    const named = hv.run((ctx) => testSend(ctx, MGMT_A, { bridgeId: "agr-1", fromDomid: guestA2, toDomid: guestB, port: 7000, message: "sneak" }));
    expect(named).toMatchObject({ delivered: false, error: { code: "EPERM" } });
    expect(hv.snapshot().bridges?.[0]).toMatchObject({ delivered: 0, refused: 1 });
  });

  it("denies another port than the agreed one (MCS on the plain send)", () => {
    const { hv, guestA, guestB } = host();
    bridge(hv, { fromDomid: guestA, toDomid: guestB });
    expect(refused(hv, (ctx) => sendv(ctx, MGMT_A, guestA, guestB, 7001, "x")).avc[0]).toMatch(/^avc: {2}denied {2}\{ send \} for source=\d+ target=\d+ .*tclass=argo$/);
  });

  it("denies a third realm C on the bridge by MCS even when it names the bridge (C is not dominated by A ∪ B)", () => {
    const { hv, guestA, guestB, guestC } = host();
    bridge(hv, { fromDomid: guestA, toDomid: guestB });
    const r = hv.run((ctx) => testSend(ctx, MGMT_C, { bridgeId: "agr-1", fromDomid: guestC, toDomid: guestB, port: 7000, message: "intrude" }));
    expect(r).toMatchObject({ delivered: false, error: { code: "EACCES" } });
    expect(hv.drainAvc()).toEqual([`avc:  denied  { send } for source=${guestC} scontext=${GUEST_C} tcontext=${BRIDGE_LABEL} tclass=argo`]);
  });

  it("refuses a bridge to a third realm's domain: its ring cannot bind to a bridge it is not dominated by", () => {
    const { hv, guestA, guestC, server } = host();
    // The bridge's label is A ∪ C here, so C binds; a realm's management domain asking is refused (resource add is dom0's).
    const r = refused(hv, (ctx) => createBridge(ctx, MGMT_A, { id: "x", fromDomid: guestA, toDomid: guestC, port: 1, twoWay: false }));
    expect(r.error.code).toBe("EACCES");
    expect(r.avc[0]).toMatch(/denied {2}\{ add \} .*tcontext=system_u:object_r:ivc_bridge_t:s0:c1,c2,c5,c6 tclass=resource/);
    expect(server.hasPerm(server.contextToSid(GUEST_C), server.contextToSid(BRIDGE_LABEL), "argo", "register_single_source").allowed).toBe(false);
  });

  it("after the bridge is destroyed, queued messages are dropped and the next send is denied by FLASK again", () => {
    const { hv, guestA, guestB } = host();
    bridge(hv, { fromDomid: guestA, toDomid: guestB });
    hv.run((ctx) => sendv(ctx, MGMT_A, guestA, guestB, 7000, "queued"));
    expect(hv.run((ctx) => destroyBridge(ctx, DOM0, "agr-1"))).toEqual({ id: "agr-1", dropped: 1 });
    expect(hv.snapshot().bridges).toBeUndefined();
    const r = refused(hv, (ctx) => sendv(ctx, MGMT_A, guestA, guestB, 7000, "again"));
    expect(r.avc).toEqual([`avc:  denied  { send } for source=${guestA} target=${guestB} scontext=${GUEST_A} tcontext=${GUEST_B} tclass=argo`]);
  });

  it("only dom0 removes a bridge; destroying either domain takes its bridges with it", () => {
    const { hv, guestA, guestB } = host();
    bridge(hv, { fromDomid: guestA, toDomid: guestB });
    expect(refused(hv, (ctx) => destroyBridge(ctx, MGMT_B, "agr-1")).error.code).toBe("EACCES");
    expect(hv.run((ctx) => listBridges(ctx, DOM0)).map((b) => b.id)).toEqual(["agr-1"]);
    expect(hv.run((ctx) => listBridges(ctx, MGMT_A))).toEqual([]);
    hv.run((ctx) => destroyDomain(ctx, MGMT_B, guestB));
    expect(hv.run((ctx) => listBridges(ctx, DOM0))).toEqual([]);
  });

  it("a bridge survives a restart: it is part of the host's state (snapshot and back)", () => {
    const { hv, guestA, guestB, xsm } = host();
    bridge(hv, { fromDomid: guestA, toDomid: guestB });
    const again = new Hypervisor(xsm, { acmModule: acmModule("chinese-wall+ste"), acmPolicy: DEFAULT_ACM_POLICY, options: { argoMacPermissive: false } }, hv.snapshot());
    expect(again.run((ctx) => listBridges(ctx, DOM0))).toHaveLength(1);
    expect(again.run((ctx) => sendv(ctx, MGMT_A, guestA, guestB, 7000, "after restart"))).toEqual({ delivered: true });
  });

  it("scales: 5,000 agreements are 5,000 bridge objects, decided without any policy change", () => {
    const h = twoRealms();
    const pairs: [number, number][] = [];
    for (let i = 0; i < 50; i++) pairs.push([h.create(MGMT_A, GUEST_A), h.create(MGMT_B, GUEST_B)]);
    const t0 = performance.now();
    for (let i = 0; i < 5000; i++) {
      const [x, y] = pairs[i % 50]!;
      h.hv.run((ctx) => createBridge(ctx, DOM0, { id: `agr-${i}`, fromDomid: x, toDomid: y, port: 10_000 + i, twoWay: false }));
    }
    const t1 = performance.now();
    let delivered = 0;
    let denied = 0;
    for (let i = 0; i < 5000; i++) {
      const [x, y] = pairs[i % 50]!;
      const ok = h.hv.run((ctx) => testSend(ctx, MGMT_A, { fromDomid: x, toDomid: y, port: 10_000 + i, message: "m" }));
      const back = h.hv.run((ctx) => testSend(ctx, MGMT_B, { fromDomid: y, toDomid: x, port: 10_000 + i, message: "m" }));
      if (ok.delivered) delivered++;
      if (!back.delivered) denied++;
    }
    const t2 = performance.now();
    h.hv.drainAvc();
    expect({ delivered, denied }).toEqual({ delivered: 5000, denied: 5000 });
    console.log(`argo bridges: 5,000 created in ${(t1 - t0).toFixed(0)} ms; 10,000 sends decided (5,000 delivered, 5,000 reverse denied by MCS) in ${(t2 - t1).toFixed(0)} ms; no policy reload`);
  });
});
