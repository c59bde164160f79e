import type { AcmPolicy } from "./types";
import { DOMXEN_LABEL, SECURITY_LABEL, XEN_LABEL } from "../xsm";
import type { AcmEvent, AcmModule } from "./acm/module";
import { HypercallError } from "./errors";
import { isOperationName, OPERATIONS, type Flag, type Role } from "./operations";
import { LabelError, type SecurityModule } from "./security";
import type { DomainRecord, HostState } from "./state";

/**
 * What every hypercall hook works with: the draft host state, the security modules and the AVC
 * lines of this operation; and the check runner that walks the operation table.
 *
 * Threat: this is the choke point between a request and the host's state. A hook may change
 * the draft only after runChecks returned; any refusal throws, and the hypervisor then drops
 * the draft, so nothing a refused operation did survives.
 */

export type HostOptions = {
  /** Xen's `argo=mac-permissive`: without it wildcard rings are refused before XSM is asked. */
  argoMacPermissive: boolean;
};

export type HostCtx = {
  state: HostState;
  readonly xsm: SecurityModule;
  readonly acm: { module: AcmModule; policy: AcmPolicy };
  readonly options: HostOptions;
  readonly avc: string[];
};

/** A party to a check: a label, and the domain it is (or belongs to) for the audit line. */
export type Principal = { label: string; domid?: number; dom?: DomainRecord };
export type Bindings = Partial<Record<Role, Principal>>;

export const fixedPrincipals = (): Bindings => ({
  xen: { label: XEN_LABEL },
  domxen: { label: DOMXEN_LABEL, domid: 0x7ff2 },
  security: { label: SECURITY_LABEL },
});

/** The label `viewer` sees for `target`: its self label, its device-model target's target_sid, or the sid. */
export function seenBy(viewer: Principal | undefined, target: Principal): string {
  const v = viewer?.dom;
  const t = target.dom;
  if (!v || !t) return target.label;
  if (v.domid === t.domid) return v.selfLabel;
  if (v.target && v.target.domid === t.domid) return v.target.label;
  return t.label;
}

/**
 * Runs the operation's checks from the table, in order; throws EACCES on the first denial.
 * Fails closed: an operation missing from the table, or a check whose role the hook did not
 * bind, is a denial — never a skipped check.
 */
export function runChecks(ctx: HostCtx, op: string, bindings: Bindings, flags: ReadonlySet<Flag> = new Set()): void {
  if (!isOperationName(op)) throw new HypercallError("EACCES", `unknown operation '${op}': denied (fail closed)`);
  const all = { ...fixedPrincipals(), ...bindings };
  for (const c of OPERATIONS[op].checks) {
    if (c.when && !flags.has(c.when)) continue;
    const source = all[c.source];
    const target = all[c.target];
    if (!source || !target) throw new HypercallError("EACCES", `operation ${op}: no ${!source ? c.source : c.target} bound for a check (fail closed)`);
    const perms = c.plus && flags.has(c.plus.when) ? [...c.perms, ...c.plus.perms] : c.perms;
    const viewer = c.seenBy ? all[c.seenBy] : source;
    const request = { subject: source.label, target: seenBy(viewer, target), tclass: c.tclass, perms, source: source.domid, targetDomid: target.domid };
    const decision = ctx.xsm.check(request);
    ctx.avc.push(...decision.avc);
    if (!decision.allowed) {
      throw new HypercallError(
        "EACCES",
        `XSM denied { ${perms.join(" ")} } on ${c.tclass} ${request.target} for ${op}` + (decision.reason ? ` (${decision.reason})` : ""),
        decision.avc,
      );
    }
  }
}

/** Passes an event through the host's ACM module; a refusal is EACCES, an allow updates the draft. */
export function acmGate(ctx: HostCtx, event: AcmEvent): void {
  const verdict = ctx.acm.module.decide(ctx.acm.policy, ctx.state.acm, event);
  if (!verdict.ok) throw new HypercallError("EACCES", `ACM (${ctx.acm.module.name}) denied: ${verdict.reason}`);
  ctx.state.acm = verdict.state;
}

export function findDomain(ctx: HostCtx, domid: number): DomainRecord | undefined {
  return ctx.state.domains.find((d) => d.domid === domid);
}

/** The domain or ENOENT (Xen's ESRCH for an unknown domid, reported errno-style). */
export function domainOf(ctx: HostCtx, domid: number): DomainRecord {
  const d = findDomain(ctx, domid);
  if (!d) throw new HypercallError("ENOENT", `no domain ${domid}`);
  return d;
}

export const principalOf = (dom: DomainRecord): Principal => ({ label: dom.label, domid: dom.domid, dom });

/** Canonical label, or EINVAL "Invalid seclabel" (Xen's answer to an invalid context). */
export function canonicalLabel(ctx: HostCtx, label: string): string {
  try {
    return ctx.xsm.canonical(label);
  } catch (error) {
    if (error instanceof LabelError) throw new HypercallError("EINVAL", `Invalid seclabel ${label}: ${error.message}`);
    throw error;
  }
}

/** A derived label; the engine refusing to derive it (invalid result) is EACCES, as in libsepol. */
export function derived(fn: () => string): string {
  try {
    return fn();
  } catch (error) {
    if (error instanceof LabelError) throw new HypercallError(error.code, `cannot derive label: ${error.message}`);
    throw error;
  }
}

/**
 * The request's subject as a principal: the domain on this host with that label if there is
 * one (so the audit line names its domid and acting on itself uses its self label), else a
 * bare label (the realm's management domain runs on another host).
 */
export function subjectOf(ctx: HostCtx, label: string): Principal {
  const canonical = canonicalLabel(ctx, label);
  const dom = ctx.state.domains.find((d) => d.label === canonical);
  return dom ? principalOf(dom) : { label: canonical };
}

/** The domain that issues a guest-side hypercall, and whether the subject drives it. */
export function actorOf(ctx: HostCtx, subject: Principal, domid: number): { actor: Principal; flags: Set<Flag> } {
  const dom = domainOf(ctx, domid);
  const flags = new Set<Flag>();
  if (subject.domid !== dom.domid) flags.add("delegated");
  return { actor: principalOf(dom), flags };
}
