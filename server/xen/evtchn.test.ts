import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { REALM_POLICY_PATH } from "../xsm";
import { allocUnbound, bindInterdomain, close, send } from "./evtchn";
import { DOM0, GUEST_A, MGMT_A, MGMT_B, refused, twoRealms } from "./test-host";

/** Realms A (mgmt 1, guests 3 and 5) and B (mgmt 2, guest 4). */
function host() {
  const h = twoRealms();
  const guestA2 = h.create(MGMT_A, GUEST_A);
  return { ...h, guestA2 };
}

describe("event channels within a realm", () => {
  it("allocates, binds (both halves checked), sends and closes", () => {
    const { hv, guestA, guestA2 } = host();
    const { port } = hv.run((ctx) => allocUnbound(ctx, MGMT_A, guestA, guestA2));
    const bound = hv.run((ctx) => bindInterdomain(ctx, MGMT_A, guestA2, guestA, port));
    expect(hv.drainAvc()).toEqual([]);
    const chans = hv.snapshot().channels;
    expect(chans.find((c) => c.domid === guestA && c.port === port)).toMatchObject({ state: "interdomain", remoteDomid: guestA2, remotePort: bound.port, label: "system_u:object_r:realm_channel_t:s0:c1,c2" });
    expect(hv.run((ctx) => send(ctx, MGMT_A, guestA2, bound.port))).toEqual({ delivered: true });
    expect(hv.snapshot().channels.find((c) => c.domid === guestA && c.port === port)?.pending).toBe(1);
    hv.run((ctx) => close(ctx, MGMT_A, guestA2, bound.port));
    expect(hv.snapshot().channels.find((c) => c.domid === guestA && c.port === port)).toMatchObject({ state: "unbound" });
  });

  it("refuses to bind a port not reserved for the binder (EINVAL, before XSM)", () => {
    const { hv, guestA, guestA2, mgmtA } = host();
    const { port } = hv.run((ctx) => allocUnbound(ctx, MGMT_A, guestA, mgmtA));
    const r = refused(hv, (ctx) => bindInterdomain(ctx, MGMT_A, guestA2, guestA, port));
    expect(r.error.code).toBe("EINVAL");
    expect(r.avc).toEqual([]);
  });

  it("answers ENOENT for an unknown peer and EINVAL for an unknown port", () => {
    const { hv, guestA } = host();
    expect(refused(hv, (ctx) => allocUnbound(ctx, MGMT_A, guestA, 77)).error.code).toBe("ENOENT");
    expect(refused(hv, (ctx) => send(ctx, MGMT_A, guestA, 999)).error.code).toBe("EINVAL");
  });
});

describe("event channels across realms", () => {
  it("denies allocating a channel to another realm's guest: the channel may not bind to it", () => {
    const { hv, guestA, guestB } = host();
    const r = refused(hv, (ctx) => allocUnbound(ctx, MGMT_A, guestA, guestB));
    expect(r.error.code).toBe("EACCES");
    expect(r.avc).toEqual([
      "avc:  denied  { bind } for source=3 target=4 scontext=system_u:object_r:realm_channel_t:s0:c1,c2 tcontext=system_u:system_r:realm_guest_t:s0:c3,c4 tclass=event",
    ]);
    expect(r.after).toEqual(r.before);
  });

  it("denies it even when dom0 drives the guest: MCS, not the caller, separates realms", () => {
    const { hv, guestA, guestB } = host();
    const r = refused(hv, (ctx) => allocUnbound(ctx, DOM0, guestA, guestB));
    expect(r.avc).toEqual([
      "avc:  denied  { bind } for source=3 target=4 scontext=system_u:object_r:realm_channel_t:s0:c1,c2 tcontext=system_u:system_r:realm_guest_t:s0:c3,c4 tclass=event",
    ]);
  });

  it("refuses to bind a port reserved for another realm's domain (EINVAL before XSM)", () => {
    const { hv, guestA, guestB } = host();
    // dom0 reserves a port in its own domain for B's guest; A's guest may not take it.
    const { port } = hv.run((ctx) => allocUnbound(ctx, DOM0, 0, guestB));
    const r = refused(hv, (ctx) => bindInterdomain(ctx, MGMT_A, guestA, 0, port));
    expect(r.error.code).toBe("EINVAL"); // reserved for domain 4, not 3
  });

  it("denies realm A's management domain driving realm B's guest (delegation)", () => {
    const { hv, guestB, mgmtB } = host();
    const r = refused(hv, (ctx) => allocUnbound(ctx, MGMT_A, guestB, mgmtB));
    expect(r.avc).toEqual([
      "avc:  denied  { trigger } for source=1 target=4 scontext=system_u:system_r:realm_mgmt_t:s0:c1,c2 tcontext=system_u:system_r:realm_guest_t:s0:c3,c4 tclass=domain",
    ]);
  });

  it("re-validates the peer's channel against the binder: the second half can fail on its own", () => {
    const { hv, server, guestB } = host();
    // dom0 reserves a port for B's guest; then a policy reload stops dom0's channels binding to guests.
    const { port } = hv.run((ctx) => allocUnbound(ctx, DOM0, 0, guestB));
    const text = readFileSync(REALM_POLICY_PATH, "utf8");
    const narrowed = text.replace("allow { dom0_channel_t xenstore_channel_t } domain_type : event bind;", "allow xenstore_channel_t domain_type : event bind;");
    expect(narrowed).not.toBe(text);
    server.load({ text: narrowed, fileName: "realm.te" });
    const r = refused(hv, (ctx) => bindInterdomain(ctx, MGMT_B, guestB, 0, port));
    expect(r.avc).toEqual([
      "avc:  denied  { bind } for source=0 target=4 scontext=system_u:object_r:dom0_channel_t:s0 tcontext=system_u:system_r:realm_guest_t:s0:c3,c4 tclass=event",
    ]);
    expect(r.after).toEqual(r.before);
  });
});
