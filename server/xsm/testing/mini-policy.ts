/**
 * A small, valid Xen-target policy for unit tests, in checkpolicy's section order. `te`
 * is spliced into the TE section, `constraints` after the users, so tests can add one rule
 * and check what the compiler or the engine does with it. Line numbers are stable:
 * MINI_TE_LINE is the line where `te` starts.
 */
export interface MiniPolicyParts {
  te?: string;
  mls?: string;
  constraints?: string;
  sids?: string;
}

const HEAD = `class xen
class domain
class event
sid xen
sid dom0
class xen { settime readconsole }
class domain { create pause unpause transition getdomaininfo }
class event { bind send create }
sensitivity s0;
sensitivity s1;
dominance { s0 s1 }
category c0; category c1; category c2; category c3;
level s0:c0.c3;
level s1:c0.c3;
`;

export function miniPolicy(parts: MiniPolicyParts = {}): string {
  return (
    HEAD +
    (parts.mls ?? "mlsconstrain domain pause ((l1 eq l2) or (t1 == priv));\n") +
    `attribute priv;
attribute doms;
type xen_t, priv;
type dom0_t, priv, doms;
type guest_t alias domU_t, doms;
type guest_self_t, doms;
type chan_t;
type orphan_t;
bool guest_pause false;
allow dom0_t doms : domain *;
allow guest_t guest_t : domain getdomaininfo;
type_transition guest_t guest_t : domain guest_self_t;
type_transition guest_t doms : event chan_t;
if (guest_pause) { allow guest_t guest_t : domain pause; } else { dontaudit guest_t guest_t : domain pause; }
` +
    (parts.te ?? "") +
    `
role system_r;
role system_r types { doms xen_t };
user system_u roles { system_r } level s0 range s0 - s1:c0.c3;
` +
    (parts.constraints ?? "") +
    (parts.sids ?? "sid xen system_u:system_r:xen_t:s0\nsid dom0 system_u:system_r:dom0_t:s0 - s1:c0.c3\n")
  );
}

/** Line number (1-based) of the first line of `te` in miniPolicy's output. */
export const MINI_TE_LINE = miniPolicy().split("\n").indexOf("role system_r;");
