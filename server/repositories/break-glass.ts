import type { Db } from "../db/client";

/** Break-glass grants. Read on the platform client during identity resolution (before a realm is set). */

export function unsafeFindActiveBreakGlass(platform: Db, operatorId: string, now = new Date()) {
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

export function unsafeListBreakGlass(platform: Db, take = 50) {
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
