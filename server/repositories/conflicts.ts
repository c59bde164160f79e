import type { Db, Tx } from "../db/client";

/** ACM Chinese Wall conflict sets between realms (platform rows). */

export async function unsafeConflictingRealms(platform: Db | Tx, realmId: string): Promise<Set<string>> {
  const rows = await platform.realmConflict.findMany({
    where: { OR: [{ realmLow: realmId }, { realmHigh: realmId }] },
    select: { realmLow: true, realmHigh: true },
  });
  return new Set(rows.map((r) => (r.realmLow === realmId ? r.realmHigh : r.realmLow)));
}

export function unsafeListConflicts(platform: Db) {
  return platform.realmConflict.findMany({
    orderBy: { createdAt: "desc" },
    select: {
      realmLow: true,
      realmHigh: true,
      reason: true,
      createdAt: true,
      low: { select: { categoryLow: true, categoryHigh: true, org: { select: { name: true } } } },
      high: { select: { categoryLow: true, categoryHigh: true, org: { select: { name: true } } } },
    },
  });
}
