import { describe, expect, it } from "vitest";
import type { AcmPolicy } from "../types";
import { realmDiskLabel } from "../../xsm";
import { attach } from "../devices";
import { emptyAcmState } from "../state";
import { DEFAULT_ACM_POLICY, DOM0, GUEST_A, MGMT_A, testHost } from "../test-host";
import { chineseWall } from "./chinese-wall";
import { acmModule, compose } from "./compose";

const rivals: AcmPolicy = { ...DEFAULT_ACM_POLICY, name: "rivals", conflictSets: [{ name: "rivals", types: ["realm:c1,c2", "realm:c3,c4"] }] };

describe("primary-then-secondary composition", () => {
  it("rolls back the Chinese Wall's admission when STE refuses the start", () => {
    const module = acmModule("chinese-wall+ste");
    const state = emptyAcmState();
    const event = {
      kind: "start" as const,
      domain: { domid: 3, label: GUEST_A },
      resources: [{ id: "foreign", label: realmDiskLabel("s0:c3,c4"), what: "block device" as const }],
    };
    // Alone, the primary would take the wall …
    expect(chineseWall.decide(rivals, state, event)).toMatchObject({ ok: true, state: { chineseWall: { running: { "realm:c1,c2": 1 } } } });
    // … composed, the secondary's refusal discards that change.
    const v = module.decide(rivals, state, event);
    expect(v).toMatchObject({ ok: false, reason: expect.stringMatching(/STE: VM's access to block device foreign denied .*\(chinese-wall change rolled back\)/) });
    expect(state).toEqual(emptyAcmState());
  });

  it("is the AND of both: the primary's refusal stops the secondary from being asked", () => {
    let asked = false;
    const spy = { name: "spy", decide: (_p: AcmPolicy, s: ReturnType<typeof emptyAcmState>) => ((asked = true), { ok: true as const, state: s }) };
    const refuse = { name: "no", decide: () => ({ ok: false as const, reason: "no" }) };
    expect(compose(refuse, spy).decide(rivals, emptyAcmState(), { kind: "destroy", domid: 1 })).toEqual({ ok: false, reason: "no" });
    expect(asked).toBe(false);
  });

  it("refuses a reload the secondary rejects and keeps the primary's old counters and the old policy", () => {
    const { hv, create } = testHost();
    create(DOM0, MGMT_A);
    const guestA = create(MGMT_A, GUEST_A);
    hv.run((ctx) => attach(ctx, MGMT_A, guestA, { kind: "vbd", id: "disk-a", label: realmDiskLabel("s0:c1,c2"), readOnly: false }));
    const before = hv.snapshot();
    // The new policy's Chinese Wall replays fine (it blocks c9,c10), but its STE takes the disk away.
    const next: AcmPolicy = {
      ...DEFAULT_ACM_POLICY,
      name: "next",
      conflictSets: [{ name: "x", types: ["realm:c1,c2", "realm:c9,c10"] }],
      labels: [...DEFAULT_ACM_POLICY.labels, { match: realmDiskLabel("s0:c1,c2"), wall: [], ste: ["quarantine"] }],
    };
    expect(() => hv.loadAcmPolicy(DOM0, next)).toThrow(/policy reload refused: STE: VM's access to block device disk-a denied .*rolled back/);
    expect(hv.snapshot()).toEqual(before);
    expect(hv.snapshot().acm.chineseWall.blocked).toEqual({});
    expect(hv.acm.policy).toBe("realmgate-default");
  });
});
