import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { platformDb } from "../db/client";
import { authCookies, safeRedirect, usesSecureCookies } from "../edge/auth-urls";
import { recordDecision } from "../repositories/audit";
import { unsafeFindUserByEmailForSignIn } from "../repositories/users";
import { hasSecondFactor, verifySecondFactor } from "./mfa";
import { completeOidcSignIn, oidcProvider } from "./oidc";
import { requestClientInfo } from "./client-address";
import { dummyPasswordHash, verifyPassword } from "./password";
import { endSession, SESSION_MAX_AGE_S, startSession } from "./sessions";

/**
 * next-auth v4, email + password (Argon2id). Credentials force JWT sessions, so the token holds
 * the user id, a session epoch and the id of a server-side session row (auth/sessions.ts);
 * protectedProcedure checks the row is live and the epoch current on every request, and
 * sign-out revokes the row. Password sign-ins are throttled in the route (auth/throttle.ts). A
 * wrong password and an unknown email get the same answer after the same work (a dummy hash is
 * verified), so sign-in does not enumerate accounts.
 */

export const authOptions: NextAuthOptions = {
  secret: process.env.NEXTAUTH_SECRET,
  session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_S },
  // Served over https (NEXTAUTH_URL says so): Secure cookies with __Host-/__Secure- names,
  // spelled out rather than left to next-auth's guess (edge/auth-urls.ts).
  useSecureCookies: usesSecureCookies(process.env.NEXTAUTH_URL),
  cookies: authCookies(usesSecureCookies(process.env.NEXTAUTH_URL)),
  // Errors (a refused SSO email, a second factor needed) come back to the sign-in page, which
  // explains them; next-auth's own error page would not.
  pages: { signIn: "/signin", error: "/signin" },
  logger: {
    // A forged or stale session cookie is an expected event, not a server error: one line,
    // no stack trace.
    error(code, metadata) {
      if (code === "JWT_SESSION_ERROR") console.warn("[auth] rejected an invalid session token");
      else console.error(`[auth] ${code}`, metadata);
    },
    warn(code) {
      console.warn(`[auth] ${code}`);
    },
    debug() {},
  },
  providers: [
    CredentialsProvider({
      name: "Email and password",
      credentials: {
        email: { label: "Email", type: "email" },
        password: { label: "Password", type: "password" },
        // The second step of a sign-in for a user with MFA: a TOTP or recovery code, or a passkey
        // assertion (JSON). Checked only after the password (see below).
        code: { label: "Code", type: "text" },
        webauthn: { label: "Passkey", type: "text" },
      },
      async authorize(credentials) {
        const email = credentials?.email?.trim().toLowerCase() ?? "";
        const password = credentials?.password ?? "";
        if (!email || !password || email.length > 320 || password.length > 1024) return null;
        const user = await unsafeFindUserByEmailForSignIn(platformDb(), email);
        const ok = await verifyPassword(user?.passwordHash ?? (await dummyPasswordHash()), password);
        // A wrong password answers the same whether or not the account has MFA. Only a correct
        // password of an MFA user is told "second factor required" (MfaRequired), and a wrong
        // second factor gets MfaInvalid; both refuse the sign-in.
        let secondFactor = "";
        if (ok && user && (await hasSecondFactor(platformDb(), user.id))) {
          const code = typeof credentials?.code === "string" ? credentials.code.slice(0, 64) : "";
          const webauthn = typeof credentials?.webauthn === "string" ? credentials.webauthn.slice(0, 16_384) : "";
          if (!code && !webauthn) throw new Error("MfaRequired");
          const result = await verifySecondFactor(platformDb(), user.id, { code, webauthn });
          if (!result.ok) {
            await recordDecision(platformDb(), {
              realmId: null,
              actorId: user.id,
              action: "auth.signin",
              targetType: "user",
              targetId: user.id,
              decision: "deny",
              layer: "auth",
              reason: result.reused ? "password verified; TOTP code already used" : "password verified; wrong or expired second factor",
              requestId: crypto.randomUUID(),
            });
            throw new Error(result.reused ? "MfaReused" : "MfaInvalid");
          }
          secondFactor = ` and ${result.method}`;
        }
        await recordDecision(platformDb(), {
          realmId: null,
          actorId: user?.id ?? null,
          action: "auth.signin",
          targetType: "user",
          targetId: user?.id ?? null,
          decision: ok && user ? "allow" : "deny",
          layer: "auth",
          reason: ok && user ? `password${secondFactor} verified` : "wrong email or password",
          requestId: crypto.randomUUID(),
        });
        if (!ok || !user) return null;
        return { id: user.id, email: user.email, name: user.name, epoch: user.sessionEpoch };
      },
    }),
    // Single sign-on, when REALMGATE_OIDC_* configure it (auth/oidc.ts).
    ...[oidcProvider()].filter((provider) => provider !== null),
  ],
  callbacks: {
    // After sign-in or sign-out: same-origin paths only; `javascript:`, other schemes and
    // look-alike hosts go home instead (edge/auth-urls.ts).
    redirect: safeRedirect,
    // Password sign-ins were decided in authorize; SSO sign-ins link by verified email or refuse.
    async signIn({ user, account }) {
      if (account?.type === "credentials") return true;
      return completeOidcSignIn(user, account);
    },
    async jwt({ token, user }) {
      if (user) {
        token.uid = user.id;
        token.epoch = (user as { epoch?: number }).epoch ?? 0;
        // A server-side session row per sign-in (auth/sessions.ts): its id rides in the token,
        // and the epoch is the one read with the row.
        Object.assign(token, await startSession(platformDb(), user.id, await requestClientInfo()));
      }
      return token;
    },
    session({ session, token }) {
      if (session.user) Object.assign(session.user, { id: token.uid, epoch: token.epoch, sid: token.sid });
      return session;
    },
  },
  events: {
    // Sign-out revokes the session row, so a copy of the cookie stops working at once.
    async signOut({ token }) {
      if (token) await endSession(platformDb(), token);
    },
  },
};
