import { generate } from "otplib";
import { describe, expect, it } from "vitest";
import { checkTotp, decryptTotpSecret, encryptTotpSecret, hashRecoveryCode, isRecoveryCode, isTotpCode, newRecoveryCodes, newTotpSecret, totpUri } from "./mfa";

process.env.NEXTAUTH_SECRET ??= "unit-test-nextauth-secret";

const SECRET = "REALMGATEDEMOOPSTOTPSECRET234567";
const T0 = 1_800_000_000; // a step boundary: 1_800_000_000 / 30 = 60_000_000

describe("TOTP codes", () => {
  it("accepts the current code, and the previous and next step's (clock drift)", async () => {
    for (const offset of [-30, 0, 30]) {
      const code = await generate({ secret: SECRET, epoch: T0 + offset });
      expect(await checkTotp(SECRET, code, null, T0)).toEqual({ valid: true, step: 60_000_000 + offset / 30 });
    }
  });

  it("refuses a code two steps away", async () => {
    expect((await checkTotp(SECRET, await generate({ secret: SECRET, epoch: T0 - 60 }), null, T0)).valid).toBe(false);
    expect((await checkTotp(SECRET, await generate({ secret: SECRET, epoch: T0 + 60 }), null, T0)).valid).toBe(false);
  });

  it("a TOTP code cannot be replayed: a step at or before the last accepted one is refused", async () => {
    const code = await generate({ secret: SECRET, epoch: T0 });
    expect((await checkTotp(SECRET, code, 60_000_000, T0)).valid).toBe(false);
    expect((await checkTotp(SECRET, code, 59_999_999, T0)).valid).toBe(true);
  });

  it("refuses malformed codes without throwing", async () => {
    for (const code of ["", "12345", "1234567", "abcdef", "12 456", "１２３４５６"]) {
      expect((await checkTotp(SECRET, code, null, T0)).valid).toBe(false);
    }
    expect((await checkTotp("short", "123456", null, T0)).valid).toBe(false);
  });

  it("new secrets are 160-bit base32 and the URI names the issuer and account", () => {
    const secret = newTotpSecret();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    const uri = totpUri("alice@acme.test", secret);
    expect(uri.startsWith("otpauth://totp/")).toBe(true);
    expect(uri).toContain("issuer=Realmgate");
    expect(uri).toContain(`secret=${secret}`);
  });
});

describe("TOTP secrets at rest", () => {
  it("round-trips, and is not the plain secret", () => {
    const stored = encryptTotpSecret("user-1", SECRET);
    expect(stored).not.toContain(SECRET);
    expect(decryptTotpSecret("user-1", stored)).toBe(SECRET);
    expect(encryptTotpSecret("user-1", SECRET)).not.toBe(stored); // fresh IV each time
  });

  it("refuses a ciphertext moved to another user, tampered with, or under another key", () => {
    const stored = encryptTotpSecret("user-1", SECRET);
    expect(() => decryptTotpSecret("user-2", stored)).toThrow();
    const raw = Buffer.from(stored.slice(3), "base64url");
    raw[raw.length - 1]! ^= 1;
    expect(() => decryptTotpSecret("user-1", `v1.${raw.toString("base64url")}`)).toThrow();
    expect(() => decryptTotpSecret("user-1", encryptTotpSecret("user-1", SECRET, "another-secret"))).toThrow();
    expect(() => decryptTotpSecret("user-1", "plain")).toThrow();
  });
});

describe("recovery codes", () => {
  it("issues ten distinct high-entropy codes", () => {
    const codes = newRecoveryCodes();
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const code of codes) {
      expect(code).toMatch(/^[a-z2-9]{4}(-[a-z2-9]{4}){3}$/);
      expect(isRecoveryCode(code)).toBe(true);
      expect(isTotpCode(code)).toBe(false);
    }
  });

  it("hashes ignoring case, spaces and dashes, and differently per code", () => {
    expect(hashRecoveryCode("abcd-efgh-jkmn-pqrs")).toBe(hashRecoveryCode("ABCD EFGH JKMN PQRS"));
    expect(hashRecoveryCode("abcd-efgh-jkmn-pqrs")).not.toBe(hashRecoveryCode("abcd-efgh-jkmn-pqrt"));
    expect(hashRecoveryCode("abcd-efgh-jkmn-pqrs")).toMatch(/^[0-9a-f]{64}$/);
  });
});
