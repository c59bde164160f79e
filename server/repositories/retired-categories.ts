import type { Tx } from "../db/client";

/**
 * Category pairs retired with their decommissioned realm. Append-only (the database grants no
 * UPDATE or DELETE): a pair once retired is never handed out again, even if the realm row that
 * held it were ever archived elsewhere. Platform rows: no tenant access. The allocator never
 * hands one out: realms.ts unsafeInsertOrganization inserts a realm only if its pair is not here.
 */

export type CategoryPair = { categoryLow: number; categoryHigh: number };

/** Records the realm's pair as retired; idempotent (a resumed offboarding may get here twice). */
export async function unsafeRetireCategory(platform: Tx, args: CategoryPair & { realmId: string }): Promise<void> {
  await platform.$executeRaw`
    INSERT INTO retired_categories (category_low, category_high, realm_id)
    VALUES (${args.categoryLow}::int, ${args.categoryHigh}::int, ${args.realmId}::uuid)
    ON CONFLICT DO NOTHING`;
}

export function unsafeCountRetiredCategories(platform: Tx): Promise<number> {
  return platform.retiredCategory.count();
}
