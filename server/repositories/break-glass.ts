import type { Tx } from "../db/client";

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

export async function unsafeInsertBreakGlass(platform: Tx, grant: { id: string; realmId: string; operatorId: string; reason: string; expiresAt: Date }): Promise<void> {
  await platform.breakGlassGrant.create({ data: grant });
}

/** A grant not yet revoked (expired or not). */
export function unsafeFindUnrevokedBreakGlass(platform: Tx, grantId: string) {
  return platform.breakGlassGrant.findFirst({ where: { id: grantId, revokedAt: null }, select: { id: true, realmId: true } });
}

export async function unsafeRevokeBreakGlass(platform: Tx, grant: { id: string; realmId: string }): Promise<void> {
  await platform.breakGlassGrant.update({ where: { realmId_id: { realmId: grant.realmId, id: grant.id } }, data: { revokedAt: new Date() } });
}
