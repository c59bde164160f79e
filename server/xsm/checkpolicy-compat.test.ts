import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { defaultBools } from "./booleans";
import { compilePolicy } from "./compile";
import { computeAv } from "./compute-av";
import { canonicalContext, parseContext } from "./context";
import { XsmError } from "./errors";
import { tokenize } from "./lexer";
import { parsePolicy } from "./parser";
import { SourceMap } from "./source-map";
import { computeTransition } from "./transition";

/**
 * What checkpolicy accepts that the engine used to refuse (issue 15, item 1): empty
 * statements, `role object_r types`, policies without MLS, and `#line` directives so errors
 * name the original file. Xen's own policy (both builds) is the real-world check.
 */

const here = path.dirname(fileURLToPath(import.meta.url));
const XEN = path.join(here, "oracle", "fixtures", "xen");
const xenText = (build: "nomls" | "mlsfix"): string => readFileSync(path.join(XEN, `policy.${build}.conf`), "utf8");

function errorOf(fn: () => unknown): XsmError {
  try {
    fn();
  } catch (e) {
    if (e instanceof XsmError) return e;
    throw e;
  }
  throw new Error("expected an XsmError");
}

/** A policy without MLS: no sensitivities, categories, levels or mlsconstrain. */
const NO_MLS = `class xen
class domain
class event
sid xen
sid dom0
class xen { settime }
class domain { create pause transition }
class event { bind send create }
attribute doms;
type xen_t, doms;
type dom0_t, doms;
type guest_t, doms;
type chan_t;
;
allow dom0_t doms : domain { create pause };
allow guest_t guest_t : domain pause;
type_transition guest_t dom0_t : event chan_t;
role system_r;
role system_r types { doms };
role object_r types { chan_t };
;
user system_u roles { system_r };
user other_u roles { system_r };
constrain domain pause (u1 == u2 or t1 == dom0_t);
sid xen system_u:system_r:xen_t
sid dom0 system_u:system_r:dom0_t
`;

describe("empty statements", () => {
  it("accepts ';' wherever a top-level statement may appear, as checkpolicy's te_rbac_decl does", () => {
    expect(parsePolicy(";\n;;\ntype a_t;\n;\nattribute b;\n;", "x.te").map((s) => s.kind)).toEqual(["type", "attribute"]);
  });

  it("still refuses ';' inside a conditional block (checkpolicy's cond_rule_def has no empty rule)", () => {
    expect(() => parsePolicy("if (b) { ; }", "x.te")).toThrow("x.te:1: expected rule at ';'");
  });
});

describe("role object_r types", () => {
  it("is accepted and changes no decision (object_r contexts skip the role/type check)", () => {
    const withTypes = compilePolicy(NO_MLS, "n.te");
    const without = compilePolicy(NO_MLS.replace("role object_r types { chan_t };", ""), "n.te");
    expect([...withTypes.roles[withTypes.objectRole - 1]!.types].some(Boolean)).toBe(false);
    expect(canonicalContext(withTypes, "system_u:object_r:guest_t")).toBe(canonicalContext(without, "system_u:object_r:guest_t"));
  });

  it("still resolves the type names, so a typo is an error with its line", () => {
    const e = errorOf(() => compilePolicy(NO_MLS.replace("role object_r types { chan_t }", "role object_r types { chan_tt }"), "n.te"));
    expect(e.message).toMatch(/^n\.te:\d+: unknown type 'chan_tt'$/);
  });
});

describe("a policy without MLS (Xen's default build)", () => {
  const p = compilePolicy(NO_MLS, "n.te");
  const bools = defaultBools(p);

  it("compiles, with contexts that have no level", () => {
    expect(p.mls).toBe(false);
    expect(p.initialSids.map((s) => s.context)).toEqual(["system_u:system_r:xen_t", "system_u:system_r:dom0_t"]);
    expect(canonicalContext(p, "system_u:system_r:guest_t")).toBe("system_u:system_r:guest_t");
  });

  it("refuses a context with a level, even an empty one, as libsepol's context_from_record does", () => {
    expect(() => parseContext(p, "system_u:system_r:guest_t:s0")).toThrow(/does not parse/);
    expect(() => parseContext(p, "system_u:system_r:guest_t:")).toThrow(/does not parse/);
  });

  it("decides without MLS: TE, constraints and transitions only", () => {
    const dom0 = parseContext(p, "system_u:system_r:dom0_t");
    const guest = parseContext(p, "system_u:system_r:guest_t");
    const otherGuest = parseContext(p, "other_u:system_r:guest_t");
    const domain = p.classByName.get("domain")!;
    const bit = (name: string): number => 1 << domain.permBits.get(name)!;
    expect(computeAv(p, bools, dom0, guest, domain.value).allowed).toBe(bit("create") | bit("pause"));
    expect(computeAv(p, bools, guest, guest, domain.value).allowed).toBe(bit("pause"));
    const crossUser = computeAv(p, bools, guest, otherGuest, domain.value);
    expect(crossUser.allowed).toBe(0);
    expect(crossUser.reasons.pause).toMatchObject({ layer: "constraint" });
    const chan = computeTransition(p, bools, guest, dom0, p.classByName.get("event")!.value);
    expect(canonicalContext(p, `system_u:object_r:${p.types[chan.type - 1]!.name}`)).toBe("system_u:object_r:chan_t");
  });

  it.each([
    ["category c0;", "'category'"],
    ["level s0;", "'level'"],
    ["dominance { s0 }", "'dominance'"],
    ["mlsconstrain domain pause (l1 eq l2);", "'mlsconstrain'"],
  ])("refuses %s like checkpolicy without -M", (statement, what) => {
    const e = errorOf(() => compilePolicy(NO_MLS + statement + "\n", "n.te"));
    expect(e.message).toBe(`n.te:${NO_MLS.split("\n").length}: ${what} in a policy without MLS (no sensitivities declared)`);
  });

  it("refuses a user level and a context level", () => {
    expect(() => compilePolicy(NO_MLS.replace("user other_u roles { system_r };", "user other_u roles { system_r } level s0 range s0;"), "n.te")).toThrow(
      /a level or range for user other_u in a policy without MLS/,
    );
    expect(() => compilePolicy(NO_MLS.replace("sid xen system_u:system_r:xen_t", "sid xen system_u:system_r:xen_t:s0"), "n.te")).toThrow(
      /a context in a policy without MLS has no level/,
    );
  });
});

describe("#line directives", () => {
  it("maps physical lines to the original file and line (m4 -s and cpp forms)", () => {
    const text = ['#line 1 "a.te"', "x", "y", "#line 40", "z", '# 7 "b.if"', "w", "v"].join("\n");
    const map = SourceMap.scan(text, "out.conf");
    expect([2, 3, 5, 7, 8].map((l) => map.where(l))).toEqual(["a.te:1", "a.te:2", "a.te:40", "b.if:7", "b.if:8"]);
    expect(SourceMap.scan("a\nb", "plain.te").where(2)).toBe("plain.te:2");
  });

  it("a comment that merely starts with a number is not a directive", () => {
    expect(SourceMap.scan("# 42 is the answer\nx", "f.te").where(2)).toBe("f.te:2");
  });

  it("lexer errors name the original file", () => {
    expect(() => tokenize('#line 10 "orig.te"\ntype a_t;\n@', "out.conf", SourceMap.scan('#line 10 "orig.te"\ntype a_t;\n@', "out.conf"))).toThrow(
      "orig.te:11: unexpected character '@'",
    );
  });

  it("an error in Xen's policy names the module file and line, not the m4 output", () => {
    const text = xenText("nomls");
    expect(errorOf(() => compilePolicy(text.replace("type domio_t, xen_type;", "type domio_t, xen_typo;"), "policy.conf")).message).toBe(
      "modules/xen.te:34: unknown type 'xen_typo'",
    );
    expect(
      errorOf(() => compilePolicy(text.replace("allow dom0_t dom0_t:domain2 get_vnumainfo;", "allow dom0_t dom0_t:domain2 get_vnumainfox;"), "policy.conf")).file,
    ).toBe("modules/xen.te");
    expect(errorOf(() => compilePolicy(text.replace("role vm_r types { domain_type -dom0_t };", "role vm_r types { domain_type -dom0_tt };"), "p")).message).toBe(
      "modules/vm_role.te:4: unknown type 'dom0_tt'",
    );
  });

  it("constraint reasons carry the original position", () => {
    const p = compilePolicy(xenText("mlsfix"), "policy.conf");
    const c = p.classByName.get("domain")!.constraints[0]!;
    expect(c.file).toBe("policy/mls");
    expect(c.line).toBeGreaterThan(0);
  });
});

describe("Xen's own policy compiles unchanged", () => {
  it.each(["nomls", "mlsfix"] as const)("policy.%s.conf", (build) => {
    const p = compilePolicy(xenText(build), `policy.${build}.conf`);
    expect(p.mls).toBe(build === "mlsfix");
    expect(p.classes.map((c) => c.name).slice(0, 3)).toEqual(["xen", "xen2", "domain"]);
    expect(p.initialSids.map((s) => s.name)).toContain("domU");
    expect(p.avtab.size).toBeGreaterThan(400);
    expect(p.bools.map((b) => b.name).sort()).toEqual(["guest_writeconsole", "prot_doms_locked"]);
    const dom0 = parseContext(p, build === "mlsfix" ? "system_u:system_r:dom0_t:s0" : "system_u:system_r:dom0_t");
    const domU = parseContext(p, build === "mlsfix" ? "system_u:system_r:domU_t:s0" : "system_u:system_r:domU_t");
    const domain = p.classByName.get("domain")!;
    const allowed = computeAv(p, defaultBools(p), dom0, domU, domain.value).allowed;
    expect(allowed & (1 << domain.permBits.get("pause")!)).not.toBe(0);
    expect(computeAv(p, defaultBools(p), domU, dom0, domain.value).allowed & (1 << domain.permBits.get("pause")!)).toBe(0);
  });
});
