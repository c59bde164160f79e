import { randomUUID } from "node:crypto";
import { z } from "zod";
import { dateTime, pageInput, pageOf } from "../../../contracts/api";
import { hasSecondFactor, OPERATOR_MFA_MESSAGE } from "../../../auth/mfa";
import { transaction } from "../../../db/client";
import { DomainError, notFound } from "../../../errors";
import { recordDecision } from "../../../repositories/audit";
import {
  unsafeFindActiveBreakGlass,
  unsafeFindUnrevokedBreakGlass,
  unsafeInsertBreakGlass,
  unsafeListBreakGlass,
  unsafeRevokeBreakGlass,
} from "../../../repositories/break-glass";
import { unsafeFindRealm } from "../../../repositories/realms";
import { operatorProcedure } from "../../trpc";
import { operatorRoute } from "./openapi";

/**
 * Break-glass (threat: an operator quietly acting inside a tenant's realm). A grant is explicit,
 * names one realm, carries a reason and an expiry of at most 4 hours, is audited in the realm's
 * own trail (its members see it), and can be revoked. An operator holds at most one at a time.
 */

const requestInput = z
  .object({
    realmId: z.uuid({ error: "realmId must be a valid id" }),
    reason: z.string().trim().min(10, "reason must say why, in at least 10 characters").max(500, "reason must be at most 500 characters"),
    minutes: z.number().int("minutes must be a whole number").min(5, "minutes must be at least 5").max(240, "minutes must be at most 240"),
  })
  .strict();

export const request = operatorProcedure
  .meta(operatorRoute("POST", "/operator/break-glass", "Request a break-glass grant", "Acts in one realm for at most 4 hours, with a reason, recorded in the realm's own trail. Needs a second factor."))
  .input(requestInput)
  .output(z.object({ grantId: z.uuid(), expiresAt: dateTime }))
  .mutation(async ({ ctx, input }) =>
    transaction(ctx.platformDb, async (tx) => {
      // A stolen operator password alone must not open a tenant's realm: a second factor is enrolled
      // (a password sign-in asks for it of every user who has one).
      if (!(await hasSecondFactor(tx, ctx.user.id))) throw new DomainError("forbidden", OPERATOR_MFA_MESSAGE, { rule: "operators need MFA for break-glass" });
      const realm = await unsafeFindRealm(tx, input.realmId);
      if (!realm) throw notFound("realm");
      // An offboarded realm has no one left to help: nobody acts inside it again.
      if (realm.status === "decommissioning" || realm.status === "decommissioned") {
        throw new DomainError("precondition_failed", `the realm is ${realm.status}: break-glass is closed`);
      }
      const active = await unsafeFindActiveBreakGlass(tx, ctx.user.id);
      if (active) throw new DomainError("conflict", `you already hold an active break-glass grant (${active.id}); revoke it first`);
      const id = randomUUID();
      const expiresAt = new Date(Date.now() + input.minutes * 60_000);
      await unsafeInsertBreakGlass(tx, { id, realmId: realm.id, operatorId: ctx.user.id, reason: input.reason, expiresAt });
      await recordDecision(tx, {
        realmId: realm.id,
        actorId: ctx.user.id,
        action: "breakglass.grant",
        targetType: "realm",
        targetId: realm.id,
        decision: "allow",
        layer: "trpc",
        reason: `break-glass until ${expiresAt.toISOString()}: ${input.reason}`,
        requestId: ctx.requestId,
        details: { grantId: id, minutes: input.minutes },
      });
      return { grantId: id, expiresAt };
    }),
  );

export const revoke = operatorProcedure
  .meta(operatorRoute("POST", "/operator/break-glass/{grantId}/revoke", "Revoke a break-glass grant"))
  .input(z.object({ grantId: z.uuid({ error: "grantId must be a valid id" }) }).strict())
  .output(z.object({ revoked: z.literal(true) }))
  .mutation(async ({ ctx, input }) =>
    transaction(ctx.platformDb, async (tx) => {
      const grant = await unsafeFindUnrevokedBreakGlass(tx, input.grantId);
      if (!grant) throw notFound("break-glass grant");
      await unsafeRevokeBreakGlass(tx, grant);
      await recordDecision(tx, {
        realmId: grant.realmId,
        actorId: ctx.user.id,
        action: "breakglass.revoke",
        targetType: "realm",
        targetId: grant.realmId,
        decision: "allow",
        layer: "trpc",
        reason: `revoked break-glass grant ${grant.id}`,
        requestId: ctx.requestId,
      });
      return { revoked: true as const };
    }),
  );

const grantOutput = z
  .object({
    id: z.uuid(),
    reason: z.string(),
    role: z.enum(["owner", "admin", "operator", "viewer"]),
    expiresAt: dateTime,
    revokedAt: dateTime.nullable(),
    createdAt: dateTime,
    operator: z.object({ name: z.string(), email: z.string() }),
    realm: z.object({ id: z.uuid(), org: z.object({ name: z.string(), slug: z.string() }) }),
  })
  .meta({ id: "BreakGlassGrant" });

export const list = operatorProcedure
  .meta(operatorRoute("GET", "/operator/break-glass", "Break-glass grants, newest first", "Pages with `cursor` (the previous page's `nextCursor`, a grant's id)."))
  .input(pageInput.default({ limit: 50 }))
  .output(pageOf(grantOutput, "BreakGlassGrantPage"))
  .query(({ ctx, input }) => unsafeListBreakGlass(ctx.platformDb, input));
