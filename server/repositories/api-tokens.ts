import type { Tx } from "../db/client";
import { Prisma } from "../generated/prisma/client";
import { DomainError } from "../errors";
import { afterCreated, cursorRow, toPage, type PageRequest } from "./pagination";

/** API tokens as the realm sees them: never the secret's hash. */
const tokenSelect = {
  id: true,
  lookupId: true,
  userId: true,
  name: true,
  permissions: true,
  allowedCidr: true,
  expiresAt: true,
  createdAt: true,
  lastUsedAt: true,
  lastUsedAddress: true,
  revokedAt: true,
  revokeReason: true,
} satisfies Prisma.ApiTokenSelect;

export async function insertToken(
  tx: Tx,
  token: {
    id: string;
    realmId: string;
    orgId: string;
    userId: string;
    lookupId: string;
    secretHash: string;
    name: string;
    permissions: string[];
    expiresAt: Date;
    allowedCidr: string | null;
    createdAt: Date;
  },
) {
  try {
    return await tx.apiToken.create({ data: token, select: tokenSelect });
  } catch (error) {
    // The partial unique index api_tokens_live_name_key: one live token per name and member.
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      throw new DomainError("conflict", `you already have a live API token named '${token.name}'`, { field: "name" });
    }
    throw error;
  }
}

/** A realm's tokens (one member's when userId is given), newest first, with their members. */
export async function listTokens(tx: Tx, realmId: string, userId: string | null, page: PageRequest) {
  const mine = { realmId, ...(userId ? { userId } : {}) };
  // The cursor must be a token of this list: another member's id does not page one's own list.
  const after = await cursorRow(page.cursor, (id) => tx.apiToken.findFirst({ where: { ...mine, id }, select: { id: true, createdAt: true } }));
  const rows = await tx.apiToken.findMany({
    where: { ...mine, ...afterCreated(after, "desc") },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: page.limit + 1,
    select: tokenSelect,
  });
  const { items: tokens, nextCursor } = toPage(rows, page.limit, (token) => token.id);
  // Members of the realm's organization are visible to the tenant role; a former member is not.
  const users = await tx.user.findMany({ where: { id: { in: [...new Set(tokens.map((t) => t.userId))] } }, select: { id: true, email: true } });
  const emails = new Map(users.map((u) => [u.id, u.email]));
  return { items: tokens.map((t) => ({ ...t, owner: emails.get(t.userId) ?? "former member" })), nextCursor };
}

/** Revokes a live token of the realm (of one member when userId is given); null if there is none. */
export async function revokeToken(tx: Tx, args: { realmId: string; tokenId: string; userId: string | null; byUserId: string; reason: string }) {
  const updated = await tx.apiToken.updateManyAndReturn({
    where: { realmId: args.realmId, id: args.tokenId, revokedAt: null, ...(args.userId ? { userId: args.userId } : {}) },
    data: { revokedAt: new Date(), revokedById: args.byUserId, revokeReason: args.reason },
    select: { name: true, userId: true, revokedAt: true },
  });
  const revoked = updated[0];
  if (!revoked) return null;
  const owner = await tx.user.findUnique({ where: { id: revoked.userId }, select: { email: true } });
  return { ...revoked, revokedAt: revoked.revokedAt ?? new Date(), email: owner?.email ?? "former member" };
}

/** Any realm's token with its member (platform client: operators). */
export async function unsafeFindToken(platform: Tx, tokenId: string) {
  const token = await platform.apiToken.findUnique({ where: { id: tokenId }, select: { realmId: true, name: true, userId: true } });
  if (!token) return null;
  const owner = await platform.user.findUnique({ where: { id: token.userId }, select: { email: true } });
  return { ...token, email: owner?.email ?? "deleted user" };
}

export async function unsafeRevokeToken(platform: Tx, args: { tokenId: string; byUserId: string; reason: string }) {
  const updated = await platform.apiToken.updateManyAndReturn({
    where: { id: args.tokenId, revokedAt: null },
    data: { revokedAt: new Date(), revokedById: args.byUserId, revokeReason: args.reason },
    select: { revokedAt: true },
  });
  return updated[0] ? { revokedAt: updated[0].revokedAt ?? new Date() } : null;
}

/**
 * A page of every realm's tokens (one organization's with orgId), newest first, with member and
 * organization (platform client: operators). Never the hash. The cursor must be a token of the
 * list asked for: another organization's token does not page one organization's list.
 */
export async function unsafeListAllTokens(platform: Tx, orgId: string | null, page: PageRequest) {
  const scope = orgId ? { orgId } : {};
  const after = await cursorRow(page.cursor, (id) => platform.apiToken.findFirst({ where: { ...scope, id }, select: { id: true, createdAt: true } }));
  const rows = await platform.apiToken.findMany({
    where: { ...scope, ...afterCreated(after, "desc") },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: page.limit + 1,
    select: { ...tokenSelect, realmId: true, orgId: true },
  });
  // The page first, then its members and organizations by id (a relation select would join every token before the LIMIT).
  const { items: tokens, nextCursor } = toPage(rows, page.limit, (token) => token.id);
  const users = await platform.user.findMany({ where: { id: { in: [...new Set(tokens.map((t) => t.userId))] } }, select: { id: true, email: true } });
  const orgs = await platform.organization.findMany({ where: { id: { in: [...new Set(tokens.map((t) => t.orgId))] } }, select: { id: true, slug: true, name: true } });
  const emails = new Map(users.map((u) => [u.id, u.email]));
  const orgById = new Map(orgs.map((o) => [o.id, o]));
  return { items: tokens.map(({ orgId, ...t }) => ({ ...t, org: orgById.get(orgId)!, owner: emails.get(t.userId) ?? "deleted user" })), nextCursor };
}

/** Display names of tokens for audit rows ("token ci-deploy"). */
export async function tokenNames(tx: Tx, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const tokens = await tx.apiToken.findMany({ where: { id: { in: [...new Set(ids)] } }, select: { id: true, name: true } });
  return new Map(tokens.map((t) => [t.id, t.name]));
}

/** What authenticating a bearer token needs, in one query (platform client: no realm yet). */
export type TokenForAuthentication = {
  id: string;
  realm_id: string;
  name: string;
  permissions: string[];
  secret_hash: string;
  expires_at: Date;
  revoked_at: Date | null;
  /** The peer is inside the token's range (or it has none); NULL when the peer is unknown. */
  address_ok: boolean | null;
  last_used_at: Date | null;
  last_used_address: string | null;
  user_id: string;
  email: string;
  user_name: string;
  session_epoch: number;
  org_slug: string;
  /** The member's current membership in the token's organization (null: it ended), with the realm. */
  role: "owner" | "admin" | "operator" | "viewer" | null;
  org_id: string;
  org_name: string;
  require_mfa: boolean;
  /** The organization's realm (the token's, unless something is badly wrong: the caller compares). */
  org_realm_id: string | null;
  category_low: number | null;
  category_high: number | null;
  realm_created_at: Date | null;
};

export async function unsafeFindTokenForAuthentication(platform: Tx, lookupId: string, peer: string | null): Promise<TokenForAuthentication | null> {
  const rows = await platform.$queryRaw<TokenForAuthentication[]>`
    SELECT t."id", t."realm_id", t."name", t."permissions", t."secret_hash", t."expires_at", t."revoked_at",
           t."last_used_at", t."last_used_address",
           (t."allowed_cidr" IS NULL OR ${peer}::inet <<= t."allowed_cidr"::cidr) AS address_ok,
           u."id" AS user_id, u."email", u."name" AS user_name, u."session_epoch", o."slug" AS org_slug,
           m."role"::text AS role, o."id" AS org_id, o."name" AS org_name, o."require_mfa",
           r."id" AS org_realm_id, r."category_low", r."category_high", r."created_at" AS realm_created_at
      FROM "api_tokens" t
      JOIN "users" u ON u."id" = t."user_id"
      JOIN "organizations" o ON o."id" = t."org_id"
      LEFT JOIN "memberships" m ON m."user_id" = t."user_id" AND m."org_id" = t."org_id"
      LEFT JOIN "realms" r ON r."org_id" = o."id"
     WHERE t."lookup_id" = ${lookupId}`;
  return rows[0] ?? null;
}

export async function unsafeRecordTokenUse(platform: Tx, tokenId: string, at: Date, peer: string | null): Promise<void> {
  await platform.$executeRaw`UPDATE "api_tokens" SET "last_used_at" = ${at}, "last_used_address" = ${peer} WHERE "id" = ${tokenId}::uuid`;
}

/** A range checked by policy/api-tokens.ts checkCidr, as PostgreSQL writes it (the stored form). */
export async function cidrText(tx: Tx, range: string): Promise<string> {
  const [row] = await tx.$queryRaw<{ text: string }[]>`SELECT (${range}::cidr)::text AS text`;
  return row?.text ?? range;
}
