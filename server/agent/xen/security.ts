/**
 * What the simulated hypervisor asks of its security module (XSM). The FLASK engine in ../xsm
 * implements it; the hypervisor never decides access itself.
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

export interface SecurityModule {
  check(request: AccessRequest): AccessDecision;
  /** null when the label is valid in the loaded policy, else why not. */
  validateLabel(label: string): string | null;
}
