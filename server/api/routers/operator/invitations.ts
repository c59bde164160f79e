import { z } from "zod";
import { hasSecondFactor, OPERATOR_MFA_MESSAGE } from "../../../auth/mfa";
import { DomainError } from "../../../errors";
import { unsafeInviteFirstOwner } from "../../../services/invitations";
import { createdInvitationOutput } from "../../../contracts/api";
import { operatorProcedure } from "../../trpc";
import { operatorRoute } from "./openapi";
import { email, publicBaseUrl } from "../realm/invitations";

/**
 * A platform operator invites an onboarded organization's first owner (only while it has none:
 * services/invitations.ts). The link is in this answer only, and in the outbox. As for
 * break-glass, a stolen operator password alone must not be enough: a second factor is enrolled.
 */
export const inviteOwner = operatorProcedure
  .meta(operatorRoute("POST", "/operator/organizations/{orgId}/owner-invitation", "Invite an organization's first owner", "Only while it has no owner. The link is in this answer only. Needs a second factor."))
  .input(z.object({ orgId: z.uuid({ error: "orgId must be a valid id" }), email }).strict())
  .output(createdInvitationOutput)
  .mutation(async ({ ctx, input }) => {
    if (!(await hasSecondFactor(ctx.platformDb, ctx.user.id))) throw new DomainError("forbidden", OPERATOR_MFA_MESSAGE, { rule: "operators need MFA to invite owners" });
    return unsafeInviteFirstOwner(ctx.platformDb, { userId: ctx.user.id, requestId: ctx.requestId }, { orgId: input.orgId, email: input.email, baseUrl: publicBaseUrl() });
  });
