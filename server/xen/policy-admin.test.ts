import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { REALM_POLICY_PATH, SecurityServer, guestLabel, managementLabel } from "../xsm";
import { canaryQueries, compareDecisions, compilePolicyBytes, diffSummary, formatDiffSummary, lifecycleNeeds, validatePolicy } from "./policy-admin";

/** Validation of an operator's FLASK policy before any host loads it, and the diff summary every load is audited with. */

const realmTe = readFileSync(REALM_POLICY_PATH, "utf8");
const bytes = (text: string) => Buffer.from(text);
const acme = { categoryLow: 12, categoryHigh: 873, name: "acme" };
const edit = (from: string, to: string) => {
  expect(realmTe).toContain(from);
  return realmTe.replace(from, to);
};
const failed = (text: string, realms = [acme]) => validatePolicy(bytes(text), "candidate.te", realms).validation.checks.filter((c) => !c.ok);

describe("validatePolicy", () => {
  it("accepts the built-in realm policy on every check", () => {
    const { validation } = validatePolicy(bytes(realmTe), "realm.te", [acme, { categoryLow: 1, categoryHigh: 5 }]);
    expect(validation).toEqual({ ok: true, checks: ["compiles", "realm-model", "golden-decisions", "realm-access"].map((name) => ({ name, ok: true, reasons: [] })) });
  });

  it("refuses text that does not compile, naming the file and line", () => {
    const text = edit("bool realm_mgmt_debug false;", "bool realm_mgmt_debug false;\nallow realm_mgmt_t missing_t : domain pause;");
    const line = text.split("\n").findIndex((l) => l.includes("missing_t")) + 1;
    expect(failed(text)).toEqual([{ name: "compiles", ok: false, reasons: [`candidate.te:${line}: unknown type 'missing_t'`] }]);
  });

  it("refuses a policy that drops a permission of a class the hypervisor checks", () => {
    const text = edit("class grant\n", "class grant\n").replace(/(class grant\s*\{[^}]*?)\bsetup\b/, "$1");
    const reasons = failed(text).flatMap((c) => c.reasons);
    expect(reasons.join("\n")).toMatch(/setup/);
  });

  it("refuses a policy without the realm model's labels (Xen's upstream policy)", () => {
    const xen = readFileSync(new URL("../xsm/oracle/fixtures/xen/xen.mlsfix.bin", import.meta.url));
    const { validation } = validatePolicy(xen, "policy.30", []);
    expect(validation.ok).toBe(false);
    expect(validation.checks.map((c) => c.name)).toEqual(["compiles", "realm-model"]);
    expect(validation.checks[1]!.reasons).toContainEqual(expect.stringMatching(/^label of the guest \(system_u:system_r:realm_guest_t:s0:c1,c2\) is not valid/));
  });

  it("refuses a policy that breaks a golden decision (debugging a guest without the boolean)", () => {
    const text = `${realmTe}\nallow realm_mgmt_t realm_guest_t : domain setdebugging;\n`;
    expect(failed(text)).toEqual([{ name: "golden-decisions", ok: false, reasons: [expect.stringMatching(/^golden case ".*": expected denied setdebugging, got allowed$/)] }]);
  });

  it("refuses a policy that would lock a realm out of its own guests, naming the realm and the permissions", () => {
    const text = edit("getdomaininfo getvcpuinfo setvcpucontext getvcpucontext max_vcpus", "getdomaininfo getvcpuinfo setvcpucontext max_vcpus");
    expect(failed(text, [acme])).toEqual([{ name: "realm-access", ok: false, reasons: ["realm acme (s0:c12,c873) would lose domain { getvcpucontext } on its own guests"] }]);
    expect(failed(text, [])).toEqual([]);
  });

  it("derives the lifecycle's needs from the operation table", () => {
    const needs = lifecycleNeeds();
    expect([...needs.get("domain")!]).toEqual(expect.arrayContaining(["create", "pause", "unpause", "destroy", "max_vcpus", "setdomainmaxmem"]));
    expect(needs.get("domain")!.has("setdebugging")).toBe(false);
  });
});

describe("diffSummary", () => {
  const base = compilePolicyBytes(bytes(realmTe), "realm.te");

  it("counts nothing for the same policy", () => {
    expect(formatDiffSummary(diffSummary(base, base))).toBe("types +0/-0, classes +0/-0, rules +0/-0, permissions +0/-0, booleans +0/-0");
  });

  it("counts added and removed types, rules, permissions and booleans", () => {
    const next = compilePolicyBytes(
      bytes(edit("bool realm_mgmt_debug false;", "bool realm_mgmt_debug false;\nbool extra_b true;\ntype probe_t, domain_type;\nallow probe_t xen_t : xen2 *;").replace("setpodtarget set_virq_handler transition", "setpodtarget set_virq_handler")),
      "next.te",
    );
    const d = diffSummary(base, next);
    expect(d.types).toEqual({ added: 1, removed: 0 });
    expect(d.booleans).toEqual({ added: 1, removed: 0 });
    expect(d.classes).toEqual({ added: 0, removed: 0 });
    expect(d.rules.added).toBeGreaterThan(1);
    expect(d.rules.removed).toBe(0);
    expect(d.permissions.removed).toBe(1);
    expect(diffSummary(next, base)).toEqual({ types: { added: 0, removed: 1 }, classes: d.classes, rules: { added: 0, removed: d.rules.added }, permissions: { added: d.permissions.removed, removed: d.permissions.added }, booleans: { added: 0, removed: 1 } });
  });

  it("counts everything as added against no policy", () => {
    expect(diffSummary(null, base).types.removed).toBe(0);
    expect(diffSummary(null, base).types.added).toBe(base.types.filter((t) => !t.isAttribute).length);
  });
});

describe("compareDecisions (the canary's evidence)", () => {
  it("reports the permissions a new policy grants or revokes on the host's label pairs", () => {
    const next = compilePolicyBytes(bytes(`${realmTe}\nallow realm_mgmt_t self : hvm getparam;\n`), "next.te");
    const labels = [managementLabel(acme), guestLabel(acme)];
    const c = compareDecisions(new SecurityServer(compilePolicyBytes(bytes(realmTe), "realm.te")), new SecurityServer(next), canaryQueries(labels));
    expect(c.compared).toBe(canaryQueries(labels).length);
    expect(c.differences).toEqual([{ source: labels[0], target: labels[0], tclass: "hvm", origin: "host domains", granted: ["getparam"], revoked: [] }]);
    expect(c.differing).toBe(1);
  });
});
