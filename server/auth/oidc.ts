import type { Account, Profile, User } from "next-auth";
import type { OAuthConfig } from "next-auth/providers/oauth";
import { platformDb } from "../db/client";
import type { Tx } from "../db/client";
import { recordDecision } from "../repositories/audit";
import { unsafeFindIdentity, unsafeLinkIdentity } from "../repositories/identities";
import { unsafeFindUserByEmailForSignIn } from "../repositories/users";

/**
 * Single sign-on through an OpenID Connect provider (next-auth 4 "oauth" provider with discovery,
 * authorization code + PKCE + state, claims from the ID token). Enabled only when
 * REALMGATE_OIDC_ISSUER, REALMGATE_OIDC_CLIENT_ID and REALMGATE_OIDC_CLIENT_SECRET are set.
 *
 * Threat: taking over a Realmgate account through an identity provider account that merely
 * *claims* the victim's email. Rules, in order:
 * 1. a subject already linked (per issuer) signs in as its linked user, whatever its email says now;
 * 2. otherwise the provider must assert `email_verified: true`, and the email must belong to an
 *    existing Realmgate user: the subject is linked to that user (user_identities) and signs in;
 * 3. otherwise refused: an unverified email (UnverifiedEmail), or an email with no account
 *    (NoAccount: accounts are created by invitation, never by a first SSO sign-in).
 * The JWT then carries the same fields as a password sign-in (Realmgate user id and epoch):
 * `profile()` maps the provider's claims to the Realmgate user, so `user.id` is ours.
 */

export const OIDC_PROVIDER_ID = "oidc";

export type OidcClaims = Profile & { sub: string; email?: string; email_verified?: boolean | string; name?: string; preferred_username?: string };

type LinkedUser = { id: string; email: string; name: string; sessionEpoch: number };

export type OidcDecision =
  | { kind: "signin"; user: LinkedUser; link: boolean; reason: string }
  | { kind: "refuse"; error: "UnverifiedEmail" | "NoAccount"; reason: string };

/** Pure: who (if anyone) these claims sign in as. */
export function decideOidcSignIn(claims: { email?: string; email_verified?: boolean | string }, linked: LinkedUser | null, byEmail: LinkedUser | null): OidcDecision {
  if (linked) return { kind: "signin", user: linked, link: false, reason: "SSO subject already linked" };
  // Only a boolean true counts: a missing claim or the string "true" is not a verification.
  if (claims.email_verified !== true || !claims.email) {
    return { kind: "refuse", error: "UnverifiedEmail", reason: "SSO email not verified by the identity provider" };
  }
  if (!byEmail) return { kind: "refuse", error: "NoAccount", reason: "SSO email has no Realmgate account (accounts are created by invitation)" };
  return { kind: "signin", user: byEmail, link: true, reason: "SSO verified email linked to the existing account" };
}

export function oidcIssuer(): string | null {
  const issuer = process.env.REALMGATE_OIDC_ISSUER?.trim().replace(/\/+$/, "");
  return issuer && process.env.REALMGATE_OIDC_CLIENT_ID && process.env.REALMGATE_OIDC_CLIENT_SECRET ? issuer : null;
}

async function resolve(db: Tx, issuer: string, claims: OidcClaims): Promise<OidcDecision> {
  const identity = await unsafeFindIdentity(db, issuer, claims.sub);
  const email = claims.email?.trim().toLowerCase();
  const byEmail = !identity && email && claims.email_verified === true ? await unsafeFindUserByEmailForSignIn(db, email) : null;
  return decideOidcSignIn({ ...claims, email }, identity?.user ?? null, byEmail);
}

/** The user object next-auth hands to the signIn and jwt callbacks for an SSO sign-in. */
export type OidcUser = User & { epoch: number; oidc: { issuer: string; subject: string; email: string; decision: OidcDecision } };

/** The provider, or null when SSO is not configured. */
export function oidcProvider(): OAuthConfig<OidcClaims> | null {
  const issuer = oidcIssuer();
  if (!issuer) return null;
  return {
    id: OIDC_PROVIDER_ID,
    name: process.env.REALMGATE_OIDC_NAME?.trim() || "single sign-on",
    type: "oauth",
    wellKnown: `${issuer}/.well-known/openid-configuration`,
    clientId: process.env.REALMGATE_OIDC_CLIENT_ID,
    clientSecret: process.env.REALMGATE_OIDC_CLIENT_SECRET,
    authorization: { params: { scope: "openid email profile" } },
    idToken: true,
    checks: ["pkce", "state"],
    async profile(claims): Promise<OidcUser> {
      const decision = await resolve(platformDb(), issuer, claims);
      const email = claims.email?.trim().toLowerCase() ?? "";
      const oidc = { issuer, subject: claims.sub, email, decision };
      if (decision.kind === "refuse") return { id: `unlinked:${claims.sub}`, email, name: claims.name ?? email, epoch: -1, oidc };
      const { user } = decision;
      return { id: user.id, email: user.email, name: user.name, epoch: user.sessionEpoch, oidc };
    },
  };
}

/**
 * The signIn callback for an SSO sign-in: refuses (to the sign-in page, with the reason) or links
 * and allows; audited like a password sign-in. Returns true or the URL to send the browser to.
 */
export async function completeOidcSignIn(user: User, account: Account | null): Promise<true | string> {
  const oidc = (user as Partial<OidcUser>).oidc;
  if (account?.provider !== OIDC_PROVIDER_ID || !oidc) return "/signin?error=Configuration";
  const { decision } = oidc;
  const db = platformDb();
  const actorId = decision.kind === "signin" ? decision.user.id : null;
  await recordDecision(db, {
    realmId: null,
    actorId,
    action: "auth.signin",
    targetType: "user",
    targetId: actorId,
    decision: decision.kind === "signin" ? "allow" : "deny",
    layer: "auth",
    reason: decision.reason,
    requestId: crypto.randomUUID(),
    details: { method: "oidc", issuer: oidc.issuer, subject: oidc.subject },
  });
  if (decision.kind === "refuse") return `/signin?error=${decision.error}`;
  await unsafeLinkIdentity(db, { provider: oidc.issuer, subject: oidc.subject, userId: decision.user.id, email: oidc.email || decision.user.email });
  return true;
}
