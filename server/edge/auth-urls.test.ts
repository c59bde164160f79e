import { describe, expect, it } from "vitest";
import { authCookies, poisonedCallbackCookies, safeRedirect, sameOriginPath, usesSecureCookies } from "./auth-urls";

const baseUrl = "http://localhost:3100";

describe("callback URLs (open redirect, poisoned callback-url cookie)", () => {
  it.each([
    ["javascript:alert(1)"],
    ["JavaScript:alert(1)"],
    ["ftp://x"],
    ["data:text/html,<script>alert(1)</script>"],
    ["https://localhost.evil.test"],
    ["http://localhost:3100.evil.test/"],
    ["http://localhost:3101/"],
    ["https://localhost:3100/"],
    ["http://localhost@evil.test/"],
    ["//evil.test"],
    ["//evil.test/path"],
    ["/\\evil.test"],
    ["/\tevil"],
    [" /realm"],
    ["realm"],
    ["http://evil.test/http://localhost:3100/"],
  ])("refuses %s and goes home instead", (url) => {
    expect(sameOriginPath(url, baseUrl)).toBeNull();
    expect(safeRedirect({ url, baseUrl })).toBe("http://localhost:3100/");
  });
  it.each([
    ["/realm", "/realm"],
    ["/realm/vms/abc?tab=history#top", "/realm/vms/abc?tab=history#top"],
    ["http://localhost:3100/operator", "/operator"],
    ["http://localhost:3100", "/"],
  ])("keeps the same-origin target %s", (url, path) => {
    expect(sameOriginPath(url, baseUrl)).toBe(path);
    expect(safeRedirect({ url, baseUrl })).toBe(`http://localhost:3100${path}`);
  });
  it("finds poisoned callback-url cookies under either name, and leaves good ones", () => {
    const cookies = [
      { name: "next-auth.callback-url", value: "javascript:alert(1)" },
      { name: "__Host-next-auth.callback-url", value: "ftp://x" },
      { name: "next-auth.session-token", value: "javascript:whatever" },
    ];
    expect(poisonedCallbackCookies(cookies, baseUrl)).toEqual(["next-auth.callback-url", "__Host-next-auth.callback-url"]);
    expect(poisonedCallbackCookies([{ name: "next-auth.callback-url", value: "http://localhost:3100/realm" }], baseUrl)).toEqual([]);
  });
});

describe("auth cookies follow NEXTAUTH_URL's scheme", () => {
  it("over https: Secure, with __Host- for session, CSRF and callback cookies", () => {
    expect(usesSecureCookies("https://realmgate.example")).toBe(true);
    const cookies = authCookies(true);
    expect(cookies.sessionToken).toEqual({ name: "__Host-next-auth.session-token", options: { httpOnly: true, sameSite: "lax", path: "/", secure: true } });
    expect(cookies.csrfToken.name).toBe("__Host-next-auth.csrf-token");
    expect(cookies.callbackUrl.name).toBe("__Host-next-auth.callback-url");
    expect(cookies.pkceCodeVerifier.name).toBe("__Secure-next-auth.pkce.code_verifier");
    expect(cookies.state.name).toBe("__Secure-next-auth.state");
    expect(cookies.nonce.name).toBe("__Secure-next-auth.nonce");
    for (const cookie of Object.values(cookies)) {
      expect(cookie.options).toMatchObject({ secure: true, httpOnly: true, path: "/" });
      // A __Host- cookie must not name a domain.
      expect(cookie.options).not.toHaveProperty("domain");
    }
  });
  it("over plain http: no prefix (a browser would refuse it) and not Secure", () => {
    expect(usesSecureCookies("http://localhost:3000")).toBe(false);
    expect(usesSecureCookies(undefined)).toBe(false);
    const cookies = authCookies(false);
    expect(cookies.sessionToken.name).toBe("next-auth.session-token");
    for (const cookie of Object.values(cookies)) expect(cookie.options.secure).toBe(false);
  });
});
