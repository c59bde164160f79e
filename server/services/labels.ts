/**
 * Security labels derived from a realm's category pair (sVirt style). Labels are data: the realm
 * policy names the types; a realm contributes only its MCS level, so nothing here can inject a
 * rule into the policy.
 */

export type RealmCategory = { categoryLow: number; categoryHigh: number };

export function realmLevel(realm: RealmCategory): string {
  return `s0:c${realm.categoryLow},c${realm.categoryHigh}`;
}

export function managementLabel(realm: RealmCategory): string {
  return `system_u:system_r:realm_mgmt_t:${realmLevel(realm)}`;
}

export function guestLabel(realm: RealmCategory): string {
  return `system_u:system_r:realm_guest_t:${realmLevel(realm)}`;
}
