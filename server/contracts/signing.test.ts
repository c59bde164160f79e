import { describe, expect, it } from "vitest";
import { NONCE_HEADER, NonceCache, SIGNATURE_HEADER, TIMESTAMP_HEADER, deriveHostSecret, sign, signedHeaders, verify, type VerifyRequest } from "./signing";

describe("agent request signing", () => {
  const secret = deriveHostSecret("master", "xen-a");
  const now = 1_700_000_000_000;
  const nonce = "0123456789abcdef0123456789abcdef";
  const request = (over: Partial<VerifyRequest> = {}): VerifyRequest => {
    const base = { method: "POST", pathAndQuery: "/v1/domains?dry=0", timestamp: String(now), nonce, body: '{"a":1}' };
    return { ...base, signature: sign(secret, base), ...over };
  };

  it("accepts a fresh request signed with the host's secret", () => {
    expect(verify(secret, request(), now)).toEqual({ ok: true, timestamp: now });
  });
  it("gives every host its own secret", () => {
    expect(deriveHostSecret("master", "xen-b")).not.toBe(secret);
    expect(verify(deriveHostSecret("master", "xen-b"), request(), now)).toEqual({ ok: false, reason: "bad signature" });
  });
  it.each([
    ["a changed body", { body: '{"a":2}' }, "bad signature"],
    ["a changed path", { pathAndQuery: "/v1/status?dry=0" }, "bad signature"],
    ["a changed query string", { pathAndQuery: "/v1/domains?dry=1" }, "bad signature"],
    ["a dropped query string", { pathAndQuery: "/v1/domains" }, "bad signature"],
    ["an added query string parameter", { pathAndQuery: "/v1/domains?dry=0&force=1" }, "bad signature"],
    ["a changed method", { method: "GET" }, "bad signature"],
    ["a changed nonce", { nonce: "ffffffffffffffffffffffffffffffff" }, "bad signature"],
    ["a missing nonce", { nonce: undefined }, "missing nonce"],
    ["a malformed nonce", { nonce: "not-a-nonce" }, "missing nonce"],
    ["a missing signature", { signature: undefined }, "missing signature"],
    ["a garbage signature", { signature: "zz" }, "bad signature"],
  ])("refuses %s", (_name, over, reason) => {
    expect(verify(secret, request(over), now)).toEqual({ ok: false, reason });
  });
  it("refuses a request outside the replay window", () => {
    expect(verify(secret, request(), now + 61_000)).toEqual({ ok: false, reason: "stale timestamp" });
  });
  it("signedHeaders produces headers verify accepts, with a fresh nonce each time", () => {
    const target = { method: "GET", pathAndQuery: "/v1/status?x=1", body: "" };
    const a = signedHeaders(secret, target, now);
    const b = signedHeaders(secret, target, now);
    expect(a[NONCE_HEADER]).not.toBe(b[NONCE_HEADER]);
    const check = (h: Record<string, string>) =>
      verify(secret, { ...target, timestamp: h[TIMESTAMP_HEADER], nonce: h[NONCE_HEADER], signature: h[SIGNATURE_HEADER] }, now);
    expect(check(a)).toEqual({ ok: true, timestamp: now });
    expect(check(b)).toEqual({ ok: true, timestamp: now });
  });
});

describe("replayed agent requests (nonce cache)", () => {
  const now = 1_700_000_000_000;

  it("accepts a nonce once and refuses its replay inside the window", () => {
    const cache = new NonceCache({ maxEntries: 10, startedAt: now - 100_000 });
    expect(cache.claim("a", now, now)).toBe("ok");
    expect(cache.claim("a", now, now + 1)).toBe("replayed");
    expect(cache.claim("a", now, now + 59_999)).toBe("replayed");
  });
  it("forgets a nonce once its timestamp has left the window", () => {
    const cache = new NonceCache({ maxEntries: 10, startedAt: now - 100_000 });
    cache.claim("a", now, now);
    cache.claim("b", now + 30_000, now + 30_000);
    expect(cache.claim("c", now + 60_001, now + 60_001)).toBe("ok");
    expect(cache.size).toBe(2);
  });
  it("when full of live nonces, refuses new requests rather than forgetting a replayable one", () => {
    const cache = new NonceCache({ maxEntries: 2, startedAt: now - 100_000 });
    expect(cache.claim("a", now, now)).toBe("ok");
    expect(cache.claim("b", now, now)).toBe("ok");
    expect(cache.claim("c", now, now + 1)).toBe("full");
    expect(cache.claim("a", now, now + 2)).toBe("replayed");
    // Once the old ones expire there is room again.
    expect(cache.claim("c", now + 60_001, now + 60_001)).toBe("ok");
  });
  it("a full sweep finds expired nonces behind a live one inserted earlier", () => {
    const cache = new NonceCache({ maxEntries: 2, startedAt: now - 100_000 });
    cache.claim("late", now + 50_000, now); // timestamp ahead of the clock: expires later
    cache.claim("early", now - 50_000, now);
    expect(cache.claim("c", now + 20_000, now + 20_000)).toBe("ok");
    expect(cache.size).toBe(2);
  });
  it("refuses a request signed before the cache started (captured before an agent restart)", () => {
    const cache = new NonceCache({ startedAt: now });
    expect(cache.claim("a", now - 1, now + 5)).toBe("replayed");
    expect(cache.claim("b", now, now + 5)).toBe("ok");
  });
});
