import { AuditLog, formatAvcLine, type AuditData } from "./audit";
import { Avc, type AvcStats } from "./avc";
import { defaultBools, withBool } from "./booleans";
import { compilePolicy } from "./compile";
import { computeAv, permNames, type AvDecision, type DenialReason } from "./compute-av";
import { XsmError } from "./errors";
import type { BoolState, ClassInfo, CompiledPolicy } from "./policy";
import { SidTable } from "./sidtab";
import { computeTransition } from "./transition";

/**
 * The security server: Xen FLASK's stateful shell around the pure engine.
 *
 * Threat: this is the choke point every simulated hypercall passes through. It must fail
 * closed (unknown class → EINVAL, unknown permission → denied, policy errors → the old policy
 * stays), must never let a reload or a boolean flip serve stale cached decisions, and must
 * record denials in Xen's audit format so an operator can see which rule refused what.
 *
 * State: the active policy snapshot, boolean values, SID table, enforcing flag, the AVC and
 * the audit ring. Decisions themselves are pure functions of (policy, booleans, contexts).
 */

export interface PermDecision {
  /** May the operation proceed? (Always true in permissive mode.) */
  allowed: boolean;
  /** Requested permissions the policy does not grant (also reported in permissive mode). */
  denied: string[];
  /** Why each denied permission is denied. */
  reasons: Record<string, DenialReason>;
  /** AVC lines this check wrote to the audit log (empty when silenced or already logged). */
  auditLines: string[];
  enforcing: boolean;
}

/** What explain() answers: hasPerm's decision and would-be AVC line, with nothing logged. */
export interface PermExplanation {
  allowed: boolean;
  enforcing: boolean;
  granted: string[];
  denied: string[];
  reasons: Record<string, DenialReason>;
  /** The line the check would log; null when nothing would be (allowed, or dontaudit). */
  avc: string | null;
  scontext: string;
  tcontext: string;
}

export interface SecurityServerOptions {
  enforcing?: boolean;
  avcCapacity?: number;
  auditCapacity?: number;
}

interface Active {
  policy: CompiledPolicy;
  bools: BoolState;
  sids: SidTable;
  /** Incremented on every load; part of the state the AVC depends on. */
  seqno: number;
}

export class SecurityServer {
  private active: Active;
  private enforcing: boolean;
  private readonly avc: Avc;
  readonly auditLog: AuditLog;

  constructor(policy: CompiledPolicy, options: SecurityServerOptions = {}) {
    this.active = { policy, bools: defaultBools(policy), sids: SidTable.create(policy), seqno: 1 };
    this.enforcing = options.enforcing ?? true;
    this.avc = new Avc(options.avcCapacity);
    this.auditLog = new AuditLog(options.auditCapacity);
  }

  get policy(): CompiledPolicy {
    return this.active.policy;
  }

  get seqno(): number {
    return this.active.seqno;
  }

  /**
   * Replaces the policy atomically: the new snapshot, converted SID table and preserved
   * booleans are all built first; any failure throws and leaves the old policy in force.
   * Accepts a compiled policy or policy text (compiled here, errors carry file:line).
   */
  load(policy: CompiledPolicy | { text: string; fileName: string }): void {
    const next = "text" in policy ? compilePolicy(policy.text, policy.fileName) : policy;
    const sids = this.active.sids.convert(next);
    // Like Xen's security_preserve_bools: a boolean keeps its current value across reloads.
    const bools = next.bools.map((b) => {
      const old = this.active.policy.boolByName.get(b.name);
      return old ? this.active.bools[old.index] === true : b.defaultValue;
    });
    this.active = { policy: next, bools, sids, seqno: this.active.seqno + 1 };
    this.avc.flush();
  }

  /** Interns a label; throws EINVAL ("Invalid seclabel") if it is not valid in the policy. */
  contextToSid(context: string): number {
    return this.active.sids.intern(this.active.policy, context);
  }

  /** The canonical context string of a SID. */
  sidToContext(sid: number): string {
    return this.active.sids.get(sid).text;
  }

  /** SID of an initial SID by name (`xen`, `dom0`, `domxen`, `domU`, …). */
  initialSid(name: string): number {
    return this.active.sids.initialSid(name);
  }

  private cls(name: string): ClassInfo {
    const cls = this.active.policy.classByName.get(name);
    if (!cls) throw new XsmError("EINVAL", `unknown security class '${name}'`);
    return cls;
  }

  /** The full access vector for (ssid, tsid, class), through the AVC. */
  computeAv(ssid: number, tsid: number, cls: string): AvDecision {
    return this.lookup(ssid, tsid, this.cls(cls)).decision;
  }

  private lookup(ssid: number, tsid: number, cls: ClassInfo) {
    const { policy, bools, sids } = this.active;
    return this.avc.lookup(Avc.key(ssid, tsid, cls.value), () =>
      computeAv(policy, bools, sids.get(ssid).context, sids.get(tsid).context, cls.value),
    );
  }

  /** The AVC entry for a request and the requested, unknown and denied permission masks. */
  private assess(ssid: number, tsid: number, cls: string, perms: string | readonly string[]) {
    const info = this.cls(cls);
    const entry = this.lookup(ssid, tsid, info);
    let requested = 0;
    let unknown: string[] | undefined;
    if (typeof perms === "string") {
      const bit = info.permBits.get(perms);
      if (bit === undefined) unknown = [perms];
      else requested = 1 << bit;
    } else {
      for (const n of perms) {
        const bit = info.permBits.get(n);
        if (bit === undefined) (unknown ??= []).push(n);
        else requested |= 1 << bit;
      }
    }
    requested >>>= 0;
    return { info, entry, requested, unknown, deniedMask: (requested & ~entry.decision.allowed) >>> 0 };
  }

  /** The denied permissions of an assessed request, each with its reason. */
  private denial(a: ReturnType<SecurityServer["assess"]>): { denied: string[]; reasons: Record<string, DenialReason> } {
    const known = permNames(a.info, a.deniedMask);
    const reasons: Record<string, DenialReason> = {};
    for (const p of known) reasons[p] = a.entry.decision.reasons[p]!;
    for (const p of a.unknown ?? []) reasons[p] = { layer: "unknown-permission", detail: `class ${a.info.name} has no permission '${p}'` };
    return { denied: [...known, ...(a.unknown ?? [])], reasons };
  }

  /**
   * avc_has_perm: are all `perms` of class `cls` granted from ssid to tsid? Writes AVC lines
   * to the audit log: denials (unless dontaudit), and grants covered by auditallow.
   */
  hasPerm(ssid: number, tsid: number, cls: string, perms: string | readonly string[], audit?: AuditData): PermDecision {
    const a = this.assess(ssid, tsid, cls, perms);
    const { info, entry, requested, unknown, deniedMask } = a;
    const d = entry.decision;
    if (deniedMask === 0 && !unknown) {
      const audited = (requested & d.auditallow) >>> 0;
      const lines = audited ? [this.line("granted", permNames(info, audited), audit, ssid, tsid, info)] : [];
      return { allowed: true, denied: [], reasons: {}, auditLines: lines, enforcing: this.enforcing };
    }
    const { denied, reasons } = this.denial(a);
    // dontaudit clears auditdeny bits; unknown permissions are always audited.
    let auditedMask = (deniedMask & d.auditdeny) >>> 0;
    let auditedUnknown = unknown ?? [];
    if (!this.enforcing) {
      // Permissive: log each denied permission once per AVC entry, then let it through.
      auditedMask = (auditedMask & ~entry.permissiveLogged) >>> 0;
      entry.permissiveLogged = (entry.permissiveLogged | deniedMask) >>> 0;
      const seen = (entry.permissiveLoggedUnknown ??= new Set());
      auditedUnknown = auditedUnknown.filter((p) => !seen.has(p));
      for (const p of unknown ?? []) seen.add(p);
    }
    const auditedNames = [...permNames(info, auditedMask), ...auditedUnknown];
    const lines = auditedNames.length ? [this.line("denied", auditedNames, audit, ssid, tsid, info)] : [];
    return { allowed: !this.enforcing, denied, reasons, auditLines: lines, enforcing: this.enforcing };
  }

  /**
   * The decision hasPerm would make, and the AVC line it would write, computed without
   * writing the audit log or touching permissive-mode bookkeeping (operators' "explain").
   */
  explain(ssid: number, tsid: number, cls: string, perms: readonly string[], audit?: AuditData): PermExplanation {
    const a = this.assess(ssid, tsid, cls, perms);
    const { info, entry, requested, unknown, deniedMask } = a;
    const d = entry.decision;
    const { denied, reasons } = this.denial(a);
    const scontext = this.sidToContext(ssid);
    const tcontext = this.sidToContext(tsid);
    const auditedDenied = [...permNames(info, (deniedMask & d.auditdeny) >>> 0), ...(unknown ?? [])];
    const auditedGranted = permNames(info, (requested & ~deniedMask & d.auditallow) >>> 0);
    const avc = denied.length
      ? auditedDenied.length
        ? formatAvcLine("denied", auditedDenied, audit, scontext, tcontext, info.name)
        : null
      : auditedGranted.length
        ? formatAvcLine("granted", auditedGranted, audit, scontext, tcontext, info.name)
        : null;
    return {
      allowed: denied.length === 0 || !this.enforcing,
      enforcing: this.enforcing,
      granted: permNames(info, (requested & ~deniedMask) >>> 0),
      denied,
      reasons,
      avc,
      scontext,
      tcontext,
    };
  }

  private line(verdict: "denied" | "granted", perms: string[], audit: AuditData | undefined, ssid: number, tsid: number, cls: ClassInfo): string {
    const text = formatAvcLine(verdict, perms, audit, this.sidToContext(ssid), this.sidToContext(tsid), cls.name);
    this.auditLog.push(text);
    return text;
  }

  /** SID of transition(ssid, tsid, class): a new object's or derived domain label. */
  transitionSid(ssid: number, tsid: number, cls: string): number {
    const { policy, bools, sids } = this.active;
    const info = this.cls(cls);
    const out = computeTransition(policy, bools, sids.get(ssid).context, sids.get(tsid).context, info.value);
    return sids.internContext(policy, out);
  }

  setEnforcing(enforcing: boolean): void {
    if (enforcing === this.enforcing) return;
    this.enforcing = enforcing;
    // Permissive grants recorded in the AVC must not survive a switch back to enforcing.
    this.avc.flush();
  }

  isEnforcing(): boolean {
    return this.enforcing;
  }

  setBool(name: string, value: boolean): void {
    const next = withBool(this.active.policy, this.active.bools, name, value);
    if (next.every((v, i) => v === this.active.bools[i])) return;
    this.active = { ...this.active, bools: next };
    this.avc.flush();
  }

  getBool(name: string): boolean {
    const info = this.active.policy.boolByName.get(name);
    if (!info) throw new XsmError("ENOENT", `unknown boolean '${name}'`);
    return this.active.bools[info.index] === true;
  }

  /** Every boolean and its current value. */
  bools(): Record<string, boolean> {
    return Object.fromEntries(this.active.policy.bools.map((b) => [b.name, this.active.bools[b.index] === true]));
  }

  avcStats(): AvcStats {
    return this.avc.stats();
  }
}
