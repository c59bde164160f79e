import { evalCond } from "./booleans";
import { evalConstraint } from "./constraint";
import type { Context } from "./context";
import { XsmError } from "./errors";
import { avKey, type BoolState, type ClassInfo, type CompiledConstraint, type CompiledPolicy, type CondAvRule } from "./policy";

/**
 * compute_av: the access vector for (source context, target context, class), with the same
 * layering as libsepol's context_struct_compute_av — start from nothing, add TE allow rules
 * (unconditional and enabled conditional), then let constraints remove permissions, then the
 * role-transition check on the process class. Every removed permission keeps its reason.
 */

export type DenialReason =
  | { layer: "te"; detail: string }
  | { layer: "boolean"; detail: string; booleans: string[]; condition: string; line: number }
  | { layer: "constraint"; detail: string; constraint: number; text: string; file: string; line: number }
  | { layer: "rbac"; detail: string }
  | { layer: "unknown-permission"; detail: string };

export interface AvDecision {
  /** libsepol's three masks (auditdeny starts all-ones; dontaudit clears bits). */
  readonly allowed: number;
  readonly auditallow: number;
  readonly auditdeny: number;
  readonly cls: ClassInfo;
  /** Why each permission of the class that is not allowed is denied (built on first use). */
  readonly reasons: Readonly<Record<string, DenialReason>>;
}

interface Removal {
  constraint: CompiledConstraint;
  perms: number;
}

class Decision implements AvDecision {
  private cachedReasons?: Record<string, DenialReason>;

  constructor(
    readonly allowed: number,
    readonly auditallow: number,
    readonly auditdeny: number,
    readonly cls: ClassInfo,
    private readonly policy: CompiledPolicy,
    private readonly removals: Removal[] | undefined,
    private readonly rbacRemoved: number,
    private readonly boolCandidates: CondAvRule[] | undefined,
  ) {}

  get reasons(): Readonly<Record<string, DenialReason>> {
    this.cachedReasons ??= this.explain();
    return this.cachedReasons;
  }

  private explain(): Record<string, DenialReason> {
    const out: Record<string, DenialReason> = {};
    const { cls, policy } = this;
    cls.perms.forEach((perm, bit) => {
      const m = (1 << bit) >>> 0;
      if (this.allowed & m) return;
      if (this.rbacRemoved & m) {
        out[perm] = { layer: "rbac", detail: "role change without an allow rule between the roles" };
        return;
      }
      const removal = this.removals?.find((r) => r.perms & m);
      if (removal) {
        const c = removal.constraint;
        out[perm] = { layer: "constraint", detail: `removed by ${c.mls ? "mlsconstrain" : "constrain"} at ${c.file}:${c.line}: ${c.exprText}`, constraint: c.index, text: c.text, file: c.file, line: c.line };
        return;
      }
      const flip = this.boolCandidates?.find((r) => r.perms & m);
      if (flip) {
        const cond = policy.conds[flip.cond]!;
        const booleans = cond.bools.map((i) => policy.bools[i]!.name);
        out[perm] = {
          layer: "boolean",
          detail: `allowed only when (${cond.text}) is ${flip.branch}`,
          booleans,
          condition: cond.text,
          line: cond.line,
        };
        return;
      }
      out[perm] = { layer: "te", detail: "no allow rule" };
    });
    return out;
  }
}

export function computeAv(p: CompiledPolicy, bools: BoolState, s: Context, t: Context, clsValue: number): AvDecision {
  const cls = p.classes[clsValue - 1];
  if (!cls) throw new XsmError("EINVAL", `unknown class ${clsValue}`);
  const key = avKey(p, s.type, t.type, clsValue);
  const entry = p.avtab.get(key);
  let allowed = entry ? entry.allowed : 0;
  let auditallow = entry ? entry.auditallow : 0;
  let auditdeny = entry ? entry.auditdeny : 0xffffffff;
  let boolCandidates: CondAvRule[] | undefined;
  const condRules = p.condAvtab.get(key);
  if (condRules) {
    for (const r of condRules) {
      if (evalCond(p.conds[r.cond]!, bools) === r.branch) {
        if (r.kind === "allow") allowed |= r.perms;
        else if (r.kind === "auditallow") auditallow |= r.perms;
        else auditdeny &= ~r.perms;
      } else if (r.kind === "allow") {
        (boolCandidates ??= []).push(r);
      }
    }
  }
  let removals: Removal[] | undefined;
  for (const c of cls.constraints) {
    const hit = c.permissions & allowed;
    if (hit !== 0 && !evalConstraint(p, c.expr, s, t)) {
      (removals ??= []).push({ constraint: c, perms: hit >>> 0 });
      allowed &= ~c.permissions;
    }
  }
  let rbacRemoved = 0;
  if (clsValue === p.processClass && (allowed & p.processTransPerms) !== 0 && s.role !== t.role) {
    if (!p.roleAllow.has(s.role * 65536 + t.role)) {
      rbacRemoved = allowed & p.processTransPerms;
      allowed &= ~p.processTransPerms;
    }
  }
  return new Decision(allowed >>> 0, auditallow >>> 0, auditdeny >>> 0, cls, p, removals, rbacRemoved >>> 0, boolCandidates);
}

/** Permission names in a mask, in bit order (unknown bits are skipped). */
export function permNames(cls: ClassInfo, mask: number): string[] {
  const out: string[] = [];
  for (let m = mask >>> 0; m !== 0; m = (m & (m - 1)) >>> 0) {
    const name = cls.perms[31 - Math.clz32(m & -m)];
    if (name !== undefined) out.push(name);
  }
  return out;
}
