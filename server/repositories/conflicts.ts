import type { Tx } from "../db/client";
import { Prisma } from "../generated/prisma/client";
import { DomainError } from "../errors";

/** ACM Chinese Wall conflict sets between realms (platform rows). */

export async function unsafeConflictingRealms(platform: Tx, realmId: string): Promise<Set<string>> {
  const rows = await platform.realmConflict.findMany({
    where: { OR: [{ realmLow: realmId }, { realmHigh: realmId }] },
    select: { realmLow: true, realmHigh: true },
  });
  return new Set(rows.map((r) => (r.realmLow === realmId ? r.realmHigh : r.realmLow)));
}

export function unsafeListConflicts(platform: Tx) {
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

/** Every conflict set as the two realms' category pairs (the ACM policy is built from these). */
export function unsafeListConflictCategories(platform: Tx) {
  return platform.realmConflict.findMany({
    select: { low: { select: { categoryLow: true, categoryHigh: true } }, high: { select: { categoryLow: true, categoryHigh: true } } },
  });
}

/** Adds a conflict set (realm ids ordered); an existing one is a conflict. */
export async function unsafeInsertConflict(platform: Tx, pair: { realmLow: string; realmHigh: string }, reason: string, createdBy: string): Promise<void> {
  try {
    await platform.realmConflict.create({ data: { ...pair, reason, createdBy } });
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      throw new DomainError("conflict", "these two realms are already in a conflict set");
    }
    throw error;
  }
}

/** Removes a conflict set; false when there was none. */
export async function unsafeDeleteConflict(platform: Tx, pair: { realmLow: string; realmHigh: string }): Promise<boolean> {
  const { count } = await platform.realmConflict.deleteMany({ where: pair });
  return count > 0;
}
