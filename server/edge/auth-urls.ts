/**
 * Where sign-in may send a browser, and what the auth cookies are called. Threats: an open
 * redirect (a link to our sign-in that lands the victim, signed in, on a look-alike site or a
 * `javascript:` URL), and a poisoned callback-url cookie: next-auth refuses a non-http(s) value
 * with a 500 on every request that carries it, so one planted cookie would take the app down for
 * that browser. Every callback URL is reduced to a same-origin path or replaced by "/"; the
 * proxy and the tRPC route drop a callback-url cookie that fails this check before next-auth
 * reads it. On https the cookies are Secure and carry the `__Host-`/`__Secure-` prefixes, so a
 * sibling subdomain or a plain-HTTP answer cannot plant or overwrite them.
 */

/** Control characters, backslashes (browsers read `/\evil` as `//evil`) and whitespace. */
const UNSAFE_CHARACTERS = /[\u0000-\u0020\u007f\\]/;

/**
 * The same-origin path (with query and fragment) a callback URL points to, or null if it points
 * anywhere else or is not a plain http(s) URL. Relative paths must start with a single "/".
 */
export function sameOriginPath(value: string | null | undefined, baseUrl: string): string | null {
  if (!value || value.length > 2048 || UNSAFE_CHARACTERS.test(value)) return null;
  const base = new URL(baseUrl);
  let target: URL;
  try {
    if (value.startsWith("/")) {
      if (value.startsWith("//")) return null;
      target = new URL(value, base.origin);
    } else {
      target = new URL(value);
    }
  } catch {
    return null;
  }
  if (target.protocol !== "http:" && target.protocol !== "https:") return null;
  if (target.origin !== base.origin) return null;
  return `${target.pathname}${target.search}${target.hash}`;
}

/** next-auth's `redirect` callback: same-origin targets only, everything else goes home. */
export function safeRedirect({ url, baseUrl }: { url: string; baseUrl: string }): string {
  const path = sameOriginPath(url, baseUrl);
  return `${new URL(baseUrl).origin}${path ?? "/"}`;
}

/** True when NEXTAUTH_URL (the public URL) is https: the app is served over TLS. */
export function usesSecureCookies(nextAuthUrl: string | undefined): boolean {
  return (nextAuthUrl ?? "").toLowerCase().startsWith("https://");
}

type CookieOption = {
  name: string;
  options: { httpOnly: boolean; sameSite: "lax"; path: string; secure: boolean; maxAge?: number };
};

/**
 * next-auth's cookies, spelled out so the names and flags do not depend on a guess: over https
 * the session, CSRF and callback cookies are `__Host-` (Secure, Path=/, no Domain: only this
 * exact host can set them), the OAuth round-trip cookies `__Secure-`; over plain http (local
 * development, the test suite) none of them can be Secure and they carry no prefix.
 */
export function authCookies(secure: boolean): Record<"sessionToken" | "callbackUrl" | "csrfToken" | "pkceCodeVerifier" | "state" | "nonce", CookieOption> {
  const host = secure ? "__Host-" : "";
  const sec = secure ? "__Secure-" : "";
  const options = { httpOnly: true, sameSite: "lax" as const, path: "/", secure };
  return {
    sessionToken: { name: `${host}next-auth.session-token`, options },
    callbackUrl: { name: `${host}next-auth.callback-url`, options },
    csrfToken: { name: `${host}next-auth.csrf-token`, options },
    pkceCodeVerifier: { name: `${sec}next-auth.pkce.code_verifier`, options: { ...options, maxAge: 15 * 60 } },
    state: { name: `${sec}next-auth.state`, options: { ...options, maxAge: 15 * 60 } },
    nonce: { name: `${sec}next-auth.nonce`, options },
  };
}

/** Every name a callback-url cookie may arrive under (a browser may carry either). */
export const CALLBACK_URL_COOKIE_NAMES = [authCookies(false).callbackUrl.name, authCookies(true).callbackUrl.name];

/** The callback-url cookies of a request that next-auth would refuse (and answer 500 for). */
export function poisonedCallbackCookies(cookies: Iterable<{ name: string; value: string }>, baseUrl: string): string[] {
  const bad: string[] = [];
  for (const { name, value } of cookies) {
    if (CALLBACK_URL_COOKIE_NAMES.includes(name) && value && sameOriginPath(value, baseUrl) === null) bad.push(name);
  }
  return bad;
}
