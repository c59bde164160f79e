import { sql, statement, type Tx } from "../db/client";
import { notifyAccessChanged } from "./access";
import { membershipsOfUserJson, type MembershipSummary } from "./memberships";

/**
 * Server-side sessions (platform-only table). A row is live while it is neither revoked nor
 * expired; every revocation notifies the user's open live-update streams in the same
 * transaction (repositories/access.ts), so they hear of it only once it has committed.
 */

export async function insertSession(
  platform: Tx,
  session: { id: string; userId: string; expiresAt: Date; userAgent: string | null; clientAddress: string | null },
): Promise<void> {
  await platform.session.create({ data: session });
}

export type SessionWithUser = {
  id: string;
  userId: string;
  lastSeenAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
  user: { id: string; email: string; name: string; sessionEpoch: number; isPlatformOperator: boolean };
};

/** A user's membership as identity resolution needs it: the role, and the organization with its realm. */
export type RealmMembership = {
  role: "owner" | "admin" | "operator" | "viewer";
  org: { id: string; slug: string; name: string; requireMfa: boolean; realm: { id: string; categoryLow: number; categoryHigh: number; createdAt: Date } | null };
};

// On the driver (issue 12): every signed-in request reads one of these two, and Prisma's ORM
// cost about 1 ms of the web process's CPU per call for what is one indexed join.
const SESSION_COLUMNS = `s."id", s."user_id" AS "userId", s."last_seen_at" AS "lastSeenAt", s."expires_at" AS "expiresAt", s."revoked_at" AS "revokedAt",
       u."email" AS "email", u."name" AS "userName", u."session_epoch" AS "sessionEpoch", u."is_platform_operator" AS "isPlatformOperator"`;
const SESSION_WITH_USER = statement("session_with_user", `SELECT ${SESSION_COLUMNS} FROM "sessions" s JOIN "users" u ON u."id" = s."user_id" WHERE s."id" = $1`);
// The membership a request means: in the organization `$2` names, or (null) the user's first,
// in the order memberships.ts lists them (created_at, org_id).
const SESSION_WITH_MEMBERSHIP = statement(
  "session_with_membership",
  `SELECT ${SESSION_COLUMNS}, m."role", m."orgId", m."slug", m."orgName", m."requireMfa", m."realmId", m."categoryLow", m."categoryHigh", m."realmCreatedAt"
     FROM "sessions" s JOIN "users" u ON u."id" = s."user_id"
     LEFT JOIN LATERAL (
       SELECT mb."role"::text AS "role", o."id" AS "orgId", o."slug", o."name" AS "orgName", o."require_mfa" AS "requireMfa",
              r."id" AS "realmId", r."category_low" AS "categoryLow", r."category_high" AS "categoryHigh", r."created_at" AS "realmCreatedAt"
         FROM "memberships" mb JOIN "organizations" o ON o."id" = mb."org_id" LEFT JOIN "realms" r ON r."org_id" = o."id"
        WHERE mb."user_id" = u."id" AND ($2::text IS NULL OR o."slug" = $2::text)
        ORDER BY mb."created_at", mb."org_id" LIMIT 1
     ) m ON true
    WHERE s."id" = $1`,
);

// The session, its user and every membership of the user: session.me in one statement.
const SESSION_WITH_MEMBERSHIPS = statement(
  "session_with_memberships",
  `SELECT ${SESSION_COLUMNS}, ${membershipsOfUserJson(`u."id"`)} AS "memberships"
     FROM "sessions" s JOIN "users" u ON u."id" = s."user_id"
    WHERE s."id" = $1`,
);

type SessionRow = Omit<SessionWithUser, "user"> & { email: string; userName: string; sessionEpoch: number; isPlatformOperator: boolean };
type MembershipRow = { role: RealmMembership["role"] | null; orgId: string; slug: string; orgName: string; requireMfa: boolean; realmId: string | null; categoryLow: number; categoryHigh: number; realmCreatedAt: Date };

function sessionOf(row: SessionRow): SessionWithUser {
  return {
    id: row.id,
    userId: row.userId,
    lastSeenAt: row.lastSeenAt,
    expiresAt: row.expiresAt,
    revokedAt: row.revokedAt,
    user: { id: row.userId, email: row.email, name: row.userName, sessionEpoch: row.sessionEpoch, isPlatformOperator: row.isPlatformOperator },
  };
}

/** The session with its user, for the per-request check (revocation and expiry are judged by the caller). */
export async function findSessionWithUser(platform: Tx, sessionId: string): Promise<SessionWithUser | null> {
  if (!UUID.test(sessionId)) return null;
  const [row] = await sql<SessionRow>(platform, SESSION_WITH_USER, [sessionId]);
  return row ? sessionOf(row) : null;
}

/** The session with its user and all of the user's memberships (session.me: who am I, and where). */
export async function findSessionWithUserAndMemberships(platform: Tx, sessionId: string): Promise<(SessionWithUser & { memberships: MembershipSummary[] }) | null> {
  if (!UUID.test(sessionId)) return null;
  const [row] = await sql<SessionRow & { memberships: MembershipSummary[] }>(platform, SESSION_WITH_MEMBERSHIPS, [sessionId]);
  return row ? { ...sessionOf(row), memberships: row.memberships } : null;
}

/**
 * The session with its user and the user's membership in the organization `orgSlug` names (null:
 * the first), organization and realm included: a realm request's identity in one statement.
 */
export async function findSessionWithUserAndMembership(
  platform: Tx,
  sessionId: string,
  orgSlug: string | null,
): Promise<(SessionWithUser & { user: SessionWithUser["user"] & { memberships: RealmMembership[] } }) | null> {
  if (!UUID.test(sessionId)) return null;
  const [row] = await sql<SessionRow & MembershipRow>(platform, SESSION_WITH_MEMBERSHIP, [sessionId, orgSlug]);
  if (!row) return null;
  const session = sessionOf(row);
  const memberships: RealmMembership[] =
    row.role === null
      ? []
      : [
          {
            role: row.role,
            org: {
              id: row.orgId,
              slug: row.slug,
              name: row.orgName,
              requireMfa: row.requireMfa,
              realm: row.realmId === null ? null : { id: row.realmId, categoryLow: row.categoryLow, categoryHigh: row.categoryHigh, createdAt: row.realmCreatedAt },
            },
          },
        ];
  return { ...session, user: { ...session.user, memberships } };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ROLES = new Set(["owner", "admin", "operator", "viewer"]);

/**
 * The statement that asserts, inside a realm transaction, that an identity read earlier still
 * holds (migration member_access_check): the session live, the epoch current, the membership
 * with this role in the bound realm's organization, its MFA requirement unchanged. Its values are
 * inlined so that it travels in the same message as BEGIN and the binding; each is checked here
 * against its exact form first.
 */
export function memberAccessCheck(identity: { sessionId: string; userId: string; epoch: number; role: string; requireMfa: boolean }): string {
  const { sessionId, userId, epoch, role, requireMfa } = identity;
  if (!UUID.test(sessionId) || !UUID.test(userId) || !Number.isSafeInteger(epoch) || !ROLES.has(role)) {
    throw new Error("memberAccessCheck: an identity value of unexpected form");
  }
  return `SELECT "realmgate_assert_member_access"('${sessionId}', '${userId}', ${epoch}, '${role}', ${requireMfa})`;
}

/** Whether a realm transaction failed because memberAccessCheck no longer holds. */
export function isMemberAccessChanged(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === "RGA01";
}

/** Moves last_seen_at forward unless it moved within `staleBefore` (one cheap conditional write). */
export async function touchSession(platform: Tx, sessionId: string, now: Date, staleBefore: Date): Promise<void> {
  await platform.session.updateMany({ where: { id: sessionId, lastSeenAt: { lt: staleBefore } }, data: { lastSeenAt: now } });
}

/** The user's sessions that are still live, newest first (the account page). */
export function listLiveSessions(platform: Tx, userId: string, now = new Date()) {
  return platform.session.findMany({
    where: { userId, revokedAt: null, expiresAt: { gt: now } },
    orderBy: { createdAt: "desc" },
    take: 100,
    select: { id: true, createdAt: true, lastSeenAt: true, expiresAt: true, userAgent: true, clientAddress: true },
  });
}

/** Revokes one of the user's sessions; false when it is not the user's or already ended. */
export async function revokeSession(platform: Tx, userId: string, sessionId: string, reason: string, now = new Date()): Promise<boolean> {
  const { count } = await platform.session.updateMany({
    where: { id: sessionId, userId, revokedAt: null },
    data: { revokedAt: now, revokedReason: reason },
  });
  if (count > 0) await notifyAccessChanged(platform, userId);
  return count > 0;
}

/**
 * Ends every session of the user: revokes the live rows and bumps the session epoch, so a token
 * issued by any path (even one without a session row) is refused too. Returns how many rows
 * were revoked.
 */
export async function revokeAllSessions(platform: Tx, userId: string, reason: string, now = new Date()): Promise<number> {
  const { count } = await platform.session.updateMany({ where: { userId, revokedAt: null }, data: { revokedAt: now, revokedReason: reason } });
  await platform.user.update({ where: { id: userId }, data: { sessionEpoch: { increment: 1 } } });
  await notifyAccessChanged(platform, userId);
  return count;
}
