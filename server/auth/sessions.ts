import { randomUUID } from "node:crypto";
import { transaction, type Db } from "../db/client";
import { DomainError } from "../errors";
import { recordDecision } from "../repositories/audit";
import { findSessionWithUser, findSessionWithUserAndMembership, findSessionWithUserAndMemberships, insertSession, memberAccessCheck, listLiveSessions, revokeAllSessions, revokeSession, touchSession } from "../repositories/sessions";
import type { MembershipSummary } from "../repositories/memberships";
import { findPasswordHashForUser, findUserForSession, updatePasswordHash } from "../repositories/users";
import { passwordProblem } from "../policy/passwords";
import { hashPassword, verifyPassword } from "./password";
import { forgetIdentity, recalledIdentity, rememberIdentity } from "./identity-cache";
import type { SessionUser } from "./session-user";

/**
 * Server-side sessions (threat: a session cookie that outlives sign-out, a password change or
 * "sign out everywhere"; a copied cookie used to keep working for its full 12 hours). The JWT
 * cookie names a `sessions` row (sid) and the user's session epoch; every authenticated request
 * (protectedProcedure, which server-rendered pages go through too) checks that the row is the
 * user's, is neither revoked nor expired, and that the epoch is current. Revocation is a row
 * update, so it takes effect on the very next request.
 */

/** next-auth's JWT lifetime and the row's expiry: one number. */
export const SESSION_MAX_AGE_S = 12 * 60 * 60;
/** last_seen_at moves at most this often: one conditional UPDATE per session per minute. */
const TOUCH_INTERVAL_MS = 60_000;

export type ClientInfo = { userAgent: string | null; clientAddress: string | null };

/** A new session row for a user who just signed in; its id and the user's current epoch go into the JWT. */
export async function startSession(platform: Db, userId: string, client: ClientInfo, now = new Date()): Promise<{ sid: string; epoch: number }> {
  const user = await findUserForSession(platform, userId);
  if (!user) throw new DomainError("unauthorized", "unknown user");
  const sid = randomUUID();
  await insertSession(platform, {
    id: sid,
    userId,
    expiresAt: new Date(now.getTime() + SESSION_MAX_AGE_S * 1000),
    userAgent: client.userAgent?.slice(0, 512) ?? null,
    clientAddress: client.clientAddress?.slice(0, 64) ?? null,
  });
  return { sid, epoch: user.sessionEpoch };
}

export type LiveSessionUser = NonNullable<Awaited<ReturnType<typeof findSessionWithUser>>>["user"] & { sid: string };
/** The caller's membership as identity resolution reads it (api/trpc.ts resolveRealm), or null. */
export type SessionMembership = NonNullable<Awaited<ReturnType<typeof findSessionWithUserAndMembership>>>["user"]["memberships"][number] | null;

/**
 * The user behind a JWT claim if its session is live, else null. A token without a session id
 * (issued before sessions existed, or forged past next-auth) is refused.
 */
export async function validateSession(platform: Db, claim: SessionUser, now = new Date()): Promise<LiveSessionUser | null> {
  if (!claim.sid) return null;
  const session = await findSessionWithUser(platform, claim.sid);
  return session && (await liveUser(platform, session, claim, now));
}

/** validateSession, with every membership of the user read in the same statement (session.me). */
export async function validateSessionWithMemberships(platform: Db, claim: SessionUser, now = new Date()): Promise<{ user: LiveSessionUser; memberships: MembershipSummary[] } | null> {
  if (!claim.sid) return null;
  const session = await findSessionWithUserAndMemberships(platform, claim.sid);
  const user = session && (await liveUser(platform, session, claim, now));
  return user ? { user, memberships: session!.memberships } : null;
}

/**
 * validateSession for a realm request: the same checks, and the user's membership in the
 * organization `orgSlug` names (null: the first) read in the same statement.
 */
export async function validateSessionWithMembership(
  platform: Db,
  claim: SessionUser,
  orgSlug: string | null,
  now = new Date(),
): Promise<{ user: LiveSessionUser; membership: SessionMembership } | null> {
  if (!claim.sid) return null;
  const session = await findSessionWithUserAndMembership(platform, claim.sid, orgSlug);
  if (!session) return null;
  const { memberships, ...user } = session.user;
  const live = await liveUser(platform, { ...session, user }, claim, now);
  if (!live) return null;
  const membership = memberships[0] ?? null;
  if (membership) {
    // Touched just now, or not due yet: the next touch is due a minute after the last.
    const lastSeen = now.getTime() - session.lastSeenAt.getTime() >= TOUCH_INTERVAL_MS ? now.getTime() : session.lastSeenAt.getTime();
    rememberIdentity(platform, orgSlug, { user: live, membership }, { expiresAt: session.expiresAt, touchDueAt: lastSeen + TOUCH_INTERVAL_MS }, now.getTime());
  }
  return { user: live, membership };
}

/**
 * A realm request's identity: validateSessionWithMembership, or the same identity as read by an
 * earlier request of the session (auth/identity-cache.ts) together with the statement that
 * re-asserts it at the start of the realm transaction (`check`; the caller must send it, and on
 * isMemberAccessChanged, forget the identity and ask again with `fresh`).
 */
export async function realmRequestIdentity(
  platform: Db,
  claim: SessionUser,
  orgSlug: string | null,
  options: { fresh?: boolean; now?: Date } = {},
): Promise<{ user: LiveSessionUser; membership: SessionMembership; check: string | null } | null> {
  const now = options.now ?? new Date();
  const recalled = options.fresh || !claim.sid ? null : recalledIdentity(platform, claim, orgSlug, now.getTime());
  if (recalled) {
    const { user, membership } = recalled;
    const check = memberAccessCheck({ sessionId: user.sid, userId: user.id, epoch: user.sessionEpoch, role: membership.role, requireMfa: membership.org.requireMfa });
    return { user, membership, check };
  }
  // Asked afresh because an assertion failed: what is remembered of the session (for any
  // organization) is known to be stale. A plain miss has nothing to drop (it scans the memory).
  if (options.fresh && claim.sid) forgetIdentity(platform, claim.sid);
  const live = await validateSessionWithMembership(platform, claim, orgSlug, now);
  return live && { ...live, check: null };
}

type SessionRow = NonNullable<Awaited<ReturnType<typeof findSessionWithUser>>>;

async function liveUser(platform: Db, session: SessionRow, claim: SessionUser, now: Date): Promise<LiveSessionUser | null> {
  if (session.userId !== claim.id) return null;
  if (session.revokedAt || session.expiresAt <= now) return null;
  if (session.user.sessionEpoch !== claim.epoch) return null;
  if (now.getTime() - session.lastSeenAt.getTime() >= TOUCH_INTERVAL_MS) {
    await touchSession(platform, session.id, now, new Date(now.getTime() - TOUCH_INTERVAL_MS));
  }
  return { ...session.user, sid: session.id };
}

/** Sign-out (next-auth's signOut event with the token): the session row is revoked at once. */
export async function endSession(platform: Db, claim: Record<string, unknown>, requestId: string = randomUUID()): Promise<void> {
  if (typeof claim.uid !== "string" || typeof claim.sid !== "string") return;
  const { uid, sid } = claim;
  await transaction(platform, async (tx) => {
    if (!(await revokeSession(tx, uid, sid, "signed out"))) return;
    await recordDecision(tx, accountEvent(uid, "auth.signout", "signed out", requestId, { sessionId: sid }));
  });
}

export function listSessions(platform: Db, userId: string) {
  return listLiveSessions(platform, userId);
}

/** Revokes one of the caller's own sessions; another user's id answers like a missing one. */
export async function revokeOwnSession(platform: Db, actor: { userId: string; requestId: string }, sessionId: string): Promise<void> {
  await transaction(platform, async (tx) => {
    if (!(await revokeSession(tx, actor.userId, sessionId, "revoked from the account page"))) throw new DomainError("not_found", "session not found");
    await recordDecision(tx, accountEvent(actor.userId, "auth.session.revoke", `revoked session ${sessionId}`, actor.requestId, { sessionId }));
  });
}

/** "Sign out everywhere": every session of the caller ends, this one included. */
export async function signOutEverywhere(platform: Db, actor: { userId: string; requestId: string }): Promise<{ revoked: number }> {
  return transaction(platform, async (tx) => {
    const revoked = await revokeAllSessions(tx, actor.userId, "signed out everywhere");
    await recordDecision(tx, accountEvent(actor.userId, "auth.signout.everywhere", `signed out everywhere (${revoked} sessions)`, actor.requestId, { revoked }));
    return { revoked };
  });
}


/**
 * Changes the caller's password (Argon2id) after checking the current one, and ends every
 * session (the caller signs in again with the new password): whoever held a copied cookie or
 * the old password is out. A wrong current password is audited as a denial.
 */
export async function changePassword(
  platform: Db,
  actor: { userId: string; requestId: string },
  input: { currentPassword: string; newPassword: string },
): Promise<{ revoked: number }> {
  const user = await findPasswordHashForUser(platform, actor.userId);
  if (!user) throw new DomainError("unauthorized", "sign in first");
  if (!(await verifyPassword(user.passwordHash, input.currentPassword))) {
    await recordDecision(platform, { ...accountEvent(actor.userId, "auth.password.change", "wrong current password", actor.requestId), decision: "deny" });
    throw new DomainError("bad_input", "the current password is not correct", { field: "currentPassword" });
  }
  const problem = passwordProblem(input.newPassword, user.email);
  if (problem) throw new DomainError("bad_input", problem, { field: "newPassword" });
  if (input.newPassword === input.currentPassword) throw new DomainError("bad_input", "the new password must differ from the current one", { field: "newPassword" });
  const passwordHash = await hashPassword(input.newPassword);
  return transaction(platform, async (tx) => {
    await updatePasswordHash(tx, actor.userId, passwordHash);
    const revoked = await revokeAllSessions(tx, actor.userId, "password changed");
    await recordDecision(tx, accountEvent(actor.userId, "auth.password.change", `password changed; ${revoked} sessions ended`, actor.requestId, { revoked }));
    return { revoked };
  });
}

/** Account events are the user's own, in no realm's trail (operators see them). */
function accountEvent(userId: string, action: string, reason: string, requestId: string, details?: Record<string, string | number>) {
  return {
    realmId: null,
    actorId: userId,
    action,
    targetType: "user",
    targetId: userId,
    decision: "allow" as const,
    layer: "auth",
    reason,
    requestId,
    ...(details ? { details } : {}),
  };
}
