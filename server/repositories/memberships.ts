import type { Tx } from "../db/client";
import { notifyAccessChanged } from "./access";

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
          requireMfa: true,
          realm: { select: { id: true, categoryLow: true, categoryHigh: true, createdAt: true } },
        },
      },
    },
  });
}

export async function unsafeInsertMembership(platform: Tx, membership: { orgId: string; userId: string; role: "owner" | "admin" | "operator" | "viewer" }): Promise<void> {
  await platform.membership.create({ data: membership });
}

/** Removes a member; their open live-update streams are told in the same transaction. False when there was no such membership. */
export async function unsafeDeleteMembership(platform: Tx, membership: { orgId: string; userId: string }): Promise<boolean> {
  const { count } = await platform.membership.deleteMany({ where: { orgId: membership.orgId, userId: membership.userId } });
  if (count > 0) await notifyAccessChanged(platform, membership.userId);
  return count > 0;
}

/** Changes a member's role; their open live-update streams re-validate (same transaction). */
export async function unsafeUpdateMembershipRole(platform: Tx, membership: { orgId: string; userId: string; role: "owner" | "admin" | "operator" | "viewer" }): Promise<boolean> {
  const { count } = await platform.membership.updateMany({ where: { orgId: membership.orgId, userId: membership.userId }, data: { role: membership.role } });
  if (count > 0) await notifyAccessChanged(platform, membership.userId);
  return count > 0;
}
