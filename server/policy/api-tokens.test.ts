import { describe, expect, it } from "vitest";
import { bearerToken } from "../auth/api-tokens";
import { checkCidr, hashSecret, mintToken, parseToken, TOKEN_PREFIX } from "./api-tokens";

describe("API token format", () => {
  it("mints tokens secret scanners can find: rgt_ + 16 base32 lookup + _ + 32 base62 secret", () => {
    const { token, lookupId, secretHash } = mintToken();
    expect(token).toMatch(/^rgt_[a-z2-7]{16}_[A-Za-z0-9]{32}$/);
    expect(token.startsWith(`${TOKEN_PREFIX}${lookupId}_`)).toBe(true);
    const parsed = parseToken(token);
    expect(parsed?.lookupId).toBe(lookupId);
    // Only the hash is kept; it is the SHA-256 of the secret part, not of the whole token.
    expect(hashSecret(parsed!.secret)).toBe(secretHash);
    expect(secretHash).not.toContain(parsed!.secret);
  });

  it("never mints the same lookup id or secret twice in 10,000 tokens", () => {
    const lookups = new Set<string>();
    const secrets = new Set<string>();
    for (let i = 0; i < 10_000; i++) {
      const { token, lookupId } = mintToken();
      lookups.add(lookupId);
      secrets.add(parseToken(token)!.secret);
    }
    expect(lookups.size).toBe(10_000);
    expect(secrets.size).toBe(10_000);
  });

  it.each(["", "rgt_", "rgt_short_secret", `rgt_${"A".repeat(16)}_${"a".repeat(32)}`, `xyz_${"a".repeat(16)}_${"a".repeat(32)}`, `rgt_${"a".repeat(16)}_${"a".repeat(31)}!`])(
    "refuses %j as a token",
    (raw) => expect(parseToken(raw)).toBeNull(),
  );
});

describe("bearerToken", () => {
  const headers = (authorization?: string) => new Headers(authorization === undefined ? {} : { authorization });
  it("reads Authorization: Bearer", () => expect(bearerToken(headers("Bearer rgt_x"))).toBe("rgt_x"));
  it("is case-insensitive in the scheme", () => expect(bearerToken(headers("bearer rgt_x"))).toBe("rgt_x"));
  it("no header: no credential", () => expect(bearerToken(headers())).toBeNull());
  // Another scheme is still an attempt at a credential: refused, never treated as anonymous.
  it.each(["Basic dXNlcjpwYXNz", "Bearer", "Bearer a b"])("a malformed %j is an empty bearer", (value) => expect(bearerToken(headers(value))).toBe(""));
});

describe("checkCidr", () => {
  it.each([
    ["10.0.0.0/8", "10.0.0.0/8"],
    ["203.0.113.7", "203.0.113.7/32"],
    [" 192.0.2.0/24 ", "192.0.2.0/24"],
    ["2001:db8::/32", "2001:db8::/32"],
    ["::1", "::1/128"],
    ["::ffff:192.0.2.0/120", "::ffff:192.0.2.0/120"],
    ["0.0.0.0/0", "0.0.0.0/0"],
  ])("accepts %j as %j", (value, range) => expect(checkCidr(value)).toEqual({ ok: true, range }));

  it.each([
    ["10.0.0.1/8", /bits set to the right of the \/8 mask \(the network is 10\.0\.0\.0\/8\)/],
    ["2001:db8::1/32", /bits set to the right of the \/32 mask/],
    ["10.0.0.0/33", /prefix length must be a number from 0 to 32/],
    ["2001:db8::/129", /from 0 to 128/],
    ["10.0.0.0/x", /prefix length/],
    ["not-a-range", /not an IPv4 or IPv6 address/],
    ["10/8", /not an IPv4 or IPv6 address/],
    ["fe80::1%eth0/64", /not an IPv4 or IPv6 address/],
    ["10.0.0.0/8/8", /not an IPv4 or IPv6 address/],
  ])("refuses %j: %s", (value, problem) => {
    const checked = checkCidr(value);
    expect(checked.ok).toBe(false);
    if (!checked.ok) expect(checked.problem).toMatch(problem);
  });
});
