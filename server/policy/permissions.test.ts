import { describe, expect, it } from "vitest";
import { PERMISSIONS, ROLE_GRANTS, decidePermission, type Role } from "./permissions";

describe("permission decisions", () => {
  const expected: Record<Role, string[]> = {
    owner: [...PERMISSIONS],
    // Everyone's API tokens are the owners' alone to list and revoke.
    // So are cross-realm sharing agreements (issue 15 part 5).
    admin: PERMISSIONS.filter((p) => p !== "realm.tokens.manage" && p !== "realm.agreements.manage"),
    operator: ["realm.read", "vm.read", "realm.members.read", "vm.start", "vm.stop", "vm.pause", "vm.resume", "vm.reboot", "vm.console"],
    viewer: ["realm.read", "vm.read", "realm.members.read"],
  };

  it.each(Object.entries(expected))("%s holds exactly its grants", (role, grants) => {
    for (const permission of PERMISSIONS) {
      expect(decidePermission(role, permission).allowed, `${role} ${permission}`).toBe(grants.includes(permission));
    }
  });

  it("denies an unknown role, whatever the permission", () => {
    expect(decidePermission("superuser", "vm.read")).toEqual({ allowed: false, rule: "role:unknown", reason: "unknown role 'superuser'" });
  });

  it("denies an unknown permission even to the owner", () => {
    expect(decidePermission("owner", "vm.teleport")).toMatchObject({ allowed: false, rule: "permission:unknown" });
  });

  it("names the rule for a denial", () => {
    expect(decidePermission("viewer", "vm.start")).toEqual({
      allowed: false,
      rule: "role:viewer lacks vm.start",
      reason: "your role (viewer) does not allow vm.start",
    });
  });

  it("grants only catalogued permissions", () => {
    for (const grants of Object.values(ROLE_GRANTS)) for (const p of grants) expect(PERMISSIONS).toContain(p);
  });
});
