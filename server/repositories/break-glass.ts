import { DomainError } from "../errors";
import type { Tx } from "../db/client";
import { notifyAccessChanged } from "./access";

/** Break-glass grants. Read on the platform client during identity resolution (before a realm is set). */

export function unsafeFindActiveBreakGlass(platform: Tx, operatorId: string, now = new Date()) {
  return platform.breakGlassGrant.findFirst({
    where: { operatorId, revokedAt: null, expiresAt: { gt: now } },
    orderBy: { createdAt: "desc" },
    select: {
      id: true,
      role: true,
      reason: true,
      expiresAt: true,
      realm: {
        select: {
          id: true,
          categoryLow: true,
          categoryHigh: true,
          createdAt: true,
          org: { select: { id: true, slug: true, name: true } },
        },
      },
    },
  });
}

export function unsafeListBreakGlass(platform: Tx, take = 50) {
  return platform.breakGlassGrant.findMany({
    orderBy: { createdAt: "desc" },
    take,
    select: {
      id: true,
      reason: true,
      role: true,
      expiresAt: true,
      revokedAt: true,
      createdAt: true,
      operator: { select: { name: true, email: true } },
      realm: { select: { id: true, org: { select: { name: true, slug: true } } } },
    },
  });
}

/**
 * The database holds an operator to one active grant (an exclusion constraint over the grants'
 * windows), so concurrent requests cannot both succeed: the loser gets a conflict.
 */
export async function unsafeInsertBreakGlass(platform: Tx, grant: { id: string; realmId: string; operatorId: string; reason: string; expiresAt: Date }): Promise<void> {
  try {
    await platform.breakGlassGrant.create({ data: grant });
  } catch (error) {
    if (errorText(error).includes(ONE_ACTIVE_CONSTRAINT)) throw new DomainError("conflict", "you already hold an active break-glass grant; revoke it first");
    throw error;
  }
}

const ONE_ACTIVE_CONSTRAINT = "break_glass_grants_one_active_per_operator";

function errorText(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return `${error.message} ${JSON.stringify((error as { meta?: unknown }).meta ?? null)} ${error.cause ? errorText(error.cause) : ""}`;
}

/** A grant not yet revoked (expired or not). */
export function unsafeFindUnrevokedBreakGlass(platform: Tx, grantId: string) {
  return platform.breakGlassGrant.findFirst({ where: { id: grantId, revokedAt: null }, select: { id: true, realmId: true } });
}

/** Revokes the grant and tells the operator's open live-update streams (same transaction). */
export async function unsafeRevokeBreakGlass(platform: Tx, grant: { id: string; realmId: string }): Promise<void> {
  const revoked = await platform.breakGlassGrant.update({
    where: { realmId_id: { realmId: grant.realmId, id: grant.id } },
    data: { revokedAt: new Date() },
    select: { operatorId: true },
  });
  await notifyAccessChanged(platform, revoked.operatorId);
}
