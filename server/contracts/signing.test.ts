import { describe, expect, it } from "vitest";
import { deriveHostSecret, sign, verify } from "./signing";

describe("agent request signing", () => {
  const secret = deriveHostSecret("master", "xen-a");
  const now = 1_700_000_000_000;
  const request = (over: Partial<Parameters<typeof verify>[1]> = {}) => {
    const base = { method: "POST", path: "/v1/domains", timestamp: String(now), body: '{"a":1}' };
    return { ...base, signature: sign(secret, base.method, base.path, base.timestamp, base.body), ...over };
  };

  it("accepts a fresh request signed with the host's secret", () => {
    expect(verify(secret, request(), now)).toEqual({ ok: true });
  });
  it("gives every host its own secret", () => {
    expect(deriveHostSecret("master", "xen-b")).not.toBe(secret);
    expect(verify(deriveHostSecret("master", "xen-b"), request(), now)).toEqual({ ok: false, reason: "bad signature" });
  });
  it.each([
    ["a changed body", { body: '{"a":2}' }, "bad signature"],
    ["a changed path", { path: "/v1/status" }, "bad signature"],
    ["a changed method", { method: "GET" }, "bad signature"],
    ["a missing signature", { signature: undefined }, "missing signature"],
    ["a garbage signature", { signature: "zz" }, "bad signature"],
  ])("refuses %s", (_name, over, reason) => {
    expect(verify(secret, request(over), now)).toEqual({ ok: false, reason });
  });
  it("refuses a request outside the replay window", () => {
    expect(verify(secret, request(), now + 61_000)).toEqual({ ok: false, reason: "stale timestamp" });
  });
});
