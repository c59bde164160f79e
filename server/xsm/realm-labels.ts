/**
 * The realm policy's label vocabulary (policy/realm.te): the platform's fixed contexts and the
 * labels a realm's objects carry, derived from its category pair, sVirt style. The one place
 * these strings are spelled: the web tier, the worker, the agent and the simulated hypervisor
 * all take them from here. Labels are data: a realm contributes only its MCS level, so nothing
 * here can inject a rule into the policy.
 */

/** dom0, the toolstack domain: system high, so it dominates every realm's categories. */
export const DOM0_LABEL = "system_u:system_r:dom0_t:s0-s0:c0.c1023";
export const XEN_LABEL = "system_u:system_r:xen_t:s0";
export const DOMXEN_LABEL = "system_u:system_r:domxen_t:s0";
/** Target of policy administration (load_policy, setenforce, setbool, compute_av). */
export const SECURITY_LABEL = "system_u:object_r:security_t:s0";

/** The label of read-only content shared by every realm (base images): no categories (sVirt). */
export const SHARED_IMAGE_LABEL = "system_u:object_r:shared_image_t:s0";

/**
 * Types whose objects are read-only content (sVirt's "read-only content label"): a disk with
 * such a label may only ever be attached read-only, whoever asks.
 */
export const READ_ONLY_CONTENT_TYPES: readonly string[] = ["shared_image_t"];

/** A realm's category pair, as the database stores it. */
export type RealmCategory = { categoryLow: number; categoryHigh: number };

/** `s0:cX,cY`: the realm's MCS level. */
export function realmLevel(realm: RealmCategory): string {
  return `s0:c${realm.categoryLow},c${realm.categoryHigh}`;
}

/** The realm's management domain: the XSM subject of its lifecycle hypercalls. */
export function managementLabel(realm: RealmCategory): string {
  return `system_u:system_r:realm_mgmt_t:${realmLevel(realm)}`;
}

export function guestLabel(realm: RealmCategory): string {
  return `system_u:system_r:realm_guest_t:${realmLevel(realm)}`;
}

/** The label a VM's domain runs under: its realm's management type or guest type. */
export function vmLabel(kind: "guest" | "management", realm: RealmCategory): string {
  return kind === "management" ? managementLabel(realm) : guestLabel(realm);
}

/** A writable disk at a level (a realm's: `system_u:object_r:realm_disk_t:s0:cX,cY`). */
export function realmDiskLabel(level: string): string {
  return `system_u:object_r:realm_disk_t:${level}`;
}

/** A network at a level (a realm's: `system_u:object_r:realm_net_t:s0:cX,cY`). */
export function realmNetLabel(level: string): string {
  return `system_u:object_r:realm_net_t:${level}`;
}

/** The type field of a context (`user:role:type:level`), or "" when it has none. */
export function labelType(label: string): string {
  return label.split(":")[2] ?? "";
}

/**
 * The category part of a context's low level (`c1,c2` for `…:s0:c1,c2`; "" when the low
 * level has none, e.g. dom0's `s0-s0:c0.c1023`).
 */
export function labelCategories(label: string): string {
  const parts = label.split(":");
  const range = parts.slice(3).join(":");
  const low = range.split("-")[0] ?? "";
  const colon = low.indexOf(":");
  return colon < 0 ? "" : low.slice(colon + 1);
}

/** The platform's storage backend domain (blkback): trusted, serves every realm (mls_priv). */
export const STORAGE_BACKEND_LABEL = "system_u:system_r:storage_backend_t:s0";
/** The platform's network backend domain (netback): trusted, serves every realm (mls_priv). */
export const NET_BACKEND_LABEL = "system_u:system_r:net_backend_t:s0";

/** A realm's driver domain: an untrusted backend carrying the realm's level, serving that realm only. */
export function driverDomainLabel(realm: RealmCategory): string {
  return `system_u:system_r:driver_domain_t:${realmLevel(realm)}`;
}

/**
 * Backends the platform trusts with plaintext: dom0 and the platform's backend domains. Any
 * other backend (a realm's driver domain) is untrusted: data written through it is sealed on
 * the frontend side (AES-GCM under a realm key the backend never holds).
 */
export const TRUSTED_BACKEND_TYPES: readonly string[] = ["dom0_t", "storage_backend_t", "net_backend_t"];

export function isTrustedBackend(label: string): boolean {
  return TRUSTED_BACKEND_TYPES.includes(labelType(label));
}

/** Categories of a category list (`c1,c5`, `c2.c4` ranges expanded), as numbers. */
function categoryNumbers(list: string): number[] {
  const out: number[] = [];
  for (const part of list.split(",").filter(Boolean)) {
    const [lo, hi] = part.split(".").map((c) => Number(c.replace(/^c/, "")));
    for (let c = lo!; c <= (hi ?? lo!); c++) out.push(c);
  }
  return out;
}

/**
 * A sharing agreement's Argo bridge between two domains (issue 15 part 5): an object labelled
 * with the union of both domains' categories, `system_u:object_r:ivc_bridge_t:s0:<A ∪ B>`.
 * Only the bridge carries both realms' categories; neither realm's domains ever do.
 */
export function bridgeLabel(aLabel: string, bLabel: string): string {
  const cats = [...new Set([...categoryNumbers(labelCategories(aLabel)), ...categoryNumbers(labelCategories(bLabel))])].sort((x, y) => x - y);
  return `system_u:object_r:ivc_bridge_t:s0${cats.length > 0 ? `:${cats.map((c) => `c${c}`).join(",")}` : ""}`;
}
