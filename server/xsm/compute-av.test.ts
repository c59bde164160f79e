import { describe, expect, it } from "vitest";
import { compilePolicy } from "./compile";
import { computeAv } from "./compute-av";
import { parseContext } from "./context";
import type { CompiledPolicy } from "./policy";
import { miniPolicy } from "./testing/mini-policy";

/** compute_av against small policies, one constraint operator or layer at a time. */
function decide(p: CompiledPolicy, s: string, t: string, cls = "domain", bools = [false]) {
  return computeAv(p, bools, parseContext(p, s), parseContext(p, t), p.classByName.get(cls)!.value);
}

const DOM0 = "system_u:system_r:dom0_t";
const GUEST = "system_u:system_r:guest_t";
const UNPAUSE = 1 << 2;

describe("compute_av constraint operators", () => {
  const cases: [string, string, string, string, boolean][] = [
    ["u1 == u2", "(u1 == u2)", `${DOM0}:s0`, `${GUEST}:s0`, true],
    ["t1 == t2", "(t1 == t2)", `${DOM0}:s0`, `${GUEST}:s0`, false],
    ["t1 != t2", "(t1 != t2)", `${DOM0}:s0`, `${GUEST}:s0`, true],
    ["t2 == attribute", "(t2 == doms)", `${DOM0}:s0`, `${GUEST}:s0`, true],
    ["t1 == { a b }", "(t1 == { guest_t xen_t })", `${DOM0}:s0`, `${GUEST}:s0`, false],
    ["r1 dom r2", "(r1 dom r2)", `${DOM0}:s0`, `${GUEST}:s0`, true],
    ["r1 incomp r2", "(r1 incomp r2)", `${DOM0}:s0`, `${GUEST}:s0`, false],
    ["l1 dom l2", "(l1 dom l2)", `${DOM0}:s1:c1`, `${GUEST}:s0:c1`, true],
    ["l1 domby l2", "(l1 domby l2)", `${DOM0}:s1:c1`, `${GUEST}:s0:c1`, false],
    ["l1 incomp l2", "(l1 incomp l2)", `${DOM0}:s0:c1`, `${GUEST}:s0:c2`, true],
    ["h1 dom h2", "(h1 dom h2)", `${DOM0}:s0-s1:c0.c3`, `${GUEST}:s0-s1:c1`, true],
    ["l1 eq h1", "(l1 eq h1)", `${DOM0}:s0-s1`, `${GUEST}:s0`, false],
    ["l2 eq h2", "(l2 eq h2)", `${DOM0}:s0-s1`, `${GUEST}:s0`, true],
    ["not", "(not (u1 == u2))", `${DOM0}:s0`, `${GUEST}:s0`, false],
    ["and/or", "((t1 == t2) or (u1 == u2) and (r1 == r2))", `${DOM0}:s0`, `${GUEST}:s0`, true],
  ];
  it.each(cases)("%s", (_name, expr, s, t, expected) => {
    // Level operands are only legal in mlsconstrain, which lives in the MLS section.
    const isMls = /\b[lh][12]\b/.test(expr);
    const statement = `${isMls ? "mlsconstrain" : "constrain"} domain unpause ${expr};`;
    const text = miniPolicy(isMls ? { mls: `${statement}\n` } : { constraints: `${statement}\n` });
    const p = compilePolicy(text, "mini.te");
    const d = decide(p, s, t);
    expect((d.allowed & UNPAUSE) !== 0).toBe(expected);
    const line = text.split("\n").indexOf(statement) + 1;
    if (!expected) expect(d.reasons["unpause"]).toMatchObject({ layer: "constraint", line });
  });
});

describe("role dominance", () => {
  it("object_r does not dominate itself (checkpolicy gives it no dominance entry)", () => {
    const p = compilePolicy(miniPolicy({ te: "allow chan_t chan_t : event send;\n", constraints: "constrain event send (r1 dom r2);\n" }), "mini.te");
    const obj = "system_u:object_r:chan_t:s0";
    expect(decide(p, obj, obj, "event").allowed & 2).toBe(0);
    const q = compilePolicy(miniPolicy({ te: "allow chan_t chan_t : event send;\n", constraints: "constrain event send (r1 incomp r2);\n" }), "mini.te");
    expect(decide(q, obj, obj, "event").allowed & 2).toBe(2);
  });
});

describe("compute_av layers", () => {
  const p = compilePolicy(miniPolicy(), "mini.te");

  it("starts from nothing: no rule, no permission, reason te", () => {
    const d = decide(p, `${GUEST}:s0`, `${DOM0}:s0`);
    expect(d.allowed).toBe(0);
    expect(d.reasons["pause"]).toEqual({ layer: "te", detail: "no allow rule" });
  });

  it("applies the enabled branch of a conditional and names the boolean otherwise", () => {
    const off = decide(p, `${GUEST}:s0`, `${GUEST}:s0`, "domain", [false]);
    expect(off.allowed & 2).toBe(0);
    expect((off.auditdeny & 2) >>> 0).toBe(0); // dontaudit in the else branch
    expect(off.reasons["pause"]).toMatchObject({ layer: "boolean", booleans: ["guest_pause"] });
    const on = decide(p, `${GUEST}:s0`, `${GUEST}:s0`, "domain", [true]);
    expect(on.allowed & 2).toBe(2);
    expect(on.auditdeny >>> 0).toBe(0xffffffff);
  });

  it("removes process transition permissions on a role change without role allow", () => {
    const text = miniPolicy({ te: "role other_r;\nrole other_r types { doms };\n" }).replace("roles { system_r }", "roles { system_r other_r }");
    const q = compilePolicy(text, "mini.te");
    const d = decide(q, `${DOM0}:s0`, "system_u:other_r:guest_t:s0");
    expect(d.allowed & (1 << 3)).toBe(0);
    expect(d.reasons["transition"]?.layer).toBe("rbac");
    const allowed = compilePolicy(text.replace("role other_r types { doms };", "role other_r types { doms };\nallow system_r other_r;"), "mini.te");
    expect(decide(allowed, `${DOM0}:s0`, "system_u:other_r:guest_t:s0").allowed & (1 << 3)).toBe(1 << 3);
  });
});
