import { describe, expect, it } from "vitest";
import { decideInvite, decideMemberChange } from "./people";

describe("people decisions", () => {
  it.each([
    ["an owner invites an owner", "owner", "owner", true],
    ["an admin invites an admin", "admin", "admin", true],
    ["an admin cannot invite an owner", "admin", "owner", false],
  ] as const)("%s", (_name, actor, role, allowed) => {
    expect(decideInvite(actor, role).allowed).toBe(allowed);
  });

  it.each([
    ["refuses to demote the last owner", { actor: "owner", from: "owner", to: "admin", owners: 1 }, "people:last-owner"],
    ["refuses to remove the last owner", { actor: "owner", from: "owner", to: null, owners: 1 }, "people:last-owner"],
    ["lets an owner demote an owner when another remains", { actor: "owner", from: "owner", to: "viewer", owners: 2 }, null],
    ["refuses an admin demoting an owner", { actor: "admin", from: "owner", to: "viewer", owners: 3 }, "people:owner-manages-owners"],
    ["refuses an admin promoting itself or anyone to owner", { actor: "admin", from: "admin", to: "owner", owners: 1 }, "people:owner-manages-owners"],
    ["lets an admin remove a viewer", { actor: "admin", from: "viewer", to: null, owners: 1 }, null],
    ["lets an owner keep an owner an owner (no-op)", { actor: "owner", from: "owner", to: "owner", owners: 1 }, null],
  ] as const)("%s", (_name, args, rule) => {
    const decision = decideMemberChange(args);
    if (rule === null) expect(decision).toEqual({ allowed: true });
    else expect(decision).toMatchObject({ allowed: false, rule });
  });
});
