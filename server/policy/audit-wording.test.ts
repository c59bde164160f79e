import { describe, expect, it } from "vitest";
import { isRawRule, sayAction, sayReason } from "./audit-wording";

describe("the audit trail in words", () => {
  it("says actions as people do, and unknown ones readably", () => {
    expect(sayAction("vm.start")).toBe("Start VM");
    expect(sayAction("breakglass.grant")).toBe("Grant break-glass access");
    expect(sayAction("vm.frobnicate")).toBe("Vm frobnicate");
  });

  it("says the layers' rules in plain words, keeping what follows them", () => {
    expect(sayReason("role:owner grants vm.start", "allow")).toBe("An owner may start VM");
    expect(sayReason("role:viewer lacks audit.read", "deny")).toBe("A viewer may not read audit trail");
    expect(sayReason("role:operator lacks vm.create", "deny")).toBe("A VM operator may not create VM");
    expect(sayReason("role:owner grants vm.create; placed on xen-a", "allow")).toBe("An owner may create VM (placed on xen-a)");
    expect(sayReason("role:admin grants vm.start (break-glass grant 0b6c1e9a-0000-4000-8000-000000000000)", "allow")).toBe("An admin may start VM, through a break-glass grant");
    expect(sayReason("token:ci lacks vm.stop", "deny")).toBe("API token 'ci' does not carry the right to stop VM");
    expect(sayReason("VM not found in this realm (vm.start)", "deny")).toBe("No such VM in this realm");
    expect(sayReason("applied", "allow")).toBe("Applied");
  });

  it("marks a reason as a raw rule only when its words differ", () => {
    expect(isRawRule("role:owner grants vm.start", "allow")).toBe(true);
    expect(isRawRule("Signed in", "allow")).toBe(false);
  });
});
