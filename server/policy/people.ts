import type { Role } from "./permissions";

/**
 * Who may give which role, and change or remove whom, in an organization: a pure decision
 * (threat: an admin making itself owner, or an admin removing the owners who could stop it).
 * realm.members.manage (owner, admin) is the gate; these rules narrow it:
 * - only an owner grants the owner role, or changes or removes an owner;
 * - the last owner is never demoted or removed (checked again under a row lock by the service,
 *   with the owner count it read while holding the lock).
 */

export const ROLES: readonly Role[] = ["owner", "admin", "operator", "viewer"];

/** What each role means, in plain words, for the people page and the invitation page. */
export const ROLE_DESCRIPTIONS: Record<Role, { label: string; description: string }> = {
  owner: { label: "Owner", description: "Everything, including people: invites, roles, removing members and other owners." },
  admin: {
    label: "Admin",
    description: "Everything an owner can do except anything about owners: creates and destroys VMs, storage and networks, reads the audit trail, invites and manages admins, VM operators and viewers.",
  },
  operator: {
    label: "VM operator",
    description: "Starts, stops, pauses, resumes and reboots existing VMs and opens their consoles; cannot create or destroy them, nor manage people. (Not a platform operator.)",
  },
  viewer: { label: "Viewer", description: "Read-only: sees VMs, their state and the member list; changes nothing." },
};

export type PeopleDecision = { allowed: true } | { allowed: false; reason: string; rule: string };

const allow: PeopleDecision = { allowed: true };

/** May `actor` invite someone to `role`? */
export function decideInvite(actor: Role, role: Role): PeopleDecision {
  if (role === "owner" && actor !== "owner") return { allowed: false, rule: "people:owner-grants-owner", reason: "only an owner can invite an owner" };
  return allow;
}

/**
 * May `actor` change a member from `from` to `to` (or remove them: `to` null), given how many
 * owners the organization has?
 */
export function decideMemberChange(args: { actor: Role; from: Role; to: Role | null; owners: number }): PeopleDecision {
  const { actor, from, to, owners } = args;
  if ((from === "owner" || to === "owner") && actor !== "owner") {
    return { allowed: false, rule: "people:owner-manages-owners", reason: "only an owner can change or remove an owner, or make someone an owner" };
  }
  if (from === "owner" && to !== "owner" && owners <= 1) {
    return {
      allowed: false,
      rule: "people:last-owner",
      reason: to === null ? "the last owner cannot be removed: make another member an owner first" : "the last owner cannot be demoted: make another member an owner first",
    };
  }
  return allow;
}
