import { decode } from "next-auth/jwt";
import type { SessionUser } from "./session-user";
import { authCookies, usesSecureCookies } from "../edge/auth-urls";

/** The cookie next-auth keeps the session in (auth/options.ts names its cookies the same way). */
const SESSION_COOKIE = authCookies(usesSecureCookies(process.env.NEXTAUTH_URL)).sessionToken.name;

/**
 * The caller's identity from next-auth's JWT cookie (not yet checked against the database:
 * protectedProcedure does that on every request, auth/sessions.ts).
 *
 * The cookie is decrypted with next-auth's own `decode` (JWE, A256GCM, key derived by HKDF from
 * NEXTAUTH_SECRET), not through getServerSession: that runs next-auth's whole session route per
 * call (decrypt, callbacks, re-encrypt and re-set the cookie to slide its expiry), which the
 * server-side session row makes pointless (its expiry is fixed at sign-in). A decrypted cookie is
 * remembered by its exact text until the token's own expiry, so a browser's second request costs
 * no cryptography at all; forged or expired cookies are decrypted (and refused) every time and
 * never remembered.
 */
export function sessionUserFromCookies(cookies: { name: string; value: string }[]): Promise<SessionUser | null> {
  const token = cookies.find((c) => c.name === SESSION_COOKIE)?.value;
  return token ? sessionUserFromToken(token) : Promise.resolve(null);
}

/** Decrypted cookies by their text; bounded (oldest out first), so memory stays flat under churn. */
const MAX_REMEMBERED = 10_000;
const remembered = new Map<string, { user: SessionUser; expiresAtMs: number }>();

export async function sessionUserFromToken(token: string, now = Date.now()): Promise<SessionUser | null> {
  const known = remembered.get(token);
  if (known) {
    if (known.expiresAtMs > now) return known.user;
    remembered.delete(token);
    return null;
  }
  // Never decrypt with an empty secret: anyone could have made such a cookie.
  const secret = process.env.NEXTAUTH_SECRET;
  if (!secret) throw new Error("NEXTAUTH_SECRET is not set; start Realmgate with `npm start`");
  let claims: Record<string, unknown> | null;
  try {
    claims = await decode({ token, secret });
  } catch {
    // Tampered, wrongly keyed or expired: no identity, one line (as next-auth logs it).
    console.warn("[auth] rejected an invalid session token");
    return null;
  }
  const user = claimsToUser(claims);
  if (!user || typeof claims?.exp !== "number") return user;
  if (remembered.size >= MAX_REMEMBERED) remembered.delete(remembered.keys().next().value!);
  remembered.set(token, { user, expiresAtMs: claims.exp * 1000 });
  return user;
}

/** The claims the jwt callback wrote at sign-in (auth/options.ts): uid, epoch and the session row's sid. */
function claimsToUser(claims: Record<string, unknown> | null): SessionUser | null {
  if (typeof claims?.uid !== "string" || typeof claims.epoch !== "number") return null;
  return { id: claims.uid, epoch: claims.epoch, ...(typeof claims.sid === "string" ? { sid: claims.sid } : {}) };
}
