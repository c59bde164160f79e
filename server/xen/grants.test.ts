import { describe, expect, it } from "vitest";
import { copy, endAccess, grantAccess, map, unmap } from "./grants";
import { GUEST_A, MGMT_A, MGMT_B, refused, twoRealms } from "./test-host";

function host() {
  const h = twoRealms();
  const guestA2 = h.create(MGMT_A, GUEST_A);
  return { ...h, guestA2 };
}

describe("grant tables within a realm", () => {
  it("maps a writable grant read-write, unmaps it, then revokes it", () => {
    const { hv, guestA, guestA2 } = host();
    const { gref } = hv.run((ctx) => grantAccess(ctx, MGMT_A, guestA, guestA2, false));
    const { handle } = hv.run((ctx) => map(ctx, MGMT_A, guestA2, guestA, gref, false));
    expect(hv.snapshot().mappings).toContainEqual({ handle, mapperDomid: guestA2, granterDomid: guestA, gref, readOnly: false });
    expect(refused(hv, (ctx) => endAccess(ctx, MGMT_A, guestA, gref)).error.code).toBe("EBUSY");
    hv.run((ctx) => unmap(ctx, MGMT_A, guestA2, handle));
    hv.run((ctx) => endAccess(ctx, MGMT_A, guestA, gref));
    expect(hv.drainAvc()).toEqual([]);
  });

  it("never maps a read-only grant writable", () => {
    const { hv, guestA, guestA2 } = host();
    const { gref } = hv.run((ctx) => grantAccess(ctx, MGMT_A, guestA, guestA2, true));
    const r = refused(hv, (ctx) => map(ctx, MGMT_A, guestA2, guestA, gref, false));
    expect(r.error).toMatchObject({ code: "EACCES", message: expect.stringMatching(/read-only/) });
    expect(r.after).toEqual(r.before);
    expect(hv.run((ctx) => map(ctx, MGMT_A, guestA2, guestA, gref, true)).handle).toBeGreaterThan(0);
  });

  it("refuses to map a grant made to someone else", () => {
    const { hv, guestA, guestA2, mgmtA } = host();
    const { gref } = hv.run((ctx) => grantAccess(ctx, MGMT_A, guestA, mgmtA, false));
    expect(refused(hv, (ctx) => map(ctx, MGMT_A, guestA2, guestA, gref, false)).error.code).toBe("EACCES");
  });

  it("copies through a grant made to the copier", () => {
    const { hv, guestA, guestA2 } = host();
    const { gref } = hv.run((ctx) => grantAccess(ctx, MGMT_A, guestA, guestA2, false));
    expect(hv.run((ctx) => copy(ctx, MGMT_A, guestA2, { domid: guestA2 }, { domid: guestA, gref }))).toEqual({ copied: true });
  });
});

describe("grant tables across realms", () => {
  it("denies mapping another realm's page, before the grant entry is even looked at", () => {
    const { hv, guestA, guestB } = host();
    const { gref } = hv.run((ctx) => grantAccess(ctx, MGMT_A, guestA, guestB, false));
    const r = refused(hv, (ctx) => map(ctx, MGMT_B, guestB, guestA, gref, false));
    expect(r.error.code).toBe("EACCES");
    expect(r.avc).toEqual([
      "avc:  denied  { map_read map_write } for source=4 target=3 scontext=system_u:system_r:realm_guest_t:s0:c3,c4 tcontext=system_u:system_r:realm_guest_t:s0:c1,c2 tclass=grant",
    ]);
    expect(r.after).toEqual(r.before);
    // A non-existent grant reference gets the same answer: nothing is revealed.
    expect(refused(hv, (ctx) => map(ctx, MGMT_B, guestB, guestA, 999, true)).avc).toEqual([
      "avc:  denied  { map_read } for source=4 target=3 scontext=system_u:system_r:realm_guest_t:s0:c3,c4 tcontext=system_u:system_r:realm_guest_t:s0:c1,c2 tclass=grant",
    ]);
  });

  it("denies copying into another realm's buffer", () => {
    const { hv, guestA, guestB } = host();
    const { gref } = hv.run((ctx) => grantAccess(ctx, MGMT_B, guestB, guestA, false));
    const r = refused(hv, (ctx) => copy(ctx, MGMT_A, guestA, { domid: guestA }, { domid: guestB, gref }));
    expect(r.avc).toEqual([
      "avc:  denied  { copy } for source=3 target=4 scontext=system_u:system_r:realm_guest_t:s0:c1,c2 tcontext=system_u:system_r:realm_guest_t:s0:c3,c4 tclass=grant",
    ]);
  });

  it("denies a management domain driving another realm's guest to grant", () => {
    const { hv, guestB, guestA } = host();
    const r = refused(hv, (ctx) => grantAccess(ctx, MGMT_A, guestB, guestA, false));
    expect(r.avc[0]).toMatch(/^avc:  denied  \{ trigger \} for source=1 target=4 /);
  });
});
