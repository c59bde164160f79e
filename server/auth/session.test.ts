import { encode } from "next-auth/jwt";
import { beforeAll, describe, expect, it } from "vitest";
import type * as SessionModule from "./session";

/** The session cookie → identity step (auth/session.ts), without a database: crypto and expiry. */

const SECRET = "unit-test-secret-that-is-long-enough-0123456789";
// Imported after NEXTAUTH_SECRET is set: auth/options.ts reads it when it loads.
let sessionUserFromToken: typeof SessionModule.sessionUserFromToken;

beforeAll(async () => {
  process.env.NEXTAUTH_SECRET = SECRET;
  ({ sessionUserFromToken } = await import("./session"));
});

const claims = { uid: "8a1c8f2e-0000-4000-8000-000000000001", epoch: 3, sid: "8a1c8f2e-0000-4000-8000-0000000000aa" };

describe("sessionUserFromToken", () => {
  it("reads the user id, session epoch and session id next-auth's jwt callback wrote", async () => {
    const token = await encode({ token: claims, secret: SECRET, maxAge: 3600 });
    expect(await sessionUserFromToken(token)).toEqual({ id: claims.uid, epoch: 3, sid: claims.sid });
    // The second read of the same cookie is remembered, and answers the same.
    expect(await sessionUserFromToken(token)).toEqual({ id: claims.uid, epoch: 3, sid: claims.sid });
  });

  it("refuses a cookie made with another secret (a forged session)", async () => {
    const forged = await encode({ token: claims, secret: "some-other-secret-an-attacker-knows-0123456789", maxAge: 3600 });
    expect(await sessionUserFromToken(forged)).toBeNull();
  });

  it("refuses a tampered cookie", async () => {
    const token = await encode({ token: claims, secret: SECRET, maxAge: 3600 });
    const parts = token.split(".");
    parts[3] = parts[3]!.slice(0, -2) + (parts[3]!.endsWith("AA") ? "BB" : "AA");
    expect(await sessionUserFromToken(parts.join("."))).toBeNull();
  });

  it("refuses an expired cookie, and a remembered one once its expiry passes", async () => {
    const expired = await encode({ token: claims, secret: SECRET, maxAge: -60 });
    expect(await sessionUserFromToken(expired)).toBeNull();
    const token = await encode({ token: { ...claims, epoch: 4 }, secret: SECRET, maxAge: 60 });
    expect(await sessionUserFromToken(token)).toMatchObject({ epoch: 4 });
    expect(await sessionUserFromToken(token, Date.now() + 61_000)).toBeNull();
  });

  it("refuses claims without a user id or epoch (not one of ours)", async () => {
    const token = await encode({ token: { sub: "someone" }, secret: SECRET, maxAge: 3600 });
    expect(await sessionUserFromToken(token)).toBeNull();
  });
});
