import { randomUUID } from "node:crypto";
import { checkCidr, MAX_TOKEN_LIFETIME_DAYS, mintToken } from "../policy/api-tokens";
import { transaction, type Db, type Tx } from "../db/client";
import { DomainError, notFound } from "../errors";
import { ROLE_GRANTS, type Permission, type Role } from "../policy/permissions";
import { recordDecision } from "../repositories/audit";
import { cidrText, insertToken, listTokens, revokeToken, unsafeFindToken, unsafeListAllTokens, unsafeRevokeToken } from "../repositories/api-tokens";
import type { PageRequest } from "../repositories/pagination";

/**
 * A member's API tokens (auth/api-tokens.ts for the credential itself). A member creates tokens
 * for itself only, with a subset of what its role grants, from a session (a token cannot mint
 * tokens: a leaked one must not be able to outlive its own expiry). Members list and revoke
 * their own tokens; owners (realm.tokens.manage) every token of the realm; platform operators
 * any token. Every change is audited with the state change, in the same transaction.
 */

type Scope = { realmId: string; orgId: string };
type Actor = { userId: string; role: Role; requestId: string; tokenId: string | null };

const DAY_MS = 86_400_000;

export type CreateTokenInput = { name: string; permissions: Permission[]; expiresAt: Date; allowedCidr?: string | null };

export async function createApiToken(tx: Tx, scope: Scope, actor: Actor, input: CreateTokenInput, now = new Date()) {
  if (actor.tokenId !== null) throw new DomainError("forbidden", "an API token cannot create API tokens; sign in to create one", { rule: "tokens mint no tokens" });
  const grants = ROLE_GRANTS[actor.role] ?? new Set<Permission>();
  const beyond = input.permissions.filter((p) => !grants.has(p));
  if (beyond.length > 0) {
    throw new DomainError("bad_input", `your role (${actor.role}) does not hold ${beyond.join(", ")}: a token can only carry permissions you have`, { field: "permissions" });
  }
  if (input.expiresAt.getTime() <= now.getTime()) throw new DomainError("bad_input", "expiresAt must be in the future", { field: "expiresAt" });
  if (input.expiresAt.getTime() > now.getTime() + MAX_TOKEN_LIFETIME_DAYS * DAY_MS) {
    throw new DomainError("bad_input", `expiresAt must be at most ${MAX_TOKEN_LIFETIME_DAYS} days away`, { field: "expiresAt" });
  }
  const allowedCidr = input.allowedCidr ? await canonicalCidr(tx, input.allowedCidr) : null;
  const minted = mintToken();
  const id = randomUUID();
  // Every token reads its own realm (realm.read: name, category, its own permissions), so a
  // client can tell where it is; every role holds it.
  const permissions = [...new Set<Permission>(["realm.read", ...input.permissions])];
  const created = await insertToken(tx, {
    id,
    realmId: scope.realmId,
    orgId: scope.orgId,
    userId: actor.userId,
    lookupId: minted.lookupId,
    secretHash: minted.secretHash,
    name: input.name,
    permissions,
    expiresAt: input.expiresAt,
    allowedCidr,
    createdAt: now,
  });
  await recordDecision(tx, {
    realmId: scope.realmId,
    actorId: actor.userId,
    action: "api-token.create",
    targetType: "api-token",
    targetId: id,
    decision: "allow",
    layer: "trpc",
    reason: `created API token '${input.name}' (${permissions.join(", ") || "no permissions"}) expiring ${input.expiresAt.toISOString()}${allowedCidr ? ` from ${allowedCidr}` : ""}`,
    requestId: actor.requestId,
    details: { name: input.name, permissions, expiresAt: input.expiresAt.toISOString(), allowedCidr },
  });
  // The only time the secret exists outside the caller's hands: it is not stored, only its hash.
  return { ...created, token: minted.token };
}

/** A CIDR range as PostgreSQL writes it; an invalid one names the problem (host bits set…). */
async function canonicalCidr(tx: Tx, value: string): Promise<string> {
  const checked = checkCidr(value);
  if (!checked.ok) throw new DomainError("bad_input", `allowedCidr must be an address range such as 203.0.113.0/24: ${checked.problem}`, { field: "allowedCidr" });
  return cidrText(tx, checked.range);
}

/** A page of the caller's own tokens, or (all) of every token of the realm with its member; newest first. */
export function listApiTokens(tx: Tx, scope: Scope, filter: { userId: string } | "all", page: PageRequest) {
  return listTokens(tx, scope.realmId, filter === "all" ? null : filter.userId, page);
}

/** Revokes a token of the realm: the caller's own, or any (mayRevokeAny). Others answer not found. */
export async function revokeApiToken(tx: Tx, scope: Scope, actor: Actor, tokenId: string, mayRevokeAny: boolean) {
  const revoked = await revokeToken(tx, { realmId: scope.realmId, tokenId, userId: mayRevokeAny ? null : actor.userId, byUserId: actor.userId, reason: "revoked by a member" });
  if (!revoked) throw notFound("API token");
  await recordDecision(tx, {
    realmId: scope.realmId,
    actorId: actor.userId,
    actorTokenId: actor.tokenId,
    action: "api-token.revoke",
    targetType: "api-token",
    targetId: tokenId,
    decision: "allow",
    layer: "trpc",
    reason: `revoked API token '${revoked.name}'${revoked.userId === actor.userId ? "" : ` of ${revoked.email}`}`,
    requestId: actor.requestId,
    details: { name: revoked.name, owner: revoked.email },
  });
  return { id: tokenId, revokedAt: revoked.revokedAt };
}

/** Every realm's tokens, or one organization's, for platform operators (never the hash). */
export function operatorListApiTokens(platform: Db, filter: { orgId: string | null }, page: PageRequest) {
  return unsafeListAllTokens(platform, filter.orgId, page);
}

/** A platform operator revokes any token (a leak reported to the platform). */
export async function operatorRevokeApiToken(platform: Db, actor: { userId: string; requestId: string }, input: { tokenId: string; reason: string }) {
  return transaction(platform, async (tx) => {
    const token = await unsafeFindToken(tx, input.tokenId);
    if (!token) throw notFound("API token");
    const revoked = await unsafeRevokeToken(tx, { tokenId: input.tokenId, byUserId: actor.userId, reason: `revoked by a platform operator: ${input.reason}` });
    if (!revoked) throw new DomainError("conflict", "this API token is already revoked");
    await recordDecision(tx, {
      realmId: token.realmId,
      actorId: actor.userId,
      action: "api-token.revoke",
      targetType: "api-token",
      targetId: input.tokenId,
      decision: "allow",
      layer: "trpc",
      reason: `platform operator revoked API token '${token.name}' of ${token.email}: ${input.reason}`,
      requestId: actor.requestId,
      details: { name: token.name, owner: token.email, byOperator: true },
    });
    return { id: input.tokenId, revokedAt: revoked.revokedAt };
  });
}
