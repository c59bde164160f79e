import type { Tx } from "../db/client";
import { notifyAccessChanged } from "./access";
import { membershipOfUserSelect } from "./memberships";

const SESSION_FIELDS = { id: true, userId: true, lastSeenAt: true, expiresAt: true, revokedAt: true } as const;
const USER_FIELDS = { id: true, email: true, name: true, sessionEpoch: true, isPlatformOperator: true } as const;

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

/** The session with its user, for the per-request check (revocation and expiry are judged by the caller). */
export function findSessionWithUser(platform: Tx, sessionId: string) {
  return platform.session.findUnique({
    where: { id: sessionId },
    select: { ...SESSION_FIELDS, user: { select: USER_FIELDS } },
  });
}

/**
 * The session with its user and the user's membership in the organization `orgSlug` names (null:
 * the first), organization and realm included: a realm request's identity in one statement.
 */
export function findSessionWithUserAndMembership(platform: Tx, sessionId: string, orgSlug: string | null) {
  return platform.session.findUnique({
    where: { id: sessionId },
    select: {
      ...SESSION_FIELDS,
      user: { select: { ...USER_FIELDS, memberships: membershipOfUserSelect(orgSlug) } },
    },
  });
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
