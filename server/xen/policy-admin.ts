import { createHash } from "node:crypto";
import {
  DOM0_LABEL,
  DOMXEN_LABEL,
  SECURITY_LABEL,
  SHARED_IMAGE_LABEL,
  SecurityServer,
  XEN_LABEL,
  XsmError,
  compilePolicy,
  goldenSuite,
  guestLabel,
  isBinaryPolicy,
  loadBinaryPolicy,
  managementLabel,
  permNames,
  realmDiskLabel,
  realmLevel,
  realmNetLabel,
  type CompiledPolicy,
  type RealmCategory,
} from "../xsm";
import { OPERATIONS, type Check, type OperationName, type Role } from "./operations";

/**
 * Administration of the FLASK policy a fleet runs (pure: bytes and snapshots in, verdicts out).
 *
 * Threat: an operator's replacement policy is the one input that can silently switch the
 * hypervisor layer of realm isolation off (allow everything) or lock realms out of their own
 * VMs (allow nothing). Nothing reaches a host's security server before `validatePolicy` has
 * compiled it with the engine and checked it against what the realm model needs: the labels
 * and the operation table's classes and permissions, the golden decisions (which include the
 * cross-realm denials), and, for every existing realm, its management domain's permissions on
 * its own guests. `compareDecisions` is what a canary host reports: old vs new decisions on
 * the golden cases and its current domains' label pairs.
 */

export type PolicyFormat = "text" | "binary";

export function policySha256(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

export function policyFormat(bytes: Uint8Array): PolicyFormat {
  return isBinaryPolicy(bytes) ? "binary" : "text";
}

/** Compiles policy text or loads checkpolicy's binary output; errors are XsmError naming file:line (text) or offset (binary). */
export function compilePolicyBytes(bytes: Uint8Array, fileName: string): CompiledPolicy {
  if (isBinaryPolicy(bytes)) return loadBinaryPolicy(bytes, { fileName });
  return compilePolicy(Buffer.from(bytes).toString("utf8"), fileName);
}

export type ValidationCheckName = "compiles" | "realm-model" | "golden-decisions" | "realm-access";
export type ValidationCheck = { name: ValidationCheckName; ok: boolean; reasons: string[] };
export type PolicyValidation = { ok: boolean; checks: ValidationCheck[] };

const REASONS_SHOWN = 20;
const check = (name: ValidationCheckName, reasons: string[]): ValidationCheck => ({
  name,
  ok: reasons.length === 0,
  reasons: reasons.length > REASONS_SHOWN ? [...reasons.slice(0, REASONS_SHOWN), `… and ${reasons.length - REASONS_SHOWN} more`] : reasons,
});

/** Roles whose label is one of the realm's own guests in a lifecycle operation (create builds it, snapshots carry it). */
const GUEST_ROLES: ReadonlySet<Role> = new Set(["build", "domain", "saved"]);

/**
 * What the realm's lifecycle needs of the policy: the management domain's permissions on its
 * own guests, by class — every unconditional check of a `domain.*` operation whose subject is
 * the management domain and whose target is the guest (operations.ts), so the list cannot
 * drift from what the hypervisor asks.
 */
export function lifecycleNeeds(): Map<string, Set<string>> {
  const needs = new Map<string, Set<string>>();
  for (const [name, spec] of Object.entries(OPERATIONS) as [OperationName, { checks: readonly Check[] }][]) {
    if (!name.startsWith("domain.") || name === "domain.list") continue;
    for (const c of spec.checks) {
      if (c.source !== "subject" || !GUEST_ROLES.has(c.target) || c.when) continue;
      const perms = needs.get(c.tclass) ?? new Set<string>();
      for (const p of c.perms) perms.add(p);
      needs.set(c.tclass, perms);
    }
  }
  return needs;
}

/** Every class and permission the operation table names (the hypervisor asks for nothing else). */
function operationVocabulary(): Map<string, Set<string>> {
  const vocabulary = new Map<string, Set<string>>();
  for (const spec of Object.values(OPERATIONS) as { checks: readonly Check[] }[]) {
    for (const c of spec.checks) {
      const perms = vocabulary.get(c.tclass) ?? new Set<string>();
      for (const p of [...c.perms, ...(c.plus?.perms ?? [])]) perms.add(p);
      vocabulary.set(c.tclass, perms);
    }
  }
  return vocabulary;
}

/** A category pair no realm is given (the allocator starts above it): proves realm labels are valid at all. */
const SAMPLE_REALM: RealmCategory = { categoryLow: 1, categoryHigh: 2 };

function realmModelReasons(policy: CompiledPolicy, server: SecurityServer): string[] {
  const reasons: string[] = [];
  const fixed = { dom0: DOM0_LABEL, xen: XEN_LABEL, domxen: DOMXEN_LABEL, security: SECURITY_LABEL, "shared image": SHARED_IMAGE_LABEL };
  const realm = {
    "management domain": managementLabel(SAMPLE_REALM),
    guest: guestLabel(SAMPLE_REALM),
    disk: realmDiskLabel(realmLevel(SAMPLE_REALM)),
    network: realmNetLabel(realmLevel(SAMPLE_REALM)),
  };
  for (const [what, label] of Object.entries({ ...fixed, ...realm })) {
    try {
      server.contextToSid(label);
    } catch (error) {
      reasons.push(`label of the ${what} (${label}) is not valid: ${(error as Error).message}`);
    }
  }
  for (const [cls, perms] of operationVocabulary()) {
    const info = policy.classByName.get(cls);
    if (!info) {
      reasons.push(`class '${cls}' is not declared (the hypervisor checks it)`);
      continue;
    }
    const missing = [...perms].filter((p) => !info.permBits.has(p));
    if (missing.length) reasons.push(`class '${cls}' lacks permission(s) ${missing.join(", ")}`);
  }
  return reasons;
}

function goldenReasons(server: SecurityServer): string[] {
  const suite = goldenSuite();
  const reasons: string[] = [];
  for (const c of suite.cases) {
    try {
      const d = server.explain(server.contextToSid(suite.labels[c.source]!), server.contextToSid(suite.labels[c.target]!), c.class, c.perms);
      const denied = [...d.denied].sort();
      const expected = [...c.expect.denied].sort();
      if (denied.join() !== expected.join()) {
        reasons.push(`golden case "${c.name}": expected ${expected.length ? `denied ${expected.join(" ")}` : "allowed"}, got ${denied.length ? `denied ${denied.join(" ")}` : "allowed"}`);
      }
    } catch (error) {
      reasons.push(`golden case "${c.name}": ${(error as Error).message}`);
    }
  }
  return reasons;
}

function realmAccessReasons(server: SecurityServer, realms: readonly (RealmCategory & { name?: string })[]): string[] {
  const needs = lifecycleNeeds();
  const reasons: string[] = [];
  for (const realm of realms) {
    const who = `${realm.name ? `realm ${realm.name} ` : "realm "}(${realmLevel(realm)})`;
    try {
      const mgmt = server.contextToSid(managementLabel(realm));
      const guest = server.contextToSid(guestLabel(realm));
      for (const [cls, perms] of needs) {
        const d = server.explain(mgmt, guest, cls, [...perms]);
        if (d.denied.length) reasons.push(`${who} would lose ${cls} { ${d.denied.join(" ")} } on its own guests`);
      }
    } catch (error) {
      reasons.push(`${who}: ${(error as Error).message}`);
    }
  }
  return reasons;
}

/**
 * Validates a candidate policy before any host loads it. `realms` are every existing realm's
 * category pair (a policy that denies one of them its own VMs is refused with the realm named).
 * Returns the compiled policy when it compiled (even if a later check failed).
 */
export function validatePolicy(bytes: Uint8Array, fileName: string, realms: readonly (RealmCategory & { name?: string })[]): { validation: PolicyValidation; policy: CompiledPolicy | null } {
  let policy: CompiledPolicy;
  try {
    policy = compilePolicyBytes(bytes, fileName);
  } catch (error) {
    if (!(error instanceof XsmError)) throw error;
    return { validation: { ok: false, checks: [check("compiles", [error.message])] }, policy: null };
  }
  const server = new SecurityServer(policy);
  const checks = [check("compiles", []), check("realm-model", realmModelReasons(policy, server))];
  // A policy that lacks the realm model's vocabulary cannot be asked the questions below.
  if (checks[1]!.ok) checks.push(check("golden-decisions", goldenReasons(server)), check("realm-access", realmAccessReasons(server, realms)));
  return { validation: { ok: checks.every((c) => c.ok) && checks.length === 4, checks }, policy };
}

export type CountDiff = { added: number; removed: number };
export type PolicyDiffSummary = { types: CountDiff; classes: CountDiff; rules: CountDiff; permissions: CountDiff; booleans: CountDiff };

/**
 * The allow rules of a policy by name: `source target:class` → the mask of granted permission
 * names (attributes expanded, unconditional rules; conditional ones are counted per boolean).
 */
function allowRules(p: CompiledPolicy): Map<string, Set<string>> {
  const rules = new Map<string, Set<string>>();
  const n = p.types.length + 1;
  const typeName = (value: number) => p.types[value - 1]?.name ?? `#${value}`;
  for (const [key, entry] of p.avtab) {
    if (entry.allowed === 0) continue;
    const cls = p.classes[(key % 64) - 1];
    if (!cls) continue;
    const rest = Math.floor(key / 64);
    rules.set(`${typeName(Math.floor(rest / n))} ${typeName(rest % n)}:${cls.name}`, new Set(permNames(cls, entry.allowed)));
  }
  return rules;
}

function countDiff<T>(before: Iterable<T>, after: Iterable<T>): CountDiff {
  const a = new Set(before);
  const b = new Set(after);
  let added = 0;
  let removed = 0;
  for (const x of b) if (!a.has(x)) added++;
  for (const x of a) if (!b.has(x)) removed++;
  return { added, removed };
}

/**
 * What changes from `before` to `after`, as counts: declared types, classes, allow rules (a
 * source type, target type and class with anything granted), permissions (each granted
 * source-target-class-permission) and booleans. `before` null: everything is added.
 */
export function diffSummary(before: CompiledPolicy | null, after: CompiledPolicy): PolicyDiffSummary {
  const types = (p: CompiledPolicy | null) => (p ? p.types.filter((t) => !t.isAttribute).map((t) => t.name) : []);
  const classes = (p: CompiledPolicy | null) => (p ? p.classes.map((c) => c.name) : []);
  const bools = (p: CompiledPolicy | null) => (p ? p.bools.map((b) => b.name) : []);
  const rulesBefore = before ? allowRules(before) : new Map<string, Set<string>>();
  const rulesAfter = allowRules(after);
  const permissions: CountDiff = { added: 0, removed: 0 };
  for (const [rule, perms] of rulesAfter) {
    const old = rulesBefore.get(rule);
    for (const p of perms) if (!old?.has(p)) permissions.added++;
  }
  for (const [rule, perms] of rulesBefore) {
    const now = rulesAfter.get(rule);
    for (const p of perms) if (!now?.has(p)) permissions.removed++;
  }
  return {
    types: countDiff(types(before), types(after)),
    classes: countDiff(classes(before), classes(after)),
    rules: countDiff(rulesBefore.keys(), rulesAfter.keys()),
    permissions,
    booleans: countDiff(bools(before), bools(after)),
  };
}

export function formatDiffSummary(d: PolicyDiffSummary): string {
  const part = (what: string, c: CountDiff) => `${what} +${c.added}/-${c.removed}`;
  return [part("types", d.types), part("classes", d.classes), part("rules", d.rules), part("permissions", d.permissions), part("booleans", d.booleans)].join(", ");
}

export type DecisionQuery = { source: string; target: string; tclass: string; origin: string };
export type DecisionDifference = DecisionQuery & { granted: string[]; revoked: string[] };
export type DecisionComparison = { compared: number; differing: number; differences: DecisionDifference[] };

/** Classes a domain-to-domain label pair is asked about by the hypervisor. */
const PAIR_CLASSES = ["domain", "domain2", "mmu", "grant", "event", "hvm"] as const;

/**
 * The queries a canary host answers under both policies: every golden case, and each pair of
 * distinct labels among its current domains in every domain-to-domain class.
 */
export function canaryQueries(domainLabels: readonly string[], maxLabels = 64): DecisionQuery[] {
  const suite = goldenSuite();
  const queries: DecisionQuery[] = suite.cases.map((c) => ({ source: suite.labels[c.source]!, target: suite.labels[c.target]!, tclass: c.class, origin: `golden: ${c.name}` }));
  const labels = [...new Set(domainLabels)].slice(0, maxLabels);
  for (const s of labels) for (const t of labels) for (const tclass of PAIR_CLASSES) queries.push({ source: s, target: t, tclass, origin: "host domains" });
  return queries;
}

/** A scratch security server on `policy` with the given boolean values (nothing shared with a live one). */
export function scratchServer(policy: CompiledPolicy, bools: Record<string, boolean> = {}): SecurityServer {
  const server = new SecurityServer(policy);
  for (const [name, value] of Object.entries(bools)) if (policy.boolByName.has(name)) server.setBool(name, value);
  return server;
}

/** Old vs new decisions on each query; a query one of the policies cannot answer (label or class unknown) counts as nothing granted. */
export function compareDecisions(before: SecurityServer, after: SecurityServer, queries: readonly DecisionQuery[], keep = 50): DecisionComparison {
  const granted = (server: SecurityServer, q: DecisionQuery): Set<string> => {
    try {
      const d = server.computeAv(server.contextToSid(q.source), server.contextToSid(q.target), q.tclass);
      return new Set(permNames(d.cls, d.allowed));
    } catch (error) {
      if (error instanceof XsmError) return new Set();
      throw error;
    }
  };
  const differences: DecisionDifference[] = [];
  let differing = 0;
  for (const q of queries) {
    const a = granted(before, q);
    const b = granted(after, q);
    const added = [...b].filter((p) => !a.has(p));
    const removed = [...a].filter((p) => !b.has(p));
    if (added.length === 0 && removed.length === 0) continue;
    differing++;
    if (differences.length < keep) differences.push({ ...q, granted: added, revoked: removed });
  }
  return { compared: queries.length, differing, differences };
}
