/** Platform security contexts known to both the control plane and the agents. */

/** dom0, the toolstack domain: system high, so it dominates every realm's categories. */
export const DOM0_LABEL = "system_u:system_r:dom0_t:s0-s0:c0.c1023";
export const XEN_LABEL = "system_u:system_r:xen_t:s0";
export const DOMXEN_LABEL = "system_u:system_r:domxen_t:s0";
