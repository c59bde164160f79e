import type { Tx } from "../db/client";

/**
 * The caller's realm: the organization of its (first) membership, with the realm. Unsafe: it
 * reads the realm before a realm is set, so it needs the platform client.
 */
export function unsafeFindMembershipForUser(db: Tx, userId: string) {
  return db.membership.findFirst({
    where: { userId },
    orderBy: { createdAt: "asc" },
    select: {
      role: true,
      org: {
        select: {
          id: true,
          slug: true,
          name: true,
          realm: { select: { id: true, categoryLow: true, categoryHigh: true, createdAt: true } },
        },
      },
    },
  });
}

export async function unsafeInsertMembership(platform: Tx, membership: { orgId: string; userId: string; role: "owner" | "admin" | "operator" | "viewer" }): Promise<void> {
  await platform.membership.create({ data: membership });
}
