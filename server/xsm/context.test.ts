import { describe, expect, it } from "vitest";
import { canonicalContext, formatContextLibsepol, parseContext, parseContextUnchecked } from "./context";
import { loadRealmPolicy } from "./load";
import { levelDom, levelEq, levelIncomp, levelRelation } from "./mls";

const p = loadRealmPolicy();
const G = "system_u:system_r:realm_guest_t";
const level = (text: string) => parseContext(p, `${G}:${text}`).range.low;

describe("canonical contexts", () => {
  it.each([
    ["s0:c1,c2,c3", "s0:c1.c3"],
    ["s0:c3,c1,c2", "s0:c1.c3"],
    ["s0:c1,c2", "s0:c1,c2"],
    ["s0:c1.c2", "s0:c1,c2"],
    ["s0:c873,c12", "s0:c12,c873"],
    ["s0:c12,c12,c873", "s0:c12,c873"],
    ["s0:c0.c3,c5,c7.c9", "s0:c0.c3,c5,c7.c9"],
    ["s0:c62,c63,c64", "s0:c62.c64"],
    ["s0-s0", "s0"],
    ["s0:c1-s0:c1", "s0:c1"],
    ["s0-s0:c0.c1023", "s0-s0:c0.c1023"],
  ])("%s prints as %s", (input, out) => {
    expect(canonicalContext(p, `${G}:${input}`)).toBe(`${G}:${out}`);
  });

  it("prints the primary name of an aliased type", () => {
    expect(canonicalContext(p, "system_u:system_r:guest_t:s0")).toBe("system_u:system_r:domU_t:s0");
  });

  it("accepts what libsepol accepts, including text after a complete high level", () => {
    expect(canonicalContext(p, `${G}:s0-s0:c1-ignored`)).toBe(`${G}:s0-s0:c1`);
  });

  it.each([
    ["no level in an MLS policy", `${G}`],
    ["empty level", `${G}:`],
    ["unknown sensitivity", `${G}:s1`],
    ["unknown category", `${G}:s0:c1024`],
    ["reversed category range", `${G}:s0:c5.c2`],
    ["empty category range", `${G}:s0:c3.c3`],
    ["trailing comma", `${G}:s0:c1,`],
    ["attribute as type", "system_u:system_r:realm_domain:s0"],
    ["unknown user", "nobody_u:system_r:realm_guest_t:s0"],
  ])("refuses %s", (_why, text) => {
    expect(parseContextUnchecked(p, text)).toBeUndefined();
    expect(() => parseContext(p, text)).toThrow(expect.objectContaining({ code: "EINVAL" }));
  });

  it.each([
    ["a role that does not hold the type", "system_u:system_r:realm_disk_t:s0"],
    ["high below low", `${G}:s0:c1,c2-s0:c1`],
  ])("parses but invalidates %s", (_why, text) => {
    expect(parseContextUnchecked(p, text)).toBeDefined();
    expect(() => parseContext(p, text)).toThrow(/invalid security context/);
  });

  it("lets object_r hold any type, as libsepol does", () => {
    expect(canonicalContext(p, "system_u:object_r:realm_guest_t:s0")).toBe("system_u:object_r:realm_guest_t:s0");
  });

  it("reproduces libsepol 3.4's category printer, including its node-boundary quirk", () => {
    const ctx = parseContext(p, `${G}:s0:c62,c63,c200`);
    expect(formatContextLibsepol(p, ctx)).toBe(`${G}:s0:c62,c191,c200`);
    expect(canonicalContext(p, `${G}:s0:c62,c63,c200`)).toBe(`${G}:s0:c62,c63,c200`);
    expect(formatContextLibsepol(p, parseContext(p, `${G}:s0:c12,c873`))).toBe(`${G}:s0:c12,c873`);
  });
});

describe("dominance", () => {
  it.each([
    ["s0:c12,c873", "s0:c12,c873", "eq"],
    ["s0:c12,c873", "s0:c12", "dom"],
    ["s0:c12,c873", "s0", "dom"],
    ["s0", "s0:c1", "domby"],
    ["s0:c12,c873", "s0:c1,c5", "incomp"],
    ["s0:c0.c1023", "s0:c12,c873", "dom"],
  ])("%s vs %s: %s", (a, b, rel) => {
    const l1 = level(a);
    const l2 = level(b);
    expect(levelRelation(l1, l2)).toBe(rel);
    expect(levelEq(l1, l2)).toBe(rel === "eq");
    expect(levelDom(l1, l2)).toBe(rel === "eq" || rel === "dom");
    expect(levelIncomp(l1, l2)).toBe(rel === "incomp");
  });
});
