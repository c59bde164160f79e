import type { Tx } from "../db/client";
import { Prisma } from "../generated/prisma/client";
import { DomainError } from "../errors";
import { invalidCursor, toPage, type PageRequest } from "./pagination";

/** ACM Chinese Wall conflict sets between realms (platform rows). */

export async function unsafeConflictingRealms(platform: Tx, realmId: string): Promise<Set<string>> {
  const rows = await platform.realmConflict.findMany({
    where: { OR: [{ realmLow: realmId }, { realmHigh: realmId }] },
    select: { realmLow: true, realmHigh: true },
  });
  return new Set(rows.map((r) => (r.realmLow === realmId ? r.realmHigh : r.realmLow)));
}

const PAIR = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

/** A conflict set's cursor: its two realm ids, "low/high" (the pair is its key). */
export const conflictCursor = (c: { realmLow: string; realmHigh: string }) => `${c.realmLow}/${c.realmHigh}`;

/**
 * A page of conflict sets, newest first, then by the pair (a unique tie-breaker). The cursor
 * names a set that exists ("low/high"); anything else is refused naming `cursor`.
 */
export async function unsafeListConflicts(platform: Tx, page: PageRequest) {
  let after: { realmLow: string; realmHigh: string; createdAt: Date } | null = null;
  if (page.cursor !== undefined) {
    const pair = PAIR.exec(page.cursor.toLowerCase());
    after = pair
      ? await platform.realmConflict.findUnique({
          where: { realmLow_realmHigh: { realmLow: pair[1]!, realmHigh: pair[2]! } },
          select: { realmLow: true, realmHigh: true, createdAt: true },
        })
      : null;
    if (!after) throw invalidCursor();
  }
  const rows = await platform.realmConflict.findMany({
    where: after
      ? {
          OR: [
            { createdAt: { lt: after.createdAt } },
            { createdAt: after.createdAt, realmLow: { lt: after.realmLow } },
            { createdAt: after.createdAt, realmLow: after.realmLow, realmHigh: { lt: after.realmHigh } },
          ],
        }
      : {},
    orderBy: [{ createdAt: "desc" }, { realmLow: "desc" }, { realmHigh: "desc" }],
    take: page.limit + 1,
    select: { realmLow: true, realmHigh: true, reason: true, createdAt: true },
  });
  // The page first, then its realms by id (a relation select would join every set before the LIMIT).
  const { items, nextCursor } = toPage(rows, page.limit, conflictCursor);
  const realms = await platform.realm.findMany({
    where: { id: { in: [...new Set(items.flatMap((c) => [c.realmLow, c.realmHigh]))] } },
    select: { id: true, categoryLow: true, categoryHigh: true, orgId: true },
  });
  const orgs = await platform.organization.findMany({ where: { id: { in: realms.map((r) => r.orgId) } }, select: { id: true, name: true } });
  const orgName = new Map(orgs.map((o) => [o.id, o.name]));
  const side = new Map(realms.map((r) => [r.id, { categoryLow: r.categoryLow, categoryHigh: r.categoryHigh, org: { name: orgName.get(r.orgId)! } }]));
  return { items: items.map((c) => ({ ...c, low: side.get(c.realmLow)!, high: side.get(c.realmHigh)! })), nextCursor };
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
