import { describe, expect, it } from "vitest";
import type { AcmPolicy } from "../types";
import { SHARED_IMAGE_LABEL, realmDiskLabel } from "../../xsm";
import { allocUnbound } from "../evtchn";
import { grantAccess, map } from "../grants";
import { DEFAULT_ACM_POLICY, DOM0, GUEST_A, GUEST_B, MGMT_A, refused, testHost } from "../test-host";
import { acmTypes } from "./label-types";
import { ste } from "./ste";
import { emptyAcmState } from "../state";

/** GUEST_A gets an explicit STE type its realm's management domain lacks: FLASK allows, STE decides. */
const split: AcmPolicy = { ...DEFAULT_ACM_POLICY, name: "split", labels: [...DEFAULT_ACM_POLICY.labels, { match: GUEST_A, wall: [], ste: ["isolated"] }] };

describe("STE types of a label", () => {
  it.each([
    [GUEST_A, DEFAULT_ACM_POLICY, { wall: ["realm:c1,c2"], ste: ["realm:c1,c2"] }],
    [DOM0, DEFAULT_ACM_POLICY, { wall: [], ste: ["*"] }],
    [SHARED_IMAGE_LABEL, DEFAULT_ACM_POLICY, { wall: [], ste: ["*"] }],
    ["system_u:system_r:domU_t:s0", DEFAULT_ACM_POLICY, { wall: [], ste: [] }],
    [GUEST_A, split, { wall: [], ste: ["isolated"] }],
  ])("%s", (label, policy, types) => {
    expect(acmTypes(policy, label)).toEqual(types);
  });
});

describe("Simple Type Enforcement (pure)", () => {
  const s = emptyAcmState();
  it("shares within a type, with '*', and never across types", () => {
    expect(ste.decide(DEFAULT_ACM_POLICY, s, { kind: "share", a: { domid: 1, label: GUEST_A }, b: { domid: 2, label: MGMT_A }, via: "grant" }).ok).toBe(true);
    expect(ste.decide(DEFAULT_ACM_POLICY, s, { kind: "share", a: { domid: 1, label: GUEST_A }, b: { domid: 0, label: DOM0 }, via: "grant" }).ok).toBe(true);
    expect(ste.decide(DEFAULT_ACM_POLICY, s, { kind: "share", a: { domid: 1, label: GUEST_A }, b: { domid: 2, label: GUEST_B }, via: "grant" })).toEqual({
      ok: false,
      reason: "STE: domains 1 and 2 share no type; grant denied",
    });
  });

  it("checks a domain's devices before it starts", () => {
    const v = ste.decide(DEFAULT_ACM_POLICY, s, {
      kind: "start",
      domain: { domid: 3, label: GUEST_A },
      resources: [{ id: "d1", label: realmDiskLabel("s0:c3,c4"), what: "block device" }],
    });
    expect(v).toMatchObject({ ok: false, reason: expect.stringMatching(/VM's access to block device d1 denied/) });
  });
});

describe("STE on a host: channels and grants FLASK would allow", () => {
  it("denies an event channel between domains that share no STE type", () => {
    const { hv, create } = testHost({ acmPolicy: split });
    const mgmtA = create(DOM0, MGMT_A);
    const guestA = create(DOM0, GUEST_A);
    const r = refused(hv, (ctx) => allocUnbound(ctx, MGMT_A, guestA, mgmtA));
    expect(r.error).toMatchObject({ code: "EACCES", message: expect.stringMatching(/STE: domains 2 and 1 share no type; event channel denied/) });
    expect(r.avc).toEqual([]);
    expect(r.after).toEqual(r.before);
  });

  it("denies a grant mapping between them", () => {
    const { hv, create } = testHost({ acmPolicy: split });
    const mgmtA = create(DOM0, MGMT_A);
    const guestA = create(DOM0, GUEST_A);
    const { gref } = hv.run((ctx) => grantAccess(ctx, DOM0, guestA, mgmtA, false));
    const r = refused(hv, (ctx) => map(ctx, MGMT_A, mgmtA, guestA, gref, false));
    expect(r.error.message).toMatch(/STE: .*grant denied/);
  });

  it("allows both with STE off (the module is per host)", () => {
    const { hv, create } = testHost({ acmPolicy: split, acm: "chinese-wall" });
    const mgmtA = create(DOM0, MGMT_A);
    const guestA = create(DOM0, GUEST_A);
    expect(hv.run((ctx) => allocUnbound(ctx, MGMT_A, guestA, mgmtA)).port).toBeGreaterThan(0);
  });
});
