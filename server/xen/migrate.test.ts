import { describe, expect, it } from "vitest";
import { createDomain } from "./domains";
import { saveDomain } from "./migrate";
import { DOM0, MGMT_A, refused, testHost, twoRealms } from "./test-host";

describe("save and migrate-out", () => {
  it("takes an image of a realm's own guest and destroys the local copy", () => {
    const { hv, guestA } = twoRealms();
    const image = hv.run((ctx) => saveDomain(ctx, MGMT_A, guestA, "domain.migrate-out", "host-2"));
    expect(image).toMatchObject({ label: "system_u:system_r:realm_guest_t:s0:c1,c2", wasRunning: true, fromBootId: "boot-1", fromDomid: guestA });
    expect(hv.snapshot().domains.find((d) => d.domid === guestA)).toBeUndefined();
    expect(hv.snapshot().acm.chineseWall.admitted[String(guestA)]).toBeUndefined();
    expect(hv.drainAvc()).toEqual([]);
  });

  it("denies another realm at the first check of xc_domain_save (mmu, printed in bit order as Xen does)", () => {
    const { hv, guestB } = twoRealms();
    const r = refused(hv, (ctx) => saveDomain(ctx, MGMT_A, guestB, "domain.save"));
    expect(r.avc).toEqual([
      "avc:  denied  { map_read pageinfo stat } for source=1 target=4 scontext=system_u:system_r:realm_mgmt_t:s0:c1,c2 tcontext=system_u:system_r:realm_guest_t:s0:c3,c4 tclass=mmu",
    ]);
    expect(r.after).toEqual(r.before);
  });

  it("denies a guest saving its sibling (a guest has none of the save permissions)", () => {
    const { hv, guestA, create } = twoRealms();
    const sibling = create(MGMT_A, "system_u:system_r:realm_guest_t:s0:c1,c2");
    const r = refused(hv, (ctx) => saveDomain(ctx, "system_u:system_r:realm_guest_t:s0:c1,c2", sibling, "domain.save"));
    expect(r.avc[0]).toMatch(new RegExp(`^avc:  denied  \\{ map_read pageinfo stat \\} for source=${guestA} target=${sibling} `));
  });

  it("restores elsewhere as create + unpause", () => {
    const src = twoRealms();
    const image = src.hv.run((ctx) => saveDomain(ctx, MGMT_A, src.guestA, "domain.save"));
    const dst = testHost();
    dst.create(DOM0, MGMT_A);
    const d = dst.hv.run((ctx) => createDomain(ctx, MGMT_A, { ...image }, "domain.restore"));
    expect(d).toMatchObject({ label: image.label, state: "running", uuid: image.uuid });
  });
});
