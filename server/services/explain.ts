import { createSecurityModule, explainOperation, formatReasons, type CheckVerdict, type Rehearsal, type SecurityModule } from "../xen";
import { SecurityServer, loadRealmPolicy, managementLabel, realmDiskLabel, realmLevel, realmNetLabel, vmLabel, type RealmCategory } from "../xsm";
import { ACTION_PERMISSION, LIFECYCLE_ACTIONS, acceptedFrom, type LifecycleAction } from "../policy/lifecycle";
import { decidePermission, type Permission } from "../policy/permissions";
import { planSteps } from "../policy/plan";

/**
 * "Could this user do this action on this VM, and why not?" — each layer's decision, computed
 * without doing anything. Layer 3 rehearses the very hypercalls the worker would send for the
 * action (the plan), through the hypervisor's own hooks and operation table, on a scratch host
 * loaded with the realm policy the hosts enforce, with the user's realm's management domain as
 * subject. Nothing here lists hypercalls or permissions of its own.
 */

let security: SecurityModule | undefined;
function securityModule(): SecurityModule {
  security ??= createSecurityModule(new SecurityServer(loadRealmPolicy()));
  return security;
}

export type LayerVerdict = { layer: "trpc" | "database" | "hypervisor"; allowed: boolean; reason: string; avc?: string[] };

export function explainRole(role: string | null, permission: Permission, sameRealm: boolean): LayerVerdict {
  if (!role) return { layer: "trpc", allowed: false, reason: "the user belongs to no realm and holds no break-glass grant" };
  if (!sameRealm) return { layer: "trpc", allowed: false, reason: "the VM belongs to another realm: the user would get NOT_FOUND" };
  const decision = decidePermission(role, permission);
  return { layer: "trpc", allowed: decision.allowed, reason: decision.rule };
}

/** The hypervisor operations behind a permission: the steps of every action it allows. */
function rehearsals(permission: Permission): { action: LifecycleAction; op: Rehearsal["op"] }[] {
  const actions = LIFECYCLE_ACTIONS.filter((a) => ACTION_PERMISSION[a] === permission);
  return actions.flatMap((action) =>
    planSteps(action, {}).map((step) => ({ action, op: "device" in step ? (`device.${step.device}` as const) : (`domain.${step.action}` as const) })),
  );
}

export function explainHypervisor(subject: RealmCategory | null, vm: { kind: "guest" | "management"; realm: RealmCategory }, permission: Permission): LayerVerdict {
  const steps = rehearsals(permission);
  if (steps.length === 0) return { layer: "hypervisor", allowed: true, reason: `${permission} issues no hypercall` };
  if (!subject) return { layer: "hypervisor", allowed: false, reason: "no realm: no management domain to act as" };
  const subjectLabel = managementLabel(subject);
  const target = vmLabel(vm.kind, vm.realm);
  const level = realmLevel(vm.realm);
  const verdicts = steps.map(({ action, op }) => {
    const state = acceptedFrom(action).find((s) => s === "stopped" || s === "running" || s === "paused") ?? "stopped";
    const resource = op.endsWith("-disk") ? realmDiskLabel(level) : op.endsWith("-net") ? realmNetLabel(level) : undefined;
    return explainOperation(securityModule(), { op, subject: subjectLabel, target: { label: target, state }, resource });
  });
  const failed = verdicts.find((v) => !v.allowed);
  if (!failed) {
    const checks = verdicts.flatMap((v) => v.checks).filter((c) => c.scontext === subjectLabel && c.tcontext === target);
    return { layer: "hypervisor", allowed: true, reason: `policy allows ${describe(checks)} from ${subjectLabel} to ${target}` };
  }
  const denial = failed.checks.find((c) => !c.allowed);
  if (!denial) return { layer: "hypervisor", allowed: false, reason: `${failed.op}: ${failed.error?.code} ${failed.error?.message}` };
  return { layer: "hypervisor", allowed: false, reason: formatReasons(denial.reasons), avc: denial.avc ? [denial.avc] : [] };
}

/** "domain { unpause }, mmu { map_read }": each class once, its permissions in the order checked. */
function describe(checks: CheckVerdict[]): string {
  const perms = new Map<string, string[]>();
  for (const c of checks) {
    const list = perms.get(c.tclass) ?? [];
    for (const p of c.perms) if (!list.includes(p)) list.push(p);
    perms.set(c.tclass, list);
  }
  return [...perms].map(([cls, list]) => `${cls} { ${list.join(" ")} }`).join(", ");
}
