/**
 * The control plane's permission catalog and role grants: a pure, total decision.
 * Deny by default: a permission not granted to a role, an unknown role or an unknown permission
 * is refused, and the decision names the rule that produced it.
 */

export const PERMISSIONS = [
  "realm.read",
  "vm.read",
  "vm.create",
  "vm.start",
  "vm.stop",
  "vm.pause",
  "vm.resume",
  "vm.reboot",
  "vm.migrate",
  "vm.devices",
  "vm.destroy",
  /** Rename and resize (issue 14). */
  "vm.configure",
  /** Take, revert to and delete snapshots. */
  "vm.snapshot",
  /** Open a running VM's serial console and type into it (issue 14): operator-role members and up. */
  "vm.console",
  "storage.manage",
  "network.manage",
  "audit.read",
  "realm.members.read",
  "realm.members.manage",
  "realm.tokens.manage",
  /** Propose, accept, decline and revoke cross-realm sharing agreements (issue 15 part 5): owners only. */
  "realm.agreements.manage",
] as const;

export type Permission = (typeof PERMISSIONS)[number];
export type Role = "owner" | "admin" | "operator" | "viewer";

// Every member sees who else is in the organization (names, emails, roles), as in most consoles;
// invitations (pending emails, links) and changes are realm.members.manage.
const READ: Permission[] = ["realm.read", "vm.read", "realm.members.read"];
const OPERATE: Permission[] = [...READ, "vm.start", "vm.stop", "vm.pause", "vm.resume", "vm.reboot", "vm.console"];
const MANAGE: Permission[] = [...OPERATE, "vm.create", "vm.destroy", "vm.migrate", "vm.devices", "vm.configure", "vm.snapshot", "storage.manage", "network.manage", "audit.read"];

export const ROLE_GRANTS: Record<Role, ReadonlySet<Permission>> = {
  // Every member manages its own API tokens (within its own permissions); owners also list and
  // revoke everyone's (realm.tokens.manage).
  owner: new Set([...MANAGE, "realm.members.manage", "realm.tokens.manage", "realm.agreements.manage"]),
  admin: new Set([...MANAGE, "realm.members.manage"]),
  operator: new Set(OPERATE),
  viewer: new Set(READ),
};

export type PermissionDecision =
  | { allowed: true; rule: string }
  | { allowed: false; rule: string; reason: string };

export function decidePermission(role: string, permission: string): PermissionDecision {
  const grants = ROLE_GRANTS[role as Role];
  if (!grants) return { allowed: false, rule: "role:unknown", reason: `unknown role '${role}'` };
  if (!(PERMISSIONS as readonly string[]).includes(permission)) {
    return { allowed: false, rule: "permission:unknown", reason: `unknown permission '${permission}'` };
  }
  if (grants.has(permission as Permission)) return { allowed: true, rule: `role:${role} grants ${permission}` };
  return {
    allowed: false,
    rule: `role:${role} lacks ${permission}`,
    reason: `your role (${role}) does not allow ${permission}`,
  };
}
