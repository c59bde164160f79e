import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { platformDb } from "../db/client";
import { recordDecision } from "../repositories/audit";
import { unsafeFindUserByEmailForSignIn } from "../repositories/users";
import { dummyPasswordHash, verifyPassword } from "./password";

/**
 * next-auth v4, email + password (Argon2id). Credentials force JWT sessions, so the token holds
 * only the user id and a session epoch; protectedProcedure re-reads the user per request and
 * refuses a token whose epoch is stale. A wrong password and an unknown email get the same
 * answer after the same work (a dummy hash is verified), so sign-in does not enumerate accounts.
 */

export const authOptions: NextAuthOptions = {
  secret: process.env.NEXTAUTH_SECRET,
  session: { strategy: "jwt", maxAge: 12 * 60 * 60 },
  pages: { signIn: "/signin" },
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
      credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
      async authorize(credentials) {
        const email = credentials?.email?.trim().toLowerCase() ?? "";
        const password = credentials?.password ?? "";
        if (!email || !password || email.length > 320 || password.length > 1024) return null;
        const user = await unsafeFindUserByEmailForSignIn(platformDb(), email);
        const ok = await verifyPassword(user?.passwordHash ?? (await dummyPasswordHash()), password);
        await recordDecision(platformDb(), {
          realmId: null,
          actorId: user?.id ?? null,
          action: "auth.signin",
          targetType: "user",
          targetId: user?.id ?? null,
          decision: ok && user ? "allow" : "deny",
          layer: "auth",
          reason: ok && user ? "password verified" : "wrong email or password",
          requestId: crypto.randomUUID(),
        });
        if (!ok || !user) return null;
        return { id: user.id, email: user.email, name: user.name, epoch: user.sessionEpoch };
      },
    }),
  ],
  callbacks: {
    jwt({ token, user }) {
      if (user) {
        token.uid = user.id;
        token.epoch = (user as { epoch?: number }).epoch ?? 0;
      }
      return token;
    },
    session({ session, token }) {
      if (session.user) Object.assign(session.user, { id: token.uid, epoch: token.epoch });
      return session;
    },
  },
};
