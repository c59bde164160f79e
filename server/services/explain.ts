import { createSecurityModule, explainOperation, formatReasons, type CheckVerdict, type Rehearsal, type SecurityModule } from "../xen";
import { SecurityServer, bridgeLabel, loadRealmPolicy, managementLabel, realmDiskLabel, realmLevel, realmNetLabel, vmLabel, type RealmCategory } from "../xsm";
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

/** An agreement as explain names it (issue 15 part 5). */
export type AgreementReason = { id: string; from: string; to: string; twoWay: boolean; port: number; expiresAt: Date };

/**
 * "May VM x send to VM y over Argo?" at the hypervisor: `x → y : argo send` as the host's
 * FLASK policy decides it; across realms that is MCS's denial unless an active agreement carries
 * the pair, and then the send goes through the agreement's bridge (`x → bridge : argo send`,
 * the bridge labelled with both realms' categories), which the agreement is the reason for.
 */
export function explainArgoSend(from: { kind: "guest" | "management"; realm: RealmCategory }, to: { kind: "guest" | "management"; realm: RealmCategory }, agreement: AgreementReason | null): LayerVerdict & { agreement: AgreementReason | null } {
  const x = vmLabel(from.kind, from.realm);
  const y = vmLabel(to.kind, to.realm);
  const direct = securityModule().explain({ subject: x, target: y, tclass: "argo", perms: ["send"] });
  if (direct.allowed) return { layer: "hypervisor", allowed: true, reason: `policy allows argo { send } from ${x} to ${y} (same realm)`, agreement: null };
  const denial = formatReasons(direct.reasons);
  if (!agreement) return { layer: "hypervisor", allowed: false, reason: `FLASK denies argo { send } from ${x} to ${y}: ${denial}; no active sharing agreement carries this pair`, avc: direct.avc ? [direct.avc] : [], agreement: null };
  const bridge = bridgeLabel(x, y);
  const through = securityModule().explain({ subject: x, target: bridge, tclass: "argo", perms: ["send"] });
  const what = `agreement ${agreement.id} (${agreement.from} ${agreement.twoWay ? "↔" : "→"} ${agreement.to}, Argo port ${agreement.port}, until ${agreement.expiresAt.toISOString()})`;
  return through.allowed
    ? { layer: "hypervisor", allowed: true, reason: `allowed only through the Argo bridge of ${what}: argo { send } to ${through.tcontext}; without it FLASK denies the send (${denial})`, agreement }
    : { layer: "hypervisor", allowed: false, reason: `${what} stands, but FLASK denies the bridge too: ${formatReasons(through.reasons)}`, avc: through.avc ? [through.avc] : [], agreement };
}
