/**
 * The response headers every answer carries (pages, API, static files). Threats: script
 * injection (XSS) running with the victim's session, the consoles' one-click actions framed by
 * another site (clickjacking), MIME sniffing of API answers into scripts, URLs with ids leaking
 * through Referer, powerful browser features (camera, microphone, location) used from a page,
 * and a first plain-HTTP request downgraded after the site was seen over TLS.
 *
 * Pages get a Content-Security-Policy with a fresh nonce per request (proxy.ts): Next.js reads
 * the nonce from the request's CSP header and puts it on its own scripts, so no inline script
 * runs without it ('strict-dynamic' lets those scripts load the page's chunks). Styles allow
 * 'unsafe-inline': Tailwind's output is a stylesheet, but React and Next's built-in pages render
 * style attributes, and a style cannot run code. Pure functions: the proxy and next.config.ts
 * call them, and the unit test reads the exact policy.
 */

export type Header = { key: string; value: string };

/**
 * Features nobody here needs are off for every origin; WebAuthn (passkeys) stays allowed for
 * this origin only, since sign-in uses it.
 */
export const PERMISSIONS_POLICY = [
  "camera=()",
  "microphone=()",
  "geolocation=()",
  "payment=()",
  "usb=()",
  "serial=()",
  "hid=()",
  "bluetooth=()",
  "midi=()",
  "magnetometer=()",
  "gyroscope=()",
  "accelerometer=()",
  "display-capture=()",
  "browsing-topics=()",
  "publickey-credentials-get=(self)",
  "publickey-credentials-create=(self)",
].join(", ");

/** Two years, subdomains included: only ever sent on answers served over https. */
export const STRICT_TRANSPORT_SECURITY = "max-age=63072000; includeSubDomains";

/** Headers independent of the request: every path, every answer. */
export const BASE_SECURITY_HEADERS: Header[] = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  { key: "Permissions-Policy", value: PERMISSIONS_POLICY },
  // For browsers without CSP frame-ancestors; the CSP says the same.
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
];

/**
 * API answers and static files are never documents that run code: nothing may load from them.
 * next-auth's own small HTML pages under /api/auth (sign-out confirmation, error) keep their
 * inline styles and their same-origin form.
 */
export const API_CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "style-src 'unsafe-inline'",
  "img-src 'self' data:",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join("; ");

/** A page's policy for one request. `isDev`: React's dev tooling needs eval (never in production). */
export function pageContentSecurityPolicy(options: { nonce: string; isDev: boolean; isHttps: boolean }): string {
  const { nonce, isDev, isHttps } = options;
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${isDev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(isHttps ? ["upgrade-insecure-requests"] : []),
  ].join("; ");
}

/** 128 random bits, base64: unguessable per response. */
export function newNonce(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return btoa(String.fromCharCode(...bytes));
}

/**
 * Whether this request reached us over TLS: directly, or through a reverse proxy that
 * terminated TLS and says so in X-Forwarded-Proto (the proxy must overwrite a client's value;
 * see README "Running behind TLS"). A forged "https" over plain HTTP gains nothing: browsers
 * ignore HSTS on insecure answers.
 */
export function isServedOverHttps(requestUrl: string, forwardedProto: string | null): boolean {
  const first = forwardedProto?.split(",")[0]?.trim().toLowerCase();
  if (first) return first === "https";
  return new URL(requestUrl).protocol === "https:";
}
