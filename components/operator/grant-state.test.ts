import { describe, expect, it } from "vitest";
import { grantState } from "./grant-state";

describe("a break-glass grant's state words", () => {
  const now = Date.parse("2026-12-02T12:00:00Z");
  it.each([
    ["active until it expires", { expiresAt: new Date(now + 60_000), revokedAt: null }, "active"],
    ["expired once its time is up", { expiresAt: new Date(now - 1), revokedAt: null }, "expired"],
    ["revoked, even before it would have expired", { expiresAt: new Date(now + 60_000), revokedAt: new Date(now - 5_000) }, "revoked"],
    ["revoked wins over expired", { expiresAt: new Date(now - 60_000), revokedAt: new Date(now - 120_000) }, "revoked"],
  ] as const)("%s", (_, grant, state) => {
    expect(grantState(grant, now)).toBe(state);
  });
});
