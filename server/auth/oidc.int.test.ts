import { randomUUID } from "node:crypto";
import type { Account } from "next-auth";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../test/db";
import { createUser } from "../test/fixtures";
import { completeOidcSignIn, oidcProvider, type OidcClaims, type OidcUser } from "./oidc";

/**
 * SSO account linking against a real PostgreSQL: the provider's profile() (claims → Realmgate
 * user) and the signIn callback (refuse, or link and allow), as next-auth calls them after the
 * code exchange. The protocol itself is exercised by e2e/sso.spec.ts against a real provider.
 */

const ISSUER = "https://idp.test.local";
let t: TestDatabase;
let provider: NonNullable<ReturnType<typeof oidcProvider>>;

beforeAll(async () => {
  t = await createTestDatabase();
  (globalThis as unknown as { realmgateDb?: object }).realmgateDb = { platform: t.db, tenant: t.tenantDb };
  Object.assign(process.env, { REALMGATE_OIDC_ISSUER: `${ISSUER}/`, REALMGATE_OIDC_CLIENT_ID: "client", REALMGATE_OIDC_CLIENT_SECRET: "secret" });
  provider = oidcProvider()!;
});
afterAll(async () => {
  delete (globalThis as unknown as { realmgateDb?: object }).realmgateDb;
  await t.drop();
});

const account: Account = { provider: "oidc", type: "oauth", providerAccountId: "ignored" };

async function signInWith(claims: OidcClaims): Promise<{ user: OidcUser; result: true | string }> {
  const user = (await provider.profile(claims, {})) as OidcUser;
  return { user, result: await completeOidcSignIn(user, account) };
}

describe("SSO account linking", () => {
  it("is configured by environment only", () => {
    expect(provider).toMatchObject({ id: "oidc", type: "oauth", wellKnown: `${ISSUER}/.well-known/openid-configuration`, idToken: true, checks: ["pkce", "state"] });
  });

  it("an unverified OIDC email is refused, and nothing is linked", async () => {
    const victim = await createUser(t.db, "victim");
    const sub = `sub-${randomUUID()}`;
    const { user, result } = await signInWith({ sub, email: victim.email, email_verified: false });
    expect(result).toBe("/signin?error=UnverifiedEmail");
    expect(user.id).not.toBe(victim.id);
    expect(await t.db.userIdentity.count({ where: { subject: sub } })).toBe(0);
    const audit = await t.db.auditEvent.findFirstOrThrow({ where: { action: "auth.signin", details: { path: ["subject"], equals: sub } } });
    expect(audit).toMatchObject({ decision: "deny", actorId: null });
  });

  it("a verified email links to the existing user, whose id and epoch the session carries", async () => {
    const alice = await t.db.user.update({ where: { id: (await createUser(t.db, "alice")).id }, data: { sessionEpoch: 4 } });
    const sub = `sub-${randomUUID()}`;
    const { user, result } = await signInWith({ sub, email: alice.email.toUpperCase(), email_verified: true, name: "Alice at the IdP" });
    expect(result).toBe(true);
    expect(user).toMatchObject({ id: alice.id, email: alice.email, epoch: 4 });
    expect(await t.db.userIdentity.findUniqueOrThrow({ where: { provider_subject: { provider: ISSUER, subject: sub } } })).toMatchObject({ userId: alice.id });
    const audit = await t.db.auditEvent.findFirstOrThrow({ where: { action: "auth.signin", actorId: alice.id } });
    expect(audit).toMatchObject({ decision: "allow", layer: "auth" });

    // Later the subject's email changes (even to another user's, unverified): still Alice.
    const other = await createUser(t.db, "other");
    const again = await signInWith({ sub, email: other.email, email_verified: false });
    expect(again.result).toBe(true);
    expect(again.user.id).toBe(alice.id);
  });

  it("a verified email with no account is refused (accounts are created by invitation)", async () => {
    const { result } = await signInWith({ sub: `sub-${randomUUID()}`, email: `stranger-${randomUUID()}@test.local`, email_verified: true });
    expect(result).toBe("/signin?error=NoAccount");
  });
});
