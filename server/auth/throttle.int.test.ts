import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../test/db";
import { createUser } from "../test/fixtures";
import { createSignInThrottle, lockoutSeconds, throttleCredentialsSignIn, type SignInThrottle } from "./throttle";

/**
 * The sign-in throttle's logic against a real PostgreSQL (rate-limiter-flexible's
 * RateLimiterPostgres on the migration's table, through the platform role). next-auth itself is
 * stood in for by a function that answers as it does: a session cookie on success, none on a
 * failure; e2e/sessions.spec.ts drives the real route.
 */

let t: TestDatabase;
let throttle: SignInThrottle;
beforeAll(async () => {
  t = await createTestDatabase();
  throttle = createSignInThrottle(t.db);
});
afterAll(() => t?.drop());

const ORIGIN = "http://realmgate.test";
const wrongPassword = async () => Response.json({ url: `${ORIGIN}/signin?error=CredentialsSignin` }, { status: 401 });
const secondFactorNeeded = async () => Response.json({ url: `${ORIGIN}/signin?error=MfaRequired` }, { status: 401 });
const rightPassword = async () =>
  Response.json({ url: ORIGIN }, { headers: { "set-cookie": "next-auth.session-token=eyJ...; Path=/; HttpOnly; SameSite=Lax" } });

function attempt(email: string, address: string, nextAuth = wrongPassword) {
  const body = new URLSearchParams({ csrfToken: "x", email, password: "guess", json: "true" });
  const req = new Request(`${ORIGIN}/api/auth/callback/credentials`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body });
  return throttleCredentialsSignIn(req, { throttle, address, origin: ORIGIN }, nextAuth);
}

const uniqueAddress = () => `198.51.100.${Math.floor(Math.random() * 250)}-${randomUUID().slice(0, 4)}`;

/** The expiry of a locked key moved into the past: a lockout served, without waiting for it. */
async function serveLockouts(): Promise<void> {
  await t.db.signInThrottle.updateMany({ where: { key: { startsWith: "fail-" } }, data: { expire: BigInt(Date.now() - 1) } });
}

async function answer(response: Response) {
  return { status: response.status, retryAfter: response.headers.get("retry-after"), body: await response.text(), headers: [...response.headers.keys()].sort() };
}

describe("sign-in throttling", () => {
  it("lockouts last 30 s, doubling each time, capped at 15 minutes", () => {
    expect([1, 2, 3, 4, 5, 6, 7, 10].map(lockoutSeconds)).toEqual([30, 60, 120, 240, 480, 900, 900, 900]);
  });

  it("30 wrong passwords in a row: the first 5 reach next-auth, the rest are 429 with Retry-After", async () => {
    const user = await createUser(t.db, "guessed");
    const address = uniqueAddress();
    const statuses: number[] = [];
    let reachedNextAuth = 0;
    for (let i = 0; i < 30; i++) {
      const response = await attempt(user.email, address, async () => {
        reachedNextAuth++;
        return wrongPassword();
      });
      statuses.push(response.status);
      if (response.status === 429) {
        const retryAfter = Number(response.headers.get("retry-after"));
        expect(retryAfter).toBeGreaterThan(0);
        expect(retryAfter).toBeLessThanOrEqual(30);
        expect(await response.json()).toMatchObject({ error: "TooManyAttempts", retryAfter, url: `${ORIGIN}/signin?error=TooManyAttempts%3A${retryAfter}` });
      }
    }
    expect(reachedNextAuth).toBe(5);
    expect(statuses).toEqual([...Array(5).fill(401), ...Array(25).fill(429)]);
    // One audit row for the lockout, not one per refused attempt.
    const lockouts = await t.db.auditEvent.findMany({ where: { action: "auth.lockout", targetId: user.email.toLowerCase() } });
    expect(lockouts).toHaveLength(1);
    expect(lockouts[0]).toMatchObject({ realmId: null, decision: "deny", layer: "auth", targetType: "account" });
    expect(lockouts[0]!.reason).toBe("account locked for 30 s after 5 failed sign-ins (lockout 1 within a day)");
  });

  it("an unknown email is throttled exactly like a known one: same statuses, bodies and headers", async () => {
    const known = await createUser(t.db, "exists");
    const unknown = `nobody-${randomUUID().slice(0, 8)}@test.local`;
    const run = async (email: string) => {
      const address = uniqueAddress();
      const answers = [];
      for (let i = 0; i < 7; i++) answers.push(await answer(await attempt(email, address)));
      return answers;
    };
    const [a, b] = [await run(known.email), await run(unknown)];
    // Retry-After may differ by a second between the two runs; everything else is identical.
    const strip = (xs: Awaited<ReturnType<typeof answer>>[]) => xs.map((x) => ({ ...x, retryAfter: x.retryAfter && "n", body: x.body.replace(/\d+/g, "n") }));
    expect(strip(a)).toEqual(strip(b));
    expect(a.map((x) => x.status)).toEqual([401, 401, 401, 401, 401, 429, 429]);
  });

  it("each further lockout doubles, and a successful sign-in clears the account's counters", async () => {
    const user = await createUser(t.db, "repeat");
    const address = uniqueAddress();
    const lockFor = async () => {
      for (let i = 0; i < 5; i++) expect((await attempt(user.email, address)).status).toBe(401);
      const refused = await attempt(user.email, address);
      expect(refused.status).toBe(429);
      return Number(refused.headers.get("retry-after"));
    };
    expect(await lockFor()).toBe(30);
    await serveLockouts();
    expect(await lockFor()).toBe(60);
    await serveLockouts();
    expect(await lockFor()).toBe(120);
    await serveLockouts();
    expect((await attempt(user.email, address, rightPassword)).status).toBe(200);
    // Cleared: five more failures before a lockout, and it is a first lockout again (30 s).
    expect(await lockFor()).toBe(30);
    const reasons = (await t.db.auditEvent.findMany({ where: { action: "auth.lockout", targetId: user.email.toLowerCase() }, orderBy: { id: "asc" } })).map((r) => r.reason);
    expect(reasons).toEqual([30, 60, 120, 30].map((s, i) => `account locked for ${s} s after 5 failed sign-ins (lockout ${[1, 2, 3, 1][i]} within a day)`));
  });

  it("one client guessing across many accounts is locked by address, for every email", async () => {
    const address = uniqueAddress();
    for (let i = 0; i < 20; i++) expect((await attempt(`spray-${i}-${randomUUID().slice(0, 6)}@test.local`, address)).status).toBe(401);
    const fresh = await attempt(`fresh-${randomUUID().slice(0, 6)}@test.local`, address);
    expect(fresh.status).toBe(429);
    // Another client is not affected.
    expect((await attempt(`fresh-${randomUUID().slice(0, 6)}@test.local`, uniqueAddress())).status).toBe(401);
    const [row] = await t.db.auditEvent.findMany({ where: { action: "auth.lockout", targetId: address } });
    expect(row).toMatchObject({ targetType: "client", reason: "client locked for 30 s after 20 failed sign-ins (lockout 1 within a day)" });
  });

  it("a correct password that asks for a second factor is not counted as a failed guess", async () => {
    const user = await createUser(t.db, "mfa-user");
    const address = uniqueAddress();
    for (let i = 0; i < 10; i++) expect((await attempt(user.email, address, secondFactorNeeded)).status).toBe(401);
    expect((await attempt(user.email, address)).status).toBe(401);
    expect(await t.db.auditEvent.count({ where: { action: "auth.lockout", targetId: user.email.toLowerCase() } })).toBe(0);
  });

  it("the table holds hashes, never an email", async () => {
    const email = `private-${randomUUID().slice(0, 8)}@test.local`;
    await attempt(email, uniqueAddress());
    const keys = (await t.db.signInThrottle.findMany({ select: { key: true } })).map((r) => r.key);
    expect(keys.some((k) => k.includes("private-"))).toBe(false);
    expect(keys.every((k) => /^(fail|lock)-(account|client):[0-9a-f]{64}$/.test(k))).toBe(true);
  });
});
