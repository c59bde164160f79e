import { sql, statement, type Tx } from "../db/client";
import { notifyAccessChanged } from "./access";
import { cursorRow, toPage, type PageRequest } from "./pagination";

/** A user's memberships, oldest first: the first is the one meant when a request names none. */
const MEMBERSHIP_ORDER = [{ createdAt: "asc" }, { orgId: "asc" }] as const;

/** A membership as identity resolution needs it: the role, and the organization with its realm. */
const REALM_MEMBERSHIP = {
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
} as const;

/**
 * The caller's realm: the organization of its membership in the organization `orgSlug` names
 * (null: its first membership), with the realm. Null when it is no member there. Unsafe: it
 * reads the realm before a realm is set, so it needs the platform client.
 */
export function unsafeFindMembershipForUser(db: Tx, userId: string, orgSlug: string | null = null) {
  const { where, orderBy, select } = membershipOfUserSelect(orgSlug);
  return db.membership.findFirst({ where: { userId, ...where }, orderBy, select });
}

/** The select of unsafeFindMembershipForUser (sessions.ts reads the same membership with the session, in SQL). */
function membershipOfUserSelect(orgSlug: string | null) {
  return {
    where: orgSlug === null ? {} : { org: { slug: orgSlug } },
    orderBy: [...MEMBERSHIP_ORDER],
    take: 1,
    select: REALM_MEMBERSHIP,
  };
}

/** A user's membership in the organization whose realm is `realmId`, with the same shape; null when it is no member there. */
export function unsafeFindMembershipInRealm(db: Tx, userId: string, realmId: string) {
  return db.membership.findFirst({
    where: { userId, org: { realm: { id: realmId } } },
    select: REALM_MEMBERSHIP,
  });
}

/** One of a user's memberships as the header's realm switcher lists them. */
export type MembershipSummary = { role: "owner" | "admin" | "operator" | "viewer"; org: { id: string; slug: string; name: string; requireMfa: boolean } };

/**
 * Every membership of the user `userId` names (an SQL expression of the caller's statement), as
 * one json array of MembershipSummary in the order of MEMBERSHIP_ORDER: here, and with the session
 * in session.me's one statement (sessions.ts).
 */
export function membershipsOfUserJson(userId: string): string {
  return `COALESCE((SELECT json_agg(json_build_object('role', mb."role", 'org', json_build_object('id', o."id", 'slug', o."slug", 'name', o."name", 'requireMfa', o."require_mfa"))
                                    ORDER BY mb."created_at", mb."org_id")
                      FROM "memberships" mb JOIN "organizations" o ON o."id" = mb."org_id" WHERE mb."user_id" = ${userId}), '[]')`;
}

const MEMBERSHIPS_OF_USER = statement("memberships_of_user", `SELECT ${membershipsOfUserJson("$1")} AS "memberships"`);

/** Every organization a user belongs to, with its role there, in the order of MEMBERSHIP_ORDER (the header's realm switcher). */
export async function unsafeListMembershipsForUser(db: Tx, userId: string): Promise<MembershipSummary[]> {
  return (await sql<{ memberships: MembershipSummary[] }>(db, MEMBERSHIPS_OF_USER, [userId]))[0]!.memberships;
}

/** Whether a user belongs to any organization at all (a platform operator with none may use break-glass). */
export async function unsafeHasAnyMembership(db: Tx, userId: string): Promise<boolean> {
  return (await db.membership.count({ where: { userId }, take: 1 })) > 0;
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

/** The organization's members with their names and emails, oldest first (tenant: its realm's org only). */
export function listMembers(tx: Tx, orgId: string) {
  return tx.membership.findMany({
    where: { orgId },
    orderBy: { createdAt: "asc" },
    select: { role: true, createdAt: true, user: { select: { id: true, name: true, email: true } } },
  });
}

/** One page of the organization's members, oldest first (then by user id), after the member the cursor (a user id) names. */
export async function listMembersPage(tx: Tx, orgId: string, page: PageRequest) {
  const after = await cursorRow(page.cursor, (userId) =>
    tx.membership.findUnique({ where: { orgId_userId: { orgId, userId } }, select: { userId: true, createdAt: true } }),
  );
  const rows = await tx.membership.findMany({
    where: {
      orgId,
      ...(after ? { OR: [{ createdAt: { gt: after.createdAt } }, { createdAt: after.createdAt, userId: { gt: after.userId } }] } : {}),
    },
    orderBy: [{ createdAt: "asc" }, { userId: "asc" }],
    take: page.limit + 1,
    select: { role: true, createdAt: true, user: { select: { id: true, name: true, email: true } } },
  });
  return toPage(rows, page.limit, (member) => member.user.id);
}

/** The names of those of these users who are members of the organization. */
export async function memberNames(tx: Tx, orgId: string, userIds: string[]): Promise<Map<string, string>> {
  if (userIds.length === 0) return new Map();
  const rows = await tx.membership.findMany({ where: { orgId, userId: { in: [...new Set(userIds)] } }, select: { user: { select: { id: true, name: true } } } });
  return new Map(rows.map((m) => [m.user.id, m.user.name]));
}

/**
 * Locks the organization's row (so membership changes of one organization run one at a time)
 * and returns its owners' user ids as of the lock. The last-owner rule reads this: two
 * concurrent demotions of the organization's two owners serialize here, and the second sees one
 * owner left. Platform client, inside the transaction that makes the change.
 */
export async function unsafeLockOwners(platform: Tx, orgId: string): Promise<string[]> {
  await platform.$queryRaw`SELECT id FROM organizations WHERE id = ${orgId}::uuid FOR UPDATE`;
  const owners = await platform.membership.findMany({ where: { orgId, role: "owner" }, select: { userId: true } });
  return owners.map((o) => o.userId);
}

/** One member of the organization, or null (a missing or foreign user id alike). */
export function unsafeFindMembership(platform: Tx, orgId: string, userId: string) {
  return platform.membership.findUnique({ where: { orgId_userId: { orgId, userId } }, select: { role: true, user: { select: { name: true, email: true } } } });
}
