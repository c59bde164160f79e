import { randomUUID } from "node:crypto";
import { TRPCError } from "@trpc/server";
import { generate } from "otplib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../test/db";
import { callerFor, createUser, setupPlatform, setupTenant } from "../test/fixtures";
import { unsafeConsumeChallenge, unsafeInsertPasskey } from "../repositories/mfa";
import { verifyPasskeyAssertion } from "./passkeys";
import { hashPassword } from "./password";

/**
 * MFA against a real PostgreSQL: the credentials provider's authorize (the real sign-in path),
 * the mfa router, realmProcedure's organization requirement and break-glass's operator rule.
 */

process.env.NEXTAUTH_SECRET ??= "integration-test-nextauth-secret";
const PASSWORD = "correct horse battery staple";

let t: TestDatabase;
let authorize: (credentials: Record<string, string>) => Promise<unknown>;

beforeAll(async () => {
  t = await createTestDatabase();
  // authorize reads the process's shared clients (db/client.ts): point them at this database.
  (globalThis as unknown as { realmgateDb?: object }).realmgateDb = { platform: t.db, tenant: t.tenantDb };
  const { authOptions } = await import("./options");
  const credentials = authOptions.providers.find((p) => p.id === "credentials") as unknown as {
    options: { authorize: (c: Record<string, string>, req: object) => Promise<unknown> };
  };
  authorize = (c) => credentials.options.authorize(c, {});
});
afterAll(async () => {
  delete (globalThis as unknown as { realmgateDb?: object }).realmgateDb;
  await t.drop();
});

const codeAt = (secret: string, stepsAhead = 0) => generate({ secret, epoch: Math.floor(Date.now() / 1000) + 30 * stepsAhead });
const errorOf = (p: Promise<unknown>) => p.then(() => "OK", (e: unknown) => (e instanceof TRPCError ? `${e.code}: ${e.message}` : e instanceof Error ? e.message : String(e)));

/** A user with a real password, TOTP enrolled through the router; its secret and recovery codes. */
async function mfaUser(name: string) {
  const user = await t.db.user.create({
    data: { id: randomUUID(), email: `${name}-${randomUUID().slice(0, 8)}@test.local`, name, passwordHash: await hashPassword(PASSWORD) },
  });
  const caller = callerFor(t, user);
  const { secret, uri } = await caller.mfa.totp.begin();
  expect(uri).toContain(`secret=${secret}`);
  const enrolmentCode = await codeAt(secret);
  const { recoveryCodes } = await caller.mfa.totp.confirm({ code: enrolmentCode });
  return { user, secret, recoveryCodes, caller, enrolmentCode };
}

describe("TOTP sign-in", () => {
  it("password alone does not sign in an MFA user", async () => {
    const { user } = await mfaUser("pw-alone");
    expect(await errorOf(authorize({ email: user.email, password: PASSWORD }))).toBe("MfaRequired");
    // A wrong password of an MFA user answers like any wrong password (and an unknown email).
    expect(await authorize({ email: user.email, password: "wrong" })).toBeNull();
    expect(await authorize({ email: `nobody-${randomUUID()}@test.local`, password: "wrong" })).toBeNull();
    // A wrong password with a code is still just a wrong password.
    expect(await authorize({ email: user.email, password: "wrong", code: "123456" })).toBeNull();
    expect(await errorOf(authorize({ email: user.email, password: PASSWORD, code: "000000" }))).toBe("MfaInvalid");
  });

  it("a TOTP code cannot be replayed", async () => {
    const { user, secret } = await mfaUser("replay");
    // The enrolment consumed the current step, so the current code is already spent.
    // (A right code again within its step is "reused": refused, and not counted as a guess.)
    expect(await errorOf(authorize({ email: user.email, password: PASSWORD, code: await codeAt(secret) }))).toBe("MfaReused");
    const next = await codeAt(secret, 1);
    expect(await authorize({ email: user.email, password: PASSWORD, code: next })).toMatchObject({ id: user.id });
    expect(await errorOf(authorize({ email: user.email, password: PASSWORD, code: next }))).toBe("MfaReused");
    // Two sign-ins racing with one fresh code: exactly one wins.
    const fresh = await codeAt(secret, 1);
    await t.db.userTotp.update({ where: { userId: user.id }, data: { lastStep: null } });
    const results = await Promise.all([0, 1, 2].map(() => errorOf(authorize({ email: user.email, password: PASSWORD, code: fresh }))));
    expect(results.filter((r) => r === "OK")).toHaveLength(1);
  });

  it("a recovery code works once", async () => {
    const { user, recoveryCodes } = await mfaUser("recovery");
    expect(recoveryCodes).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);
    const [code] = recoveryCodes;
    // Typed loosely (upper case, spaces instead of dashes) it still works, once.
    expect(await authorize({ email: user.email, password: PASSWORD, code: code!.toUpperCase().replaceAll("-", " ") })).toMatchObject({ id: user.id });
    expect(await errorOf(authorize({ email: user.email, password: PASSWORD, code: code! }))).toBe("MfaInvalid");
    // Stored only as hashes.
    const stored = await t.db.mfaRecoveryCode.findMany({ where: { userId: user.id } });
    expect(stored.some((r) => r.codeHash.includes(code!.replaceAll("-", "")))).toBe(false);
    expect(stored.filter((r) => r.usedAt)).toHaveLength(1);
  });

  it("stores the TOTP secret encrypted, and the tenant role cannot read MFA tables at all", async () => {
    const { user, secret } = await mfaUser("at-rest");
    const row = await t.db.userTotp.findUniqueOrThrow({ where: { userId: user.id } });
    expect(row.secretCiphertext).not.toContain(secret);
    expect(row.secretCiphertext.startsWith("v1.")).toBe(true);
    for (const read of [() => t.tenantDb.userTotp.findMany(), () => t.tenantDb.mfaRecoveryCode.findMany(), () => t.tenantDb.webauthnCredential.findMany(), () => t.tenantDb.userIdentity.findMany()]) {
      expect(await errorOf(read())).toMatch(/permission denied/i);
    }
  });

  it("removal needs a current code or the password, and enrolment and removal are audited", async () => {
    const { user, caller, enrolmentCode } = await mfaUser("removal");
    expect(await errorOf(caller.mfa.totp.remove({}))).toMatch(/^FORBIDDEN/);
    expect(await errorOf(caller.mfa.totp.remove({ password: "wrong" }))).toMatch(/^FORBIDDEN/);
    // The very code spent at enrolment (not "the current code": a 30 s step may have begun since).
    expect(await errorOf(caller.mfa.totp.remove({ code: enrolmentCode }))).toMatch(/^FORBIDDEN/);
    await caller.mfa.totp.remove({ password: PASSWORD });
    expect(await authorize({ email: user.email, password: PASSWORD })).toMatchObject({ id: user.id });
    const trail = await t.db.auditEvent.findMany({ where: { actorId: user.id, action: { startsWith: "mfa." } }, orderBy: { id: "asc" } });
    expect(trail.map((e) => e.action)).toEqual(["mfa.totp.enrol", "mfa.totp.remove"]);
    expect(await t.db.mfaRecoveryCode.count({ where: { userId: user.id } })).toBe(0);
  });

  it("enrolment is confirmed only by a valid code", async () => {
    const user = await createUser(t.db, "confirm");
    const caller = callerFor(t, user);
    await caller.mfa.totp.begin();
    expect(await errorOf(caller.mfa.totp.confirm({ code: "000000" }))).toMatch(/^BAD_REQUEST/);
    expect((await caller.mfa.status()).totpEnabled).toBe(false);
  });
});

describe("passkeys", () => {
  it("a sign-in challenge is single use, and expires", async () => {
    const options = await callerFor(t, null).mfa.passkey.signInOptions();
    expect(options.allowCredentials ?? []).toEqual([]); // names no account
    expect(await unsafeConsumeChallenge(t.db, options.challenge, "authenticate", null)).toBe(true);
    expect(await unsafeConsumeChallenge(t.db, options.challenge, "authenticate", null)).toBe(false);
    const stale = await callerFor(t, null).mfa.passkey.signInOptions();
    await t.db.webauthnChallenge.update({ where: { challenge: stale.challenge }, data: { expiresAt: new Date(Date.now() - 1) } });
    expect(await unsafeConsumeChallenge(t.db, stale.challenge, "authenticate", null)).toBe(false);
  });

  it("another user's passkey, or garbage, is no second factor", async () => {
    const { user } = await mfaUser("passkey-thief");
    const victim = await createUser(t.db, "passkey-victim");
    await unsafeInsertPasskey(t.db, { id: `cred-${randomUUID()}`, userId: victim.id, name: "victim's key", publicKey: new Uint8Array(77), counter: 0, transports: ["internal"] });
    const victimKey = await t.db.webauthnCredential.findFirstOrThrow({ where: { userId: victim.id } });
    const assertion = JSON.stringify({ id: victimKey.id, rawId: victimKey.id, type: "public-key", response: {}, clientExtensionResults: {} });
    expect(await verifyPasskeyAssertion(t.db, user.id, assertion)).toBe(false);
    expect(await verifyPasskeyAssertion(t.db, user.id, "not json")).toBe(false);
    expect(await errorOf(authorize({ email: user.email, password: PASSWORD, webauthn: assertion }))).toBe("MfaInvalid");
  });
});

describe("policy", () => {
  it("an operator without MFA cannot open break-glass", async () => {
    const platform = await setupPlatform(t.db);
    const acme = await setupTenant(t.db, "bg", platform.mgmtTemplate.id);
    const bare = await t.db.user.create({ data: { id: randomUUID(), email: `bare-ops-${randomUUID()}@test.local`, name: "bare", passwordHash: "x", isPlatformOperator: true } });
    const request = { realmId: acme.realmId, reason: "incident #7: disk full", minutes: 15 };
    expect(await errorOf(callerFor(t, bare).operator.breakGlass.request(request))).toMatch(/^FORBIDDEN: Platform operators need two-factor authentication/);
    expect(await t.db.breakGlassGrant.count({ where: { operatorId: bare.id } })).toBe(0);
    // The same request from an operator with a second factor is granted.
    const ops = await createUser(t.db, "mfa-ops", true);
    expect(await errorOf(callerFor(t, ops).operator.breakGlass.request(request))).toBe("OK");
  });

  it("a member of an MFA-requiring org without MFA is refused realm access", async () => {
    const platform = await setupPlatform(t.db);
    const acme = await setupTenant(t.db, "mfa-org", platform.mgmtTemplate.id);
    const owner = callerFor(t, acme.members.owner);
    const viewer = callerFor(t, acme.members.viewer);
    // The owner cannot lock itself out: it needs a factor first.
    expect(await errorOf(owner.mfa.setOrgRequirement({ requireMfa: true }))).toMatch(/^PRECONDITION_FAILED/);
    const { secret } = await owner.mfa.totp.begin();
    await owner.mfa.totp.confirm({ code: await codeAt(secret) });
    // A viewer cannot change the policy.
    expect(await errorOf(viewer.mfa.setOrgRequirement({ requireMfa: true }))).toMatch(/^FORBIDDEN/);
    await owner.mfa.setOrgRequirement({ requireMfa: true });

    expect(await errorOf(viewer.vm.list())).toBe("FORBIDDEN: Your organization requires two-factor authentication: set it up at /account/security");
    expect(await errorOf(viewer.realm.get())).toMatch(/^FORBIDDEN: Your organization requires/);
    // …but can reach the security page's procedures to set it up, and then the realm.
    expect((await viewer.mfa.status()).org?.requireMfa).toBe(true);
    const enrol = await viewer.mfa.totp.begin();
    await viewer.mfa.totp.confirm({ code: await codeAt(enrol.secret) });
    expect((await viewer.realm.get()).id).toBe(acme.realmId);
    // The owner (with MFA) was never blocked, and the toggle is in the realm's trail.
    expect((await owner.realm.get()).id).toBe(acme.realmId);
    const trail = (await owner.realm.audit()).items;
    expect(trail.some((e) => e.action === "org.mfa.require")).toBe(true);
    // The last factor of a member of such an org cannot be removed.
    expect(await errorOf(viewer.mfa.totp.remove({ code: await codeAt(enrol.secret, 1) }))).toMatch(/^PRECONDITION_FAILED/);
  });
});
