import { describe, expect, it } from "vitest";
import type { AcmPolicy } from "../types";
import { createDomain, destroyDomain, lifecycle } from "../domains";
import { DEFAULT_ACM_POLICY, DOM0, GUEST_A, MGMT_A, MGMT_B, refused, testHost } from "../test-host";
import { chineseWall } from "./chinese-wall";
import { emptyAcmState } from "../state";

const rivals: AcmPolicy = { ...DEFAULT_ACM_POLICY, name: "rivals", conflictSets: [{ name: "rivals", types: ["realm:c1,c2", "realm:c3,c4"] }] };

describe("Chinese Wall (pure)", () => {
  it("blocks the other members of a conflict set while a domain of one runs, and undoes it on destroy", () => {
    const a = { domid: 1, label: MGMT_A };
    const started = chineseWall.decide(rivals, emptyAcmState(), { kind: "start", domain: a, resources: [] });
    expect(started).toEqual({ ok: true, state: { chineseWall: { running: { "realm:c1,c2": 1 }, blocked: { "realm:c3,c4": 1 }, admitted: { "1": ["realm:c1,c2"] } } } });
    if (!started.ok) return;
    const b = chineseWall.decide(rivals, started.state, { kind: "start", domain: { domid: 2, label: MGMT_B }, resources: [] });
    expect(b).toMatchObject({ ok: false, reason: expect.stringMatching(/type realm:c3,c4 of domain 2 conflicts .*rivals/) });
    const released = chineseWall.decide(rivals, started.state, { kind: "destroy", domid: 1 });
    expect(released).toEqual({ ok: true, state: emptyAcmState() });
  });

  it("lets several domains of the same type run together", () => {
    let state = emptyAcmState();
    for (const domid of [1, 2, 3]) {
      const v = chineseWall.decide(rivals, state, { kind: "start", domain: { domid, label: GUEST_A }, resources: [] });
      expect(v.ok).toBe(true);
      if (v.ok) state = v.state;
    }
    expect(state.chineseWall.running).toEqual({ "realm:c1,c2": 3 });
    expect(state.chineseWall.blocked).toEqual({ "realm:c3,c4": 3 });
  });
});

describe("Chinese Wall on a host", () => {
  it("refuses to start a conflicting realm's domain, changing nothing; destroying the other lifts the wall", () => {
    const { hv, create } = testHost({ acmPolicy: rivals });
    const mgmtA = create(DOM0, MGMT_A);
    const mgmtB = create(DOM0, MGMT_B, { start: false });
    const r = refused(hv, (ctx) => lifecycle(ctx, DOM0, "domain.start", mgmtB));
    expect(r.error).toMatchObject({ code: "EACCES", message: expect.stringMatching(/Chinese Wall/) });
    expect(r.after).toEqual(r.before);
    hv.run((ctx) => destroyDomain(ctx, DOM0, mgmtA));
    hv.run((ctx) => lifecycle(ctx, DOM0, "domain.start", mgmtB));
    expect(hv.snapshot().acm.chineseWall).toEqual({ running: { "realm:c3,c4": 1 }, blocked: { "realm:c1,c2": 1 }, admitted: { [mgmtB]: ["realm:c3,c4"] } });
  });

  it("pausing and resuming keep the wall; an incoming migration is admitted like a start", () => {
    const { hv, create } = testHost({ acmPolicy: rivals });
    const mgmtA = create(DOM0, MGMT_A);
    hv.run((ctx) => lifecycle(ctx, DOM0, "domain.pause", mgmtA));
    hv.run((ctx) => lifecycle(ctx, DOM0, "domain.resume", mgmtA));
    expect(hv.snapshot().acm.chineseWall.running).toEqual({ "realm:c1,c2": 1 });
    const r = refused(hv, (ctx) => createDomain(ctx, DOM0, { uuid: crypto.randomUUID(), name: "in", label: MGMT_B, vcpus: 1, memoryMb: 256 }, "domain.migrate-in"));
    expect(r.error.message).toMatch(/Chinese Wall/);
    expect(r.after).toEqual(r.before);
  });

  it("replays running domains on a policy reload and refuses the reload on conflict, keeping the old policy", () => {
    const { hv, create } = testHost();
    create(DOM0, MGMT_A);
    create(DOM0, MGMT_B);
    const before = hv.snapshot();
    const r = (() => {
      try {
        hv.loadAcmPolicy(DOM0, rivals);
        return null;
      } catch (e) {
        return e as { code: string; message: string };
      }
    })();
    expect(r).toMatchObject({ code: "EACCES", message: expect.stringMatching(/policy reload refused: Chinese Wall/) });
    expect(hv.snapshot()).toEqual(before);
    expect(hv.acm.policy).toBe("realmgate-default");
  });

  it("accepts a reload without conflict and rebuilds the counters from nothing", () => {
    const { hv, create } = testHost();
    create(DOM0, MGMT_A);
    hv.loadAcmPolicy(DOM0, rivals);
    expect(hv.acm.policy).toBe("rivals");
    expect(hv.snapshot().acm.chineseWall.blocked).toEqual({ "realm:c3,c4": 1 });
    expect(hv.drainAvc()).toEqual([
      "avc:  granted  { load_policy } for source=0 scontext=system_u:system_r:dom0_t:s0-s0:c0.c1023 tcontext=system_u:object_r:security_t:s0 tclass=security",
    ]);
  });

  it("denies a realm's management domain loading an ACM policy", () => {
    const { hv, create } = testHost();
    create(DOM0, MGMT_A);
    expect(() => hv.loadAcmPolicy(MGMT_A, rivals)).toThrow(/XSM denied \{ load_policy \}/);
    expect(hv.drainAvc()[0]).toMatch(/^avc:  denied  \{ load_policy \} for source=1 /);
    expect(hv.acm.policy).toBe("realmgate-default");
  });
});
