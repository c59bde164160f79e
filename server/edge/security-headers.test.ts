import { describe, expect, it } from "vitest";
import { API_CONTENT_SECURITY_POLICY, BASE_SECURITY_HEADERS, PERMISSIONS_POLICY, isServedOverHttps, newNonce, pageContentSecurityPolicy } from "./security-headers";

const directives = (policy: string) => new Map(policy.split("; ").map((d) => [d.split(" ")[0], d.split(" ").slice(1)]));

describe("security headers", () => {
  it("script injection: a page's scripts need this response's nonce, never 'unsafe-inline'", () => {
    const csp = directives(pageContentSecurityPolicy({ nonce: "abc123", isDev: false, isHttps: false }));
    expect(csp.get("script-src")).toEqual(["'self'", "'nonce-abc123'", "'strict-dynamic'"]);
    expect(csp.get("object-src")).toEqual(["'none'"]);
    expect(csp.get("base-uri")).toEqual(["'none'"]);
  });
  it("eval only for React's dev tooling, never in production", () => {
    expect(pageContentSecurityPolicy({ nonce: "n", isDev: true, isHttps: false })).toContain("'unsafe-eval'");
    expect(pageContentSecurityPolicy({ nonce: "n", isDev: false, isHttps: false })).not.toContain("unsafe-eval");
  });
  it("clickjacking: no page or API answer may be framed", () => {
    expect(directives(pageContentSecurityPolicy({ nonce: "n", isDev: false, isHttps: false })).get("frame-ancestors")).toEqual(["'none'"]);
    expect(directives(API_CONTENT_SECURITY_POLICY).get("frame-ancestors")).toEqual(["'none'"]);
    expect(BASE_SECURITY_HEADERS).toContainEqual({ key: "X-Frame-Options", value: "DENY" });
  });
  it("API answers and static files load nothing", () => {
    expect(directives(API_CONTENT_SECURITY_POLICY).get("default-src")).toEqual(["'none'"]);
    expect(API_CONTENT_SECURITY_POLICY).not.toContain("script-src");
  });
  it("upgrades subresources only when served over https", () => {
    expect(pageContentSecurityPolicy({ nonce: "n", isDev: false, isHttps: true })).toContain("upgrade-insecure-requests");
    expect(pageContentSecurityPolicy({ nonce: "n", isDev: false, isHttps: false })).not.toContain("upgrade-insecure-requests");
  });
  it("MIME sniffing and referrer leaks are off everywhere", () => {
    expect(BASE_SECURITY_HEADERS).toContainEqual({ key: "X-Content-Type-Options", value: "nosniff" });
    expect(BASE_SECURITY_HEADERS).toContainEqual({ key: "Referrer-Policy", value: "strict-origin-when-cross-origin" });
  });
  it("powerful features are denied; passkeys stay allowed for this origin", () => {
    for (const feature of ["camera", "microphone", "geolocation", "payment", "usb"]) expect(PERMISSIONS_POLICY).toContain(`${feature}=()`);
    expect(PERMISSIONS_POLICY).toContain("publickey-credentials-get=(self)");
    expect(PERMISSIONS_POLICY).toContain("publickey-credentials-create=(self)");
  });
  it("a nonce is fresh and unguessable (128 bits, base64)", () => {
    const a = newNonce();
    expect(a).toMatch(/^[A-Za-z0-9+/]{22}==$/);
    expect(newNonce()).not.toBe(a);
  });
  it.each([
    ["http://app:3000/", null, false],
    ["https://app/", null, true],
    ["http://app:3000/", "https", true],
    ["http://app:3000/", "https, http", true],
    ["http://app:3000/", "http", false],
  ])("served over https: %s forwarded %s → %s", (url, proto, expected) => {
    expect(isServedOverHttps(url, proto)).toBe(expected);
  });
});
