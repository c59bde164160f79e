import { z } from "zod";
import { idempotencyKey } from "../../../contracts/vm";
import type { Role } from "../../../policy/permissions";
import { changeMemberRole, listPeople, removeMember } from "../../../services/people";
import { realmAction, realmInput } from "../../trpc";

/**
 * The organization's members. Every member reads the list (realm.members.read: names, emails,
 * roles); owners and admins change roles and remove members (realm.members.manage, narrowed by
 * policy/people.ts). A user id that is not a member of the caller's organization (another
 * organization's member, or nobody) answers NOT_FOUND alike.
 */

export const memberRole = z.enum(["owner", "admin", "operator", "viewer"], { error: "role must be owner, admin, operator or viewer" });
const memberId = z.uuid({ error: "userId must be a valid id" });

const actorOf = (ctx: { user: { id: string }; role: string; breakGlassId: string | null; requestId: string }) => ({
  userId: ctx.user.id,
  role: ctx.role as Role,
  viaBreakGlass: ctx.breakGlassId !== null,
  requestId: ctx.requestId,
});

export const list = realmAction("realm.members.read").query(({ ctx }) => listPeople(ctx.db, { realmId: ctx.realm.id, orgId: ctx.org.id }));

export const changeRole = realmInput("realm.members.manage", z.object({ userId: memberId, role: memberRole, idempotencyKey: idempotencyKey.optional() }).strict()).mutation(
  ({ ctx, input }) => changeMemberRole(ctx.platformDb, { realmId: ctx.realm.id, orgId: ctx.org.id }, actorOf(ctx), { userId: input.userId, role: input.role }),
);

export const remove = realmInput("realm.members.manage", z.object({ userId: memberId, idempotencyKey: idempotencyKey.optional() }).strict()).mutation(({ ctx, input }) =>
  removeMember(ctx.platformDb, { realmId: ctx.realm.id, orgId: ctx.org.id }, actorOf(ctx), { userId: input.userId }),
);


