import { describe, expect, it } from "vitest";
import { register, sendv, unregister } from "./argo";
import { GUEST_A, MGMT_A, MGMT_B, refused, twoRealms } from "./test-host";

function host(options: { argoMacPermissive?: boolean } = {}) {
  const h = twoRealms(options);
  return { ...h, guestA2: h.create(MGMT_A, GUEST_A) };
}

describe("Argo", () => {
  it("registers a single-source ring and delivers a same-realm message", () => {
    const { hv, guestA, guestA2 } = host();
    hv.run((ctx) => register(ctx, MGMT_A, guestA, 7, guestA2));
    expect(hv.run((ctx) => sendv(ctx, MGMT_A, guestA2, guestA, 7, "hi"))).toEqual({ delivered: true });
    expect(hv.snapshot().argo[0]?.messages).toEqual([{ from: guestA2, text: "hi" }]);
    hv.run((ctx) => unregister(ctx, MGMT_A, guestA, 7, guestA2));
    expect(hv.drainAvc()).toEqual([]);
  });

  it("denies registering a ring for another realm's domain", () => {
    const { hv, guestA, guestB } = host();
    const r = refused(hv, (ctx) => register(ctx, MGMT_A, guestA, 7, guestB));
    expect(r.avc).toEqual([
      "avc:  denied  { register_single_source } for source=3 target=4 scontext=system_u:system_r:realm_guest_t:s0:c1,c2 tcontext=system_u:system_r:realm_guest_t:s0:c3,c4 tclass=argo",
    ]);
  });

  it("denies a cross-realm send before looking for the ring (no probing)", () => {
    const { hv, guestB } = host();
    const r = refused(hv, (ctx) => sendv(ctx, MGMT_B, guestB, 3, 99, "x"));
    expect(r.error.code).toBe("EACCES");
    expect(r.avc[0]).toMatch(/^avc:  denied  \{ send \} for source=4 target=3 /);
  });

  it("answers ENOENT (ECONNREFUSED) for a same-realm send with no ring", () => {
    const { hv, guestA, guestA2 } = host();
    expect(refused(hv, (ctx) => sendv(ctx, MGMT_A, guestA2, guestA, 99, "x")).error.code).toBe("ENOENT");
  });

  it("refuses wildcard rings without mac-permissive, before XSM's wildcard check", () => {
    const { hv, guestA } = host();
    const r = refused(hv, (ctx) => register(ctx, MGMT_A, guestA, 7, "any"));
    expect(r.error.message).toMatch(/mac-permissive/);
    expect(r.avc).toEqual([]);
  });

  it("with mac-permissive, a wildcard ring needs the realm_argo_wildcard boolean (denial dontaudited)", () => {
    const { hv, server, guestA } = host({ argoMacPermissive: true });
    const r = refused(hv, (ctx) => register(ctx, MGMT_A, guestA, 7, "any"));
    expect(r.error.message).toMatch(/register_any_source/);
    expect(r.avc).toEqual([]);
    server.setBool("realm_argo_wildcard", true);
    hv.run((ctx) => register(ctx, MGMT_A, guestA, 7, "any"));
    expect(hv.snapshot().argo).toContainEqual({ domid: guestA, port: 7, partner: "any", messages: [] });
  });
});
