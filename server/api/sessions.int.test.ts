import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { endSession, startSession, validateSession } from "../auth/sessions";
import { hashPassword, verifyPassword } from "../auth/password";
import type { DomainError } from "../errors";
import { createTestDatabase, type TestDatabase } from "../test/db";
import { callerFor, createUser } from "../test/fixtures";

/**
 * Server-side sessions through the procedure chain (protectedProcedure → auth/sessions.ts) on a
 * real PostgreSQL: what a copied cookie can do after sign-out, "sign out everywhere", a password
 * change or a revoked session. The browser-level version is e2e/sessions.spec.ts.
 */

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(() => t?.drop());

async function errorOf(promise: Promise<unknown>): Promise<TRPCError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof TRPCError) return error;
    throw error;
  }
  throw new Error("expected the call to fail");
}

/** A signed-in browser: a session row, and the claims its JWT would carry. */
async function signIn(user: { id: string }) {
  const { sid, epoch } = await startSession(t.db, user.id, { userAgent: "test browser", clientAddress: "192.0.2.1" });
  return { id: user.id, sessionEpoch: epoch, sid };
}

const audit = (actorId: string, action: string) => t.db.auditEvent.findMany({ where: { actorId, action }, orderBy: { id: "asc" } });

describe("server-side sessions", () => {
  it("a cookie copied before sign-out is refused after sign-out", async () => {
    const user = await createUser(t.db, "copier");
    const cookie = await signIn(user);
    const copy = { ...cookie };
    expect((await callerFor(t, copy).session.me()).id).toBe(user.id);
    await endSession(t.db, { uid: cookie.id, sid: cookie.sid });
    expect((await errorOf(callerFor(t, copy).session.me())).code).toBe("UNAUTHORIZED");
    expect((await errorOf(callerFor(t, cookie).session.me())).code).toBe("UNAUTHORIZED");
    const [row] = await audit(user.id, "auth.signout");
    expect(row).toMatchObject({ realmId: null, decision: "allow", layer: "auth" });
  });

  it("a token without a session id (issued before sessions, or forged) is refused", async () => {
    const user = await createUser(t.db, "nosid");
    expect(await validateSession(t.db, { id: user.id, epoch: 0 })).toBeNull();
  });

  it("another user's session id in a token is refused", async () => {
    const [a, b] = [await createUser(t.db, "owner-a"), await createUser(t.db, "thief-b")];
    const aSession = await signIn(a);
    expect((await errorOf(callerFor(t, { id: b.id, sid: aSession.sid }).session.me())).code).toBe("UNAUTHORIZED");
  });

  it("an expired session row is refused even with a valid token", async () => {
    const user = await createUser(t.db, "expired");
    const session = await signIn(user);
    await t.db.session.update({ where: { id: session.sid }, data: { createdAt: new Date(Date.now() - 13 * 3600_000), expiresAt: new Date(Date.now() - 1000) } });
    expect((await errorOf(callerFor(t, session).session.me())).code).toBe("UNAUTHORIZED");
  });

  it("moves last_seen_at at most once a minute", async () => {
    const user = await createUser(t.db, "seen");
    const session = await signIn(user);
    const lastSeen = async () => (await t.db.session.findUniqueOrThrow({ where: { id: session.sid } })).lastSeenAt.getTime();
    const first = await lastSeen();
    await callerFor(t, session).session.me();
    expect(await lastSeen()).toBe(first);
    await t.db.session.update({ where: { id: session.sid }, data: { lastSeenAt: new Date(first - 61_000) } });
    await callerFor(t, session).session.me();
    expect(await lastSeen()).toBeGreaterThanOrEqual(first);
  });

  it("sign out everywhere ends every session of the user, and only theirs", async () => {
    const user = await createUser(t.db, "everywhere");
    const other = await createUser(t.db, "bystander");
    const [laptop, phone, bystander] = [await signIn(user), await signIn(user), await signIn(other)];
    expect((await callerFor(t, phone).session.sessions()).map((s) => s.isCurrent)).toContain(true);
    const { revoked } = await callerFor(t, laptop).session.signOutEverywhere();
    expect(revoked).toBe(2);
    for (const session of [laptop, phone]) expect((await errorOf(callerFor(t, session).session.me())).code).toBe("UNAUTHORIZED");
    expect((await callerFor(t, bystander).session.me()).id).toBe(other.id);
    // The epoch moved too: a token minted with the old epoch cannot be revived with a new row.
    expect((await t.db.user.findUniqueOrThrow({ where: { id: user.id } })).sessionEpoch).toBe(1);
    expect(await audit(user.id, "auth.signout.everywhere")).toHaveLength(1);
  });

  it("a stolen session is revoked from the account page; another user's session id answers NOT_FOUND", async () => {
    const user = await createUser(t.db, "revoker");
    const mallory = await createUser(t.db, "mallory");
    const [mine, stolen, hers] = [await signIn(user), await signIn(user), await signIn(mallory)];
    const list = await callerFor(t, mine).session.sessions();
    expect(list.map((s) => s.id).sort()).toEqual([mine.sid, stolen.sid].sort());
    expect(list.find((s) => s.id === mine.sid)).toMatchObject({ isCurrent: true, userAgent: "test browser", clientAddress: "192.0.2.1" });
    await callerFor(t, mine).session.revoke({ sessionId: stolen.sid });
    expect((await errorOf(callerFor(t, stolen).session.me())).code).toBe("UNAUTHORIZED");
    expect((await callerFor(t, mine).session.me()).id).toBe(user.id);
    const foreign = await errorOf(callerFor(t, mine).session.revoke({ sessionId: hers.sid }));
    const missing = await errorOf(callerFor(t, mine).session.revoke({ sessionId: crypto.randomUUID() }));
    expect([foreign.code, foreign.message]).toEqual([missing.code, missing.message]);
    expect(foreign.code).toBe("NOT_FOUND");
    expect((await callerFor(t, hers).session.me()).id).toBe(mallory.id);
    expect(await audit(user.id, "auth.session.revoke")).toHaveLength(1);
  });
});

describe("password change", () => {
  async function userWithPassword(name: string, password: string) {
    const user = await createUser(t.db, name);
    await t.db.user.update({ where: { id: user.id }, data: { passwordHash: await hashPassword(password) } });
    return user;
  }

  it("refuses a wrong current password with a field error, and audits the denial", async () => {
    const user = await userWithPassword("wrongcurrent", "correct horse battery");
    const error = await errorOf(callerFor(t, await signIn(user)).session.changePassword({ currentPassword: "guess", newPassword: "a much longer new password" }));
    expect(error.code).toBe("BAD_REQUEST");
    expect(error.message).toBe("the current password is not correct");
    expect((error.cause as DomainError).details.field).toBe("currentPassword");
    const [row] = await audit(user.id, "auth.password.change");
    expect(row).toMatchObject({ decision: "deny", reason: "wrong current password" });
  });

  it.each([
    ["shorter than 12 characters", () => "short-pass1", "the new password must have at least 12 characters"],
    ["the email address", (email: string) => email.toUpperCase(), "the new password must not be your email address"],
  ])("refuses a new password that is %s, naming the field", async (_, make, message) => {
    const user = await userWithPassword(`weak-${Math.random().toString(36).slice(2, 8)}`, "correct horse battery");
    const caller = callerFor(t, await signIn(user));
    const error = await errorOf(caller.session.changePassword({ currentPassword: "correct horse battery", newPassword: make(user.email) }));
    expect(error.code).toBe("BAD_REQUEST");
    expect(error.message).toBe(message);
    expect((error.cause as DomainError).details.field).toBe("newPassword");
    // Nothing changed: the old password still verifies, the session still works.
    expect(await verifyPassword((await t.db.user.findUniqueOrThrow({ where: { id: user.id } })).passwordHash, "correct horse battery")).toBe(true);
    expect((await caller.session.me()).id).toBe(user.id);
  });

  it("a password change ends every session, the one that made it included", async () => {
    const user = await userWithPassword("changer", "correct horse battery");
    const [here, elsewhere] = [await signIn(user), await signIn(user)];
    const { revoked } = await callerFor(t, here).session.changePassword({ currentPassword: "correct horse battery", newPassword: "a brand new passphrase" });
    expect(revoked).toBe(2);
    for (const session of [here, elsewhere]) expect((await errorOf(callerFor(t, session).session.me())).code).toBe("UNAUTHORIZED");
    const { passwordHash } = await t.db.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(passwordHash.startsWith("$argon2id$")).toBe(true);
    expect(await verifyPassword(passwordHash, "a brand new passphrase")).toBe(true);
    expect(await verifyPassword(passwordHash, "correct horse battery")).toBe(false);
    const rows = await audit(user.id, "auth.password.change");
    expect(rows.map((r) => r.decision)).toEqual(["allow"]);
  });
});
