import type { Db } from "../db/client";

/**
 * The caller's realm: the organization of its (first) membership, with the realm. Unsafe: it
 * reads the realm before a realm is set, so it needs the platform client.
 */
export function unsafeFindMembershipForUser(db: Db, userId: string) {
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
