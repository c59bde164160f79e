import { NextResponse, type NextRequest } from "next/server";
import { poisonedCallbackCookies, sameOriginPath } from "@/server/edge/auth-urls";
import { isServedOverHttps, newNonce, pageContentSecurityPolicy } from "@/server/edge/security-headers";

/**
 * Runs before every page and next-auth route (Next 16's `proxy.ts`, formerly middleware).
 * Threats: injected scripts (a fresh CSP nonce per page; Next.js puts it on its own scripts
 * when it finds it in the request's CSP header), and a callback URL next-auth would answer 500
 * for (a planted callback-url cookie, a `javascript:` callbackUrl parameter): such values are
 * removed before next-auth sees them, and the cookie is expired. The headers every answer
 * carries come from next.config.ts. /api/trpc, /api/v1, /api/health and /api/openapi.json never
 * reach Next.js: the web process answers them itself (server/web/api.ts), with the same headers
 * and the same expiry of a poisoned callback-url cookie (server/web/node-http.ts).
 */

export function proxy(request: NextRequest): NextResponse {
  const baseUrl = process.env.NEXTAUTH_URL ?? request.nextUrl.origin;
  const requestHeaders = new Headers(request.headers);

  const poisoned = poisonedCallbackCookies(request.cookies.getAll(), baseUrl);
  if (poisoned.length > 0) {
    // Drop those pairs from the raw header, leaving every other cookie byte for byte.
    const kept = (request.headers.get("cookie") ?? "")
      .split(";")
      .filter((pair) => !poisoned.includes(pair.split("=", 1)[0]?.trim() ?? ""))
      .join(";");
    if (kept.trim()) requestHeaders.set("cookie", kept);
    else requestHeaders.delete("cookie");
  }

  let response: NextResponse;
  const callbackUrl = request.nextUrl.searchParams.get("callbackUrl");
  if (request.nextUrl.pathname.startsWith("/api/")) {
    // next-auth's routes: a callbackUrl parameter it would refuse (500) is dropped; its redirect
    // callback (auth/options.ts) then sends the browser home.
    if (callbackUrl !== null && sameOriginPath(callbackUrl, baseUrl) === null) {
      const cleaned = request.nextUrl.clone();
      cleaned.searchParams.delete("callbackUrl");
      response = NextResponse.rewrite(cleaned, { request: { headers: requestHeaders } });
    } else {
      response = NextResponse.next({ request: { headers: requestHeaders } });
    }
  } else {
    const nonce = newNonce();
    const csp = pageContentSecurityPolicy({
      nonce,
      isDev: process.env.NODE_ENV === "development",
      isHttps: isServedOverHttps(request.url, request.headers.get("x-forwarded-proto")),
    });
    requestHeaders.set("x-nonce", nonce);
    requestHeaders.set("content-security-policy", csp);
    response = NextResponse.next({ request: { headers: requestHeaders } });
    response.headers.set("content-security-policy", csp);
  }
  for (const name of poisoned) response.cookies.set(name, "", { path: "/", maxAge: 0, secure: name.startsWith("__") });
  return response;
}

export const config = {
  matcher: ["/((?!api/trpc|api/v1/|api/health|api/openapi\\.json|_next/static|_next/image|favicon.ico).*)"],
};
