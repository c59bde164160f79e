import { generateKeyPairSync, randomBytes } from "node:crypto";
import type { Server } from "node:http";
import { pathToFileURL } from "node:url";
import Provider, { type Configuration, type KoaContextWithOIDC } from "oidc-provider";

/**
 * A real OpenID Connect provider for the SSO tests (oidc-provider 9 on loopback): discovery,
 * authorization code + PKCE, signed ID tokens, and oidc-provider's development login form
 * (`devInteractions`: type an account name and any password). Never part of the product.
 *
 * Accounts (type the name into the login form):
 * - `sso-alice`: alice@acme.test, email verified by this provider → signs in as Alice (linked);
 * - `sso-mallory`: claims victor@acme.test, email NOT verified → must be refused.
 */

export const TEST_OIDC_PORT = 3190;
export const TEST_OIDC_CLIENT = { id: "realmgate-e2e", secret: "realmgate-e2e-client-secret" };

export const TEST_OIDC_ACCOUNTS: Record<string, { email: string; email_verified: boolean; name: string }> = {
  "sso-alice": { email: "alice@acme.test", email_verified: true, name: "Alice via SSO" },
  "sso-mallory": { email: "victor@acme.test", email_verified: false, name: "Mallory claiming Victor" },
};

export type TestOidcProvider = { issuer: string; env: Record<string, string>; close: () => Promise<void> };

export async function startTestOidcProvider(options: { port?: number; redirectUri: string; providerName?: string }): Promise<TestOidcProvider> {
  const port = options.port ?? TEST_OIDC_PORT;
  const issuer = `http://127.0.0.1:${port}`;
  const signingKey = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ format: "jwk" });
  const configuration: Configuration = {
    clients: [
      {
        client_id: TEST_OIDC_CLIENT.id,
        client_secret: TEST_OIDC_CLIENT.secret,
        redirect_uris: [options.redirectUri],
        grant_types: ["authorization_code"],
        response_types: ["code"],
      },
    ],
    jwks: { keys: [{ ...signingKey, kid: "realmgate-e2e", use: "sig", alg: "RS256" }] },
    cookies: { keys: [randomBytes(32).toString("hex")] },
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
    // Scope claims in the ID token (next-auth reads the profile from it: idToken: true).
    conformIdTokenClaims: false,
    features: { devInteractions: { enabled: true } },
    pkce: { required: () => true },
    async findAccount(_ctx: KoaContextWithOIDC, sub: string) {
      const account = TEST_OIDC_ACCOUNTS[sub];
      if (!account) return undefined;
      return { accountId: sub, claims: async () => ({ sub, ...account }) };
    },
    // No consent screen for the one test client: its grant is created on first use.
    async loadExistingGrant(ctx: KoaContextWithOIDC) {
      const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session!.grantIdFor(ctx.oidc.client!.clientId);
      if (grantId) return ctx.oidc.provider.Grant.find(grantId);
      const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client!.clientId, accountId: ctx.oidc.session!.accountId! });
      grant.addOIDCScope("openid email profile");
      await grant.save();
      return grant;
    },
  };
  const provider = new Provider(issuer, configuration);
  // Quiet: the development-interaction warnings are expected here.
  provider.on("server_error", (_ctx, error) => console.error("[test-oidc] server error", error));
  const server: Server = await new Promise((resolve, reject) => {
    const s = provider.listen(port, "127.0.0.1", () => resolve(s));
    s.once("error", reject);
  });
  return {
    issuer,
    env: {
      REALMGATE_OIDC_ISSUER: issuer,
      REALMGATE_OIDC_CLIENT_ID: TEST_OIDC_CLIENT.id,
      REALMGATE_OIDC_CLIENT_SECRET: TEST_OIDC_CLIENT.secret,
      REALMGATE_OIDC_NAME: options.providerName ?? "Test SSO",
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

// `node --import tsx scripts/test-oidc-provider.ts`: run it alone, for trying SSO by hand.
if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const redirectUri = process.env.REALMGATE_OIDC_REDIRECT_URI ?? "http://localhost:3000/api/auth/callback/oidc";
  const started = await startTestOidcProvider({ redirectUri });
  console.log(`test OpenID provider at ${started.issuer} (redirect URI ${redirectUri}); start Realmgate with:`);
  for (const [key, value] of Object.entries(started.env)) console.log(`  ${key}=${value}`);
}
