import { z } from "zod";
import { createdInvitationOutput, invitationOutput, pageInput, pageOf } from "../../../contracts/api";
import { idempotencyKey } from "../../../contracts/vm";
import type { Role } from "../../../policy/permissions";
import { createInvitation, listInvitations, revokeInvitation } from "../../../services/invitations";
import { realmAction, realmInput } from "../../trpc";
import { memberRole } from "./members";

/**
 * The realm's invitations (owners and admins: realm.members.manage). Create answers with the
 * link, once: only its hash is stored, so no later call can show it again. It takes no
 * idempotency key on purpose: a replay would have to store the link to answer with it.
 */

export const email = z
  .string({ error: "email must be a string" })
  .trim()
  .toLowerCase()
  .max(254, "email must be at most 254 characters")
  .pipe(z.email({ error: "enter a valid email address" }));

/** The public URL the link starts with (NEXTAUTH_URL, as for every link the app hands out). */
export const publicBaseUrl = (): string => process.env.NEXTAUTH_URL ?? "http://localhost:3000";

const scopeOf = (ctx: { realm: { id: string }; org: { id: string; name: string } }) => ({ realmId: ctx.realm.id, orgId: ctx.org.id, orgName: ctx.org.name });

export const list = realmAction("realm.members.manage")
  .meta({ openapi: { method: "GET", path: "/invitations", tags: ["People"], summary: "List pending invitations", description: "Newest first. Pages with `cursor` (the previous page's `nextCursor`)." } })
  .input(pageInput.default({ limit: 50 }))
  .output(pageOf(invitationOutput, "InvitationPage"))
  .query(({ ctx, input }) => listInvitations(ctx.db, scopeOf(ctx), input));

export const create = realmAction("realm.members.manage")
  .meta({ openapi: { method: "POST", path: "/invitations", tags: ["People"], summary: "Invite someone", description: "The link is in this answer only (and in the invitee's email). No idempotency key: a replay would have to store the link." } })
  .input(z.object({ email, role: memberRole }).strict())
  .output(createdInvitationOutput)
  .mutation(({ ctx, input }) =>
    createInvitation(ctx.db, scopeOf(ctx), { userId: ctx.user.id, role: ctx.role as Role, requestId: ctx.requestId, tokenId: ctx.token?.id ?? null }, { email: input.email, role: input.role, baseUrl: publicBaseUrl() }),
  );

export const revoke = realmInput("realm.members.manage", z.object({ invitationId: z.uuid({ error: "invitationId must be a valid id" }), idempotencyKey: idempotencyKey.optional() }).strict())
  .meta({ openapi: { method: "DELETE", path: "/invitations/{invitationId}", tags: ["People"], summary: "Revoke a pending invitation" } })
  .output(z.object({ revoked: z.literal(true) }))
  .mutation(({ ctx, input }) =>
    revokeInvitation(ctx.db, scopeOf(ctx), { userId: ctx.user.id, role: ctx.role as Role, requestId: ctx.requestId, tokenId: ctx.token?.id ?? null }, input.invitationId),
  );
