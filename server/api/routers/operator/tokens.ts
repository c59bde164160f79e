import { z } from "zod";
import { dateTime, pageInput, pageOf } from "../../../contracts/api";
import { id } from "../../../contracts/vm";
import { tokenStatus } from "../../../policy/api-tokens";
import { operatorListApiTokens, operatorRevokeApiToken } from "../../../services/api-tokens";
import { operatorProcedure } from "../../trpc";
import { tokenOutput } from "../token";
import { operatorRoute } from "./openapi";

/**
 * API tokens of every realm, for platform operators: who holds which, and revoking one whose
 * leak is reported to the platform (audited in the token's realm, with the reason). Never the
 * secret's hash.
 */

const operatorTokenOutput = tokenOutput
  .extend({ realmId: z.uuid(), org: z.object({ id: z.uuid(), slug: z.string(), name: z.string() }) })
  .meta({ id: "OperatorApiToken" });

export const list = operatorProcedure
  .meta(
    operatorRoute(
      "GET",
      "/operator/tokens",
      "API tokens of every realm, newest first",
      "With `orgId`, one organization's. Each with its member's email and its organization. Pages with `cursor` (the previous page's `nextCursor`).",
    ),
  )
  .input(pageInput.extend({ orgId: z.uuid({ error: "orgId must be a valid id" }).optional() }).default({ limit: 50 }))
  .output(pageOf(operatorTokenOutput, "OperatorApiTokenPage"))
  .query(async ({ ctx, input }) => {
    const now = new Date();
    const page = await operatorListApiTokens(ctx.platformDb, { orgId: input.orgId ?? null }, input);
    return { items: page.items.map((t) => ({ ...t, status: tokenStatus(t, now) })), nextCursor: page.nextCursor };
  });

export const revoke = operatorProcedure
  .meta(operatorRoute("POST", "/operator/tokens/{tokenId}/revoke", "Revoke any realm's API token", "A leak reported to the platform. The reason is recorded in the token's realm trail."))
  .input(
    z
      .object({
        tokenId: id,
        reason: z.string({ error: "reason is required" }).trim().min(5, "reason must say why, in at least 5 characters").max(500, "reason must be at most 500 characters"),
      })
      .strict(),
  )
  .output(z.object({ id: z.uuid(), revokedAt: dateTime }))
  .mutation(({ ctx, input }) => operatorRevokeApiToken(ctx.platformDb, { userId: ctx.user.id, requestId: ctx.requestId }, input));
