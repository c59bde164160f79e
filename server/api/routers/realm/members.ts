import { z } from "zod";
import { memberOutput, pageInput, pageOf } from "../../../contracts/api";
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

const actorOf = (ctx: { user: { id: string }; role: string; breakGlassId: string | null; requestId: string; token: { id: string } | null }) => ({
  userId: ctx.user.id,
  role: ctx.role as Role,
  viaBreakGlass: ctx.breakGlassId !== null,
  requestId: ctx.requestId,
  tokenId: ctx.token?.id ?? null,
});

export const list = realmAction("realm.members.read")
  .meta({ openapi: { method: "GET", path: "/members", tags: ["People"], summary: "List the organization's members", description: "Oldest membership first. Pages with `cursor` (the previous page's `nextCursor`, a member's `userId`)." } })
  .input(pageInput.default({ limit: 50 }))
  .output(pageOf(memberOutput, "MemberPage"))
  .query(({ ctx, input }) => listPeople(ctx.db, { realmId: ctx.realm.id, orgId: ctx.org.id }, input));

export const changeRole = realmInput("realm.members.manage", z.object({ userId: memberId, role: memberRole, idempotencyKey: idempotencyKey.optional() }).strict())
  .meta({ openapi: { method: "PATCH", path: "/members/{userId}", tags: ["People"], summary: "Change a member's role", description: "Owners and admins; an admin cannot touch owners or promote anyone to owner; the last owner stays." } })
  .output(z.object({ userId: z.uuid(), role: memberRole }))
  .mutation(({ ctx, input }) =>
    changeMemberRole(ctx.platformDb, { realmId: ctx.realm.id, orgId: ctx.org.id }, actorOf(ctx), { userId: input.userId, role: input.role }),
  );

export const remove = realmInput("realm.members.manage", z.object({ userId: memberId, idempotencyKey: idempotencyKey.optional() }).strict())
  .meta({ openapi: { method: "DELETE", path: "/members/{userId}", tags: ["People"], summary: "Remove a member", description: "Ends the member's access and its API tokens at once." } })
  .output(z.object({ removed: z.literal(true) }))
  .mutation(({ ctx, input }) => removeMember(ctx.platformDb, { realmId: ctx.realm.id, orgId: ctx.org.id }, actorOf(ctx), { userId: input.userId }));


