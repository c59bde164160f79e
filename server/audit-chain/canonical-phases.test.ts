import { describe, expect, it } from "vitest";
import { canonicalRecord } from "./canonical";

/** Phases (migration audit_phases): parent_id and phase are covered by the record's MAC, and rows without them keep their exact form. */
describe("canonical form with phases", () => {
  const base = { realmId: "a0000000-0000-4000-8000-000000000000", actorId: null, actorTokenId: null, action: "vm.start", targetType: "vm", targetId: "x", decision: "allow" as const, layer: "worker", reason: "applied", requestId: "q", details: null, createdAt: new Date(1_000) };

  it("a record without phases reads exactly as before them (old rows keep verifying)", () => {
    const before = `${JSON.stringify(["realmgate.audit.record.v1", base.realmId, null, null, "vm.start", "vm", "x", "allow", "worker", "applied", "q", 1000])}\nnull`;
    expect(canonicalRecord(base)).toBe(before);
    expect(canonicalRecord({ ...base, parentId: null, phase: null })).toBe(before);
    expect(canonicalRecord({ ...base, parentId: undefined, phase: undefined })).toBe(before);
  });

  it("editing_a_phase_or_its_parent_changes_the_mac_input", () => {
    const applied = canonicalRecord({ ...base, parentId: 41n, phase: "applied" });
    expect(applied).not.toBe(canonicalRecord(base));
    expect(canonicalRecord({ ...base, parentId: "41", phase: "applied" })).toBe(applied);
    for (const change of [{ parentId: 42n }, { phase: "failed" }, { parentId: null }, { phase: null }]) {
      expect(canonicalRecord({ ...base, parentId: 41n, phase: "applied", ...change })).not.toBe(applied);
    }
    // A root: phase without parent, distinct from no phase at all.
    expect(canonicalRecord({ ...base, phase: "authorized" })).not.toBe(canonicalRecord(base));
  });
});
