import { z } from "zod";
import { transaction } from "../../../db/client";
import { DomainError } from "../../../errors";
import { recordDecision } from "../../../repositories/audit";
import { unsafeListIdentitiesForUser } from "../../../repositories/identities";
import { unsafeFindMembershipForUser } from "../../../repositories/memberships";
import { unsafeListPasskeys, unsafeMfaStatus, unsafeSetOrgRequireMfa } from "../../../repositories/mfa";
import { decidePermission } from "../../../policy/permissions";
import { protectedProcedure, realmInput, router } from "../../trpc";
import { passkeyRouter } from "./passkeys";
import { totpRouter } from "./totp";

/**
 * The caller's own second factors (the security page) and the organization's MFA requirement.
 * Everything but the policy toggle is a protectedProcedure, not a realm procedure: a member whose
 * organization requires MFA must still reach these to set it up.
 */

const status = protectedProcedure.query(async ({ ctx }) => {
  const [mfa, passkeys, identities, membership] = await Promise.all([
    unsafeMfaStatus(ctx.platformDb, ctx.user.id),
    unsafeListPasskeys(ctx.platformDb, ctx.user.id),
    unsafeListIdentitiesForUser(ctx.platformDb, ctx.user.id),
    // The organization the request names (as setOrgRequirement, a realm procedure, will act on).
    unsafeFindMembershipForUser(ctx.platformDb, ctx.user.id, ctx.requestedOrg),
  ]);
  return {
    email: ctx.user.email,
    totpEnabled: mfa.totpEnabled,
    totpEnabledAt: mfa.totpEnabledAt,
    recoveryCodesLeft: mfa.recoveryCodes,
    passkeys: passkeys.map((p) => ({ id: p.id, name: p.name, createdAt: p.createdAt, lastUsedAt: p.lastUsedAt })),
    identities,
    isPlatformOperator: ctx.user.isPlatformOperator,
    org: membership
      ? {
          name: membership.org.name,
          requireMfa: membership.org.requireMfa,
          canManage: decidePermission(membership.role, "realm.members.manage").allowed,
        }
      : null,
  };
});

/**
 * Owners (and admins: whoever manages members) can require a second factor of every member. The
 * caller must have one, or it would lock itself out of its own realm.
 */
const setOrgRequirement = realmInput("realm.members.manage", z.object({ requireMfa: z.boolean() }).strict()).mutation(async ({ ctx, input }) => {
  const mfa = await unsafeMfaStatus(ctx.platformDb, ctx.user.id);
  if (input.requireMfa && !mfa.totpEnabled && mfa.passkeys === 0) {
    throw new DomainError("precondition_failed", "set up two-factor authentication for yourself first (/account/security)");
  }
  await transaction(ctx.platformDb, async (tx) => {
    await unsafeSetOrgRequireMfa(tx, ctx.org.id, input.requireMfa);
    await recordDecision(tx, {
      realmId: ctx.realm.id,
      actorId: ctx.user.id,
      action: "org.mfa.require",
      targetType: "organization",
      targetId: ctx.org.id,
      decision: "allow",
      layer: "trpc",
      reason: input.requireMfa ? "members must use two-factor authentication" : "two-factor authentication no longer required",
      requestId: ctx.requestId,
      details: { requireMfa: input.requireMfa },
    });
  });
  return { requireMfa: input.requireMfa };
});

export const mfaRouter = router({ status, totp: totpRouter, passkey: passkeyRouter, setOrgRequirement });
