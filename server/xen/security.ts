/**
 * What the simulated hypervisor asks of its security module (XSM). The FLASK engine in ../xsm
 * implements it (see flask-module.ts); the hypervisor never decides access itself.
 * Everything is in terms of context strings so the hypervisor's state stays plain data.
 */

export type AccessRequest = {
  /** Security context of the acting domain (the realm's management domain, or dom0). */
  subject: string;
  /** Security context of the object (a domain's label, a channel's, xen_t …). */
  target: string;
  tclass: string;
  perms: readonly string[];
  /** Domain ids for the audit line. */
  source?: number;
  targetDomid?: number;
};

export type AccessDecision = { allowed: boolean; avc: string[]; reason?: string };

export type Explanation = {
  allowed: boolean;
  enforcing: boolean;
  granted: string[];
  denied: string[];
  reasons: Record<string, { layer: string; detail: string }>;
  /** The line the check would log, null when nothing would be (allowed, or dontaudit). */
  avc: string | null;
  scontext: string;
  tcontext: string;
};

/** A derived label could not be computed (libsepol refuses an invalid result: EACCES). */
export class LabelError extends Error {
  override name = "LabelError";
  constructor(
    readonly code: "EINVAL" | "EACCES",
    message: string,
  ) {
    super(message);
  }
}

export interface SecurityModule {
  /** avc_has_perm: logs denials (and auditallow grants) and returns the lines. */
  check(request: AccessRequest): AccessDecision;
  /** The same decision, computed without logging or acting (operators' "explain"). */
  explain(request: AccessRequest): Explanation;
  /** null when the label is valid in the loaded policy, else why not. */
  validateLabel(label: string): string | null;
  /** Canonical form of a valid label; throws LabelError(EINVAL) for an invalid one. */
  canonical(label: string): string;
  /** self_sid = transition(sid, sid, domain). Throws LabelError. */
  selfLabel(label: string): string;
  /** target_sid = transition(guest, dm, domain): the guest as its device model sees it. */
  targetLabel(guest: string, dm: string): string;
  /** An event channel's label: transition(source, the peer as the source sees it, event). */
  channelLabel(source: string, peerSeen: string): string;
  isEnforcing(): boolean;
}

/** "perm: layer (detail); …" for a decision's denied permissions. */
export function formatReasons(reasons: Record<string, { layer: string; detail: string }>): string {
  return Object.entries(reasons)
    .map(([perm, why]) => `${perm}: ${why.layer}${why.detail ? ` (${why.detail})` : ""}`)
    .join("; ");
}
