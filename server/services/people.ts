import { transaction, type Db, type Tx } from "../db/client";
import { DomainError, notFound } from "../errors";
import { decideMemberChange } from "../policy/people";
import type { Role } from "../policy/permissions";
import { recordDecision } from "../repositories/audit";
import { listMembersPage, unsafeDeleteMembership, unsafeFindMembership, unsafeLockOwners, unsafeUpdateMembershipRole } from "../repositories/memberships";
import type { PageRequest } from "../repositories/pagination";

/**
 * An organization's members: listing them, changing a role, removing one. Threats: an admin
 * acting on owners or promoting itself (policy/people.ts); an organization left without an
 * owner by two concurrent demotions (each change locks the organization's row and counts its
 * owners under the lock, in the transaction that makes the change); a removed or demoted member
 * keeping access (realmProcedure re-reads the membership on every request, and the repository
 * NOTIFYs the access channel so open live-update streams end or re-validate at once).
 *
 * Memberships are written by the platform role (the tenant role only reads its realm's
 * members): every query here names the caller's organization, which came from its membership.
 */

type Scope = { realmId: string; orgId: string };
/** The caller, as realmProcedure resolved it; a break-glass operator has no membership row. */
type Actor = { userId: string; role: Role; viaBreakGlass: boolean; requestId: string; tokenId?: string | null };

/** A page of the organization's members, oldest first; the cursor is a member's user id. */
export async function listPeople(tx: Tx, scope: Scope, page: PageRequest) {
  const { items, nextCursor } = await listMembersPage(tx, scope.orgId, page);
  return { items: items.map((m) => ({ userId: m.user.id, name: m.user.name, email: m.user.email, role: m.role, since: m.createdAt })), nextCursor };
}

async function change(platform: Db, scope: Scope, actor: Actor, input: { userId: string; role: Role | null }) {
  const action = input.role === null ? "realm.members.remove" : "realm.members.change-role";
  const outcome = await transaction(platform, async (tx) => {
    const owners = await unsafeLockOwners(tx, scope.orgId);
    const target = await unsafeFindMembership(tx, scope.orgId, input.userId);
    if (!target) throw notFound("member");
    // The actor's role as of the lock: a demotion committed since this request began counts.
    const actorRole = actor.viaBreakGlass ? actor.role : (await unsafeFindMembership(tx, scope.orgId, actor.userId))?.role;
    if (!actorRole) throw notFound("realm");
    const decision = decideMemberChange({ actor: actorRole, from: target.role, to: input.role, owners: owners.length });
    if (!decision.allowed) return { refused: decision, target };
    if (input.role === target.role) return { refused: null, target, unchanged: true };
    if (input.role === null) await unsafeDeleteMembership(tx, { orgId: scope.orgId, userId: input.userId });
    else await unsafeUpdateMembershipRole(tx, { orgId: scope.orgId, userId: input.userId, role: input.role });
    await recordDecision(tx, {
      realmId: scope.realmId,
      actorId: actor.userId,
      actorTokenId: actor.tokenId ?? null,
      action,
      targetType: "member",
      targetId: input.userId,
      decision: "allow",
      layer: "trpc",
      reason: input.role === null ? `removed ${target.user.email} (${target.role})` : `changed ${target.user.email} from ${target.role} to ${input.role}`,
      requestId: actor.requestId,
      details: { email: target.user.email, from: target.role, to: input.role ?? "removed" },
    });
    return { refused: null, target };
  });
  if (outcome.refused) {
    const { refused, target } = outcome;
    // The refusal is written after the transaction ended (it changed nothing).
    await recordDecision(platform, {
      realmId: scope.realmId,
      actorId: actor.userId,
      actorTokenId: actor.tokenId ?? null,
      action,
      targetType: "member",
      targetId: input.userId,
      decision: "deny",
      layer: "trpc",
      reason: `${refused.rule}: ${target.user.email} (${target.role})`,
      requestId: actor.requestId,
    });
    throw new DomainError(refused.rule === "people:last-owner" ? "precondition_failed" : "forbidden", refused.reason, { rule: refused.rule });
  }
}

export async function changeMemberRole(platform: Db, scope: Scope, actor: Actor, input: { userId: string; role: Role }): Promise<{ userId: string; role: Role }> {
  await change(platform, scope, actor, input);
  return { userId: input.userId, role: input.role };
}

export async function removeMember(platform: Db, scope: Scope, actor: Actor, input: { userId: string }): Promise<{ removed: true }> {
  await change(platform, scope, actor, { userId: input.userId, role: null });
  return { removed: true };
}
