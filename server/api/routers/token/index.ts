import { z } from "zod";
import { dateTime as when } from "../../../contracts/api";
import { pageInput, pageOf } from "../../../contracts/api";
import { id } from "../../../contracts/vm";
import { DomainError } from "../../../errors";
import { MAX_TOKEN_LIFETIME_DAYS, TOKEN_PREFIX, tokenStatus } from "../../../policy/api-tokens";
import { PERMISSIONS, type Role } from "../../../policy/permissions";
import { createApiToken, listApiTokens, revokeApiToken } from "../../../services/api-tokens";
import { decideCaller, realmAction, router } from "../../trpc";

/**
 * A member's API tokens in the caller's realm (services/api-tokens.ts). Every member may hold
 * tokens (realm.read): a token carries at most the member's own permissions. Owners
 * (realm.tokens.manage) list and revoke everyone's.
 */

const DAY_MS = 86_400_000;

/**
 * A boolean that also reads "true"/"false" from a query string (REST GETs). Not z.boolean():
 * trpc-to-openapi would coerce it with Boolean(), which reads "false" as true.
 */
const queryBoolean = (field: string) =>
  z.preprocess((v) => (v === "true" ? true : v === "false" ? false : v), z.boolean({ error: `${field} must be true or false` }));

export const tokenOutput = z
  .object({
    id: z.uuid(),
    lookupId: z.string().meta({ description: `The token's public part: ${TOKEN_PREFIX}<lookupId>_…` }),
    userId: z.uuid(),
    owner: z.string().meta({ description: "The member's email" }),
    name: z.string(),
    permissions: z.array(z.string()),
    allowedCidr: z.string().nullable(),
    status: z.enum(["active", "expired", "revoked"]),
    expiresAt: when,
    createdAt: when,
    lastUsedAt: when.nullable(),
    lastUsedAddress: z.string().nullable(),
    revokedAt: when.nullable(),
    revokeReason: z.string().nullable(),
  })
  .meta({ id: "ApiToken" });


const tokenName = z
  .string({ error: "name is required" })
  .trim()
  .min(1, "name must not be empty")
  .max(64, "name must be at most 64 characters")
  .regex(/^[A-Za-z0-9][A-Za-z0-9 _.:-]*$/, "name must start with a letter or digit and use only letters, digits, spaces and _ . : -");

export const createTokenInput = z
  .object({
    name: tokenName,
    permissions: z
      .array(z.enum(PERMISSIONS, { error: `each permission must be one of ${PERMISSIONS.join(", ")}` }), { error: "permissions must be a list" })
      .min(1, "permissions must name at least one permission")
      .max(PERMISSIONS.length),
    expiresInDays: z
      .number({ error: "expiresInDays must be a number" })
      .int("expiresInDays must be a whole number of days")
      .min(1, "expiresInDays must be at least 1")
      .max(MAX_TOKEN_LIFETIME_DAYS, `expiresInDays must be at most ${MAX_TOKEN_LIFETIME_DAYS}`)
      .optional(),
    expiresAt: z.iso.datetime({ offset: true, error: "expiresAt must be an ISO 8601 date-time" }).optional(),
    allowedCidr: z.string().trim().max(64, "allowedCidr must be at most 64 characters").nullable().optional().meta({ description: "Client address range, e.g. 203.0.113.0/24" }),
  })
  .strict()
  .refine((input) => (input.expiresInDays === undefined) !== (input.expiresAt === undefined), {
    message: "give exactly one of expiresInDays or expiresAt (a token must expire)",
    path: ["expiresInDays"],
  });

const scopeOf = (ctx: { realm: { id: string }; org: { id: string } }) => ({ realmId: ctx.realm.id, orgId: ctx.org.id });
const actorOf = (ctx: { user: { id: string }; role: string; requestId: string; token: { id: string } | null }) => ({
  userId: ctx.user.id,
  role: ctx.role as Role,
  requestId: ctx.requestId,
  tokenId: ctx.token?.id ?? null,
});

export const list = realmAction("realm.read")
  .meta({
    openapi: {
      method: "GET",
      path: "/tokens",
      tags: ["API tokens"],
      summary: "List API tokens",
      description: "Yours; with `all=true` (owners) every member's in the realm. Newest first; pages with `cursor` (the previous page's `nextCursor`).",
    },
  })
  .input(pageInput.extend({ all: queryBoolean("all").default(false) }).default({ all: false, limit: 50 }))
  .output(pageOf(tokenOutput, "ApiTokenPage"))
  .query(async ({ ctx, input }) => {
    if (input.all && !decideCaller(ctx.role, ctx.token, "realm.tokens.manage").allowed) {
      throw new DomainError("forbidden", "only the organization's owners list every member's tokens", { permission: "realm.tokens.manage" });
    }
    const now = new Date();
    const page = await listApiTokens(ctx.db, scopeOf(ctx), input.all ? "all" : { userId: ctx.user.id }, input);
    return { items: page.items.map((t) => ({ ...t, status: tokenStatus(t, now) })), nextCursor: page.nextCursor };
  });

export const create = realmAction("realm.read")
  .meta({
    openapi: {
      method: "POST",
      path: "/tokens",
      tags: ["API tokens"],
      summary: "Create an API token",
      description: "Needs a signed-in session (a token cannot create tokens). The secret (`token`) is in this answer only.",
    },
  })
  .input(createTokenInput)
  .output(tokenOutput.extend({ token: z.string().meta({ description: "The secret: shown once, stored hashed" }) }))
  .mutation(async ({ ctx, input }) => {
    const expiresAt = input.expiresAt ? new Date(input.expiresAt) : new Date(Date.now() + (input.expiresInDays ?? 0) * DAY_MS);
    const created = await createApiToken(ctx.db, scopeOf(ctx), actorOf(ctx), { name: input.name, permissions: input.permissions, expiresAt, allowedCidr: input.allowedCidr ?? null });
    return { ...created, owner: ctx.user.email, status: tokenStatus(created, new Date()) };
  });

export const revoke = realmAction("realm.read")
  .meta({ openapi: { method: "DELETE", path: "/tokens/{tokenId}", tags: ["API tokens"], summary: "Revoke an API token", description: "Yours, or (owners) any member's." } })
  .input(z.object({ tokenId: id }).strict())
  .output(z.object({ id: z.uuid(), revokedAt: when }))
  .mutation(({ ctx, input }) =>
    revokeApiToken(ctx.db, scopeOf(ctx), actorOf(ctx), input.tokenId, decideCaller(ctx.role, ctx.token, "realm.tokens.manage").allowed),
  );

export const tokenRouter = router({ list, create, revoke });
