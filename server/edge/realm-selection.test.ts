import { describe, expect, it } from "vitest";
import { orgHref, orgSelection, switchOrgHref } from "./realm-selection";

describe("orgSelection: which organization a request names", () => {
  it.each([
    ["absent means the first organization", undefined, null],
    ["null means the first organization", null, null],
    ["an empty value means the first organization", "", null],
    ["blanks mean the first organization", "   ", null],
    ["a slug names that organization", "globex", "globex"],
    ["surrounding blanks are not part of the slug", " globex ", "globex"],
    ["a repeated parameter names its first value, as URLSearchParams.get does", ["globex", "acme"], "globex"],
    ["a value that cannot be a slug still names an organization (one that matches nothing), never the first", "../acme", "../acme"],
  ] as const)("%s", (_, raw, expected) => {
    expect(orgSelection(raw as string | string[] | null | undefined)).toBe(expected);
  });
});

describe("orgHref: links keep the tab's organization", () => {
  it("leaves a path alone without a selection", () => expect(orgHref("/realm", null)).toBe("/realm"));
  it("adds the organization", () => expect(orgHref("/realm/vms/123", "globex")).toBe("/realm/vms/123?org=globex"));
  it("keeps other parameters and replaces an earlier organization", () =>
    expect(orgHref("/realm?tab=audit&org=acme", "globex")).toBe("/realm?tab=audit&org=globex"));
  it("encodes what it adds", () => expect(orgHref("/realm", "a&b=c")).toBe("/realm?org=a%26b%3Dc"));
});

describe("switchOrgHref: the switcher's destination", () => {
  it.each([
    ["the realm overview stays the overview", "/realm", "/realm?org=globex"],
    ["a realm section stays that section", "/realm/people", "/realm/people?org=globex"],
    ["a VM's page becomes the other realm's overview (the VM is not there)", "/realm/vms/6f1c2c6e-3f55-4a4e-9d0e-0c8b7f3e2a11", "/realm?org=globex"],
    ["a page outside the realm stays that page", "/account", "/account?org=globex"],
  ] as const)("%s", (_, from, to) => {
    expect(switchOrgHref(from, "globex")).toBe(to);
  });
});
