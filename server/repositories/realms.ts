import type { Tx } from "../db/client";
import { Prisma } from "../generated/prisma/client";
import { DomainError } from "../errors";

/** Organizations and their realms (platform rows: read before a realm is set, or by operators). */

/** Every realm's boundary with its management VM and the count of its live guests (operators). */
export function unsafeListRealmBoundaries(platform: Tx) {
  return platform.realm.findMany({
    orderBy: { createdAt: "asc" },
    select: {
      id: true,
      categoryLow: true,
      categoryHigh: true,
      createdAt: true,
      org: { select: { name: true, slug: true } },
      vms: {
        where: { kind: "management" },
        select: { id: true, observedState: true, domid: true, host: { select: { name: true } } },
      },
      _count: { select: { vms: { where: { kind: "guest", observedState: { not: "destroyed" } } } } },
    },
  });
}

export function unsafeFindRealm(platform: Tx, realmId: string) {
  return platform.realm.findUnique({ where: { id: realmId }, select: { id: true, categoryLow: true, categoryHigh: true } });
}

/** How many of the given realm ids exist. */
export function unsafeCountRealms(platform: Tx, realmIds?: string[]) {
  return platform.realm.count(realmIds ? { where: { id: { in: realmIds } } } : undefined);
}

/** Realm id → organization name, for the given realms. */
export async function unsafeOrgNamesOfRealms(platform: Tx, realmIds: string[]): Promise<Map<string, string>> {
  const realms = await platform.realm.findMany({ where: { id: { in: realmIds } }, select: { id: true, org: { select: { name: true } } } });
  return new Map(realms.map((r) => [r.id, r.org.name]));
}

/** A random category pair nobody holds, chosen by the database; null when the range is exhausted. */
export async function unsafeFreeCategoryPair(platform: Tx, range: { min: number; max: number }) {
  const rows = await platform.$queryRaw<{ low: number; high: number }[]>`
    SELECT a AS low, b AS high
    FROM generate_series(${range.min}::int, ${range.max}::int) a, generate_series(${range.min}::int, ${range.max}::int) b
    WHERE a < b AND NOT EXISTS (SELECT 1 FROM realms r WHERE r.category_low = a AND r.category_high = b)
    ORDER BY random() LIMIT 1`;
  return rows[0] ? { categoryLow: rows[0].low, categoryHigh: rows[0].high } : null;
}

/** Another realm holds the category pair: the transaction is spoilt; redraw in a new one. */
export class CategoryCollision extends Error {
  override name = "CategoryCollision";
}

/**
 * The organization, its first owner's membership and its realm with the category pair, in the
 * caller's transaction. A pair another realm holds throws CategoryCollision (the unique index
 * decides, so concurrent creations are safe); a taken slug is a field error.
 */
export async function unsafeInsertOrganization(
  tx: Tx,
  args: { orgId: string; realmId: string; name: string; slug: string; ownerUserId: string; category: { categoryLow: number; categoryHigh: number } },
): Promise<void> {
  try {
    await tx.organization.create({ data: { id: args.orgId, name: args.name, slug: args.slug } });
    await tx.membership.create({ data: { orgId: args.orgId, userId: args.ownerUserId, role: "owner" } });
    await tx.realm.create({ data: { id: args.realmId, orgId: args.orgId, ...args.category } });
  } catch (error) {
    if (!(error instanceof Prisma.PrismaClientKnownRequestError) || error.code !== "P2002") throw error;
    if (JSON.stringify(error.meta ?? {}).includes("category")) throw new CategoryCollision("category pair taken");
    throw new DomainError("bad_input", "slug: an organization with this slug already exists", { field: "slug" });
  }
}
