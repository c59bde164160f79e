import type { AcmPolicy } from "./types";
import { DOMXEN_LABEL, SECURITY_LABEL, XEN_LABEL } from "../xsm";
import type { AcmEvent, AcmModule } from "./acm/module";
import { HypercallError } from "./errors";
import { isOperationName, OPERATIONS, type Flag, type Role } from "./operations";
import { LabelError, type SecurityModule } from "./security";
import type { AcmState, DomainRecord, HostTables } from "./state";

/**
 * What every hypercall hook works with: the host's tables (written through the operation's
 * transaction), the security modules and the AVC lines of this operation; and the check
 * runner that walks the operation table.
 *
 * Threat: this is the choke point between a request and the host's state. A hook may change
 * the tables only after runChecks returned; any refusal throws, and the hypervisor then undoes
 * the transaction, so nothing a refused operation did survives.
 */

export type HostOptions = {
  /** Xen's `argo=mac-permissive`: without it wildcard rings are refused before XSM is asked. */
  argoMacPermissive: boolean;
};

export type HostCtx = {
  readonly state: HostTables;
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

/**
 * Passes an event through the host's ACM module; a refusal is EACCES, an allow writes the new
 * state. The module is a pure function of (policy, state, event); it is shown the counters and
 * only the admitted entry of the domain the event is about (start and destroy read and write
 * nothing else), so a start costs the same beside 10 running domains or 10,000. A reload
 * replays the whole host and sees, and rewrites, every entry.
 */
export function acmGate(ctx: HostCtx, event: AcmEvent): void {
  const s = ctx.state;
  const domid = event.kind === "start" ? event.domain.domid : event.kind === "destroy" ? event.domid : undefined;
  const admitted: Record<string, string[]> = {};
  if (event.kind === "reload") for (const a of s.admitted.rows()) admitted[String(a.domid)] = a.wall;
  else if (domid !== undefined && s.admitted.has(domid)) admitted[String(domid)] = s.admitted.get(domid)!.wall;
  const given: AcmState = { chineseWall: { ...s.wallCounters.get(), admitted } };
  const verdict = ctx.acm.module.decide(ctx.acm.policy, given, event);
  if (!verdict.ok) throw new HypercallError("EACCES", `ACM (${ctx.acm.module.name}) denied: ${verdict.reason}`);
  const next = verdict.state.chineseWall;
  if (next === given.chineseWall) return;
  if (next.running !== given.chineseWall.running || next.blocked !== given.chineseWall.blocked) {
    s.wallCounters.set({ running: next.running, blocked: next.blocked });
  }
  const shown = event.kind === "reload" ? [...s.admitted.rows()].map((a) => a.domid) : domid !== undefined ? [domid] : [];
  for (const id of shown) if (!next.admitted[String(id)]) s.admitted.delete(id);
  for (const [id, wall] of Object.entries(next.admitted)) if (s.admitted.get(id)?.wall !== wall) s.admitted.put({ domid: Number(id), wall });
}

export function findDomain(ctx: HostCtx, domid: number): DomainRecord | undefined {
  return ctx.state.domains.get(domid);
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
  // The first such domain, as Xen's domain list would find it: the lowest domid.
  const [dom] = ctx.state.domains.where("label", canonical).sort((a, b) => a.domid - b.domid);
  return dom ? principalOf(dom) : { label: canonical };
}

/** The domain that issues a guest-side hypercall, and whether the subject drives it. */
export function actorOf(ctx: HostCtx, subject: Principal, domid: number): { actor: Principal; flags: Set<Flag> } {
  const dom = domainOf(ctx, domid);
  const flags = new Set<Flag>();
  if (subject.domid !== dom.domid) flags.add("delegated");
  return { actor: principalOf(dom), flags };
}
