import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes, timingSafeEqual } from "node:crypto";
import { generateSecret, generateURI, verify } from "otplib";
import type { Tx } from "../db/client";
import {
  unsafeAdvanceTotpStep,
  unsafeConsumeRecoveryCode,
  unsafeFindTotp,
  unsafeUserHasMfa,
} from "../repositories/mfa";
import { verifyPasskeyAssertion } from "./passkeys";

/**
 * Second factors (threat: a stolen or guessed password is enough to act as its owner).
 * TOTP (RFC 6238, otplib 13), single-use recovery codes, and passkeys (passkeys.ts).
 * - TOTP secrets are stored AES-256-GCM encrypted under a key derived (HKDF) from NEXTAUTH_SECRET,
 *   so a database dump alone does not yield them.
 * - A code is accepted at most once: the newest accepted time step is stored, and a code of that
 *   step or an earlier one is refused (advanced with a compare-and-set, so two concurrent sign-ins
 *   with the same code cannot both win).
 * - Recovery codes carry 80 random bits each, so SHA-256 is enough to store them; each is consumed
 *   by a conditional update (used once, even concurrently).
 */

export const TOTP_ISSUER = "Realmgate";
/** One 30 s step either side: clock drift and typing time, as most authenticators expect. */
const TOTP_TOLERANCE_SECONDS = 30;
export const RECOVERY_CODE_COUNT = 10;

// ---------------------------------------------------------------------------------------------
// Secrets at rest

/** The key: HKDF-SHA256 of NEXTAUTH_SECRET (the launcher keeps it in the data directory's secrets). */
function encryptionKey(nextAuthSecret = process.env.NEXTAUTH_SECRET): Buffer {
  const secret = nextAuthSecret;
  if (!secret) throw new Error("NEXTAUTH_SECRET is required to encrypt and decrypt MFA secrets");
  return Buffer.from(hkdfSync("sha256", secret, "realmgate", "realmgate mfa totp secret v1", 32));
}

/** "v1." + base64url(iv ‖ tag ‖ ciphertext); the user id is bound as associated data. */
export function encryptTotpSecret(userId: string, secret: string, nextAuthSecret?: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", encryptionKey(nextAuthSecret), iv);
  cipher.setAAD(Buffer.from(userId));
  const body = Buffer.concat([cipher.update(secret, "utf8"), cipher.final()]);
  return `v1.${Buffer.concat([iv, cipher.getAuthTag(), body]).toString("base64url")}`;
}

export function decryptTotpSecret(userId: string, stored: string): string {
  if (!stored.startsWith("v1.")) throw new Error("unknown TOTP secret format");
  const raw = Buffer.from(stored.slice(3), "base64url");
  const decipher = createDecipheriv("aes-256-gcm", encryptionKey(), raw.subarray(0, 12));
  decipher.setAAD(Buffer.from(userId));
  decipher.setAuthTag(raw.subarray(12, 28));
  return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString("utf8");
}

// ---------------------------------------------------------------------------------------------
// TOTP and recovery codes (pure)

export function newTotpSecret(): string {
  return generateSecret();
}

export function totpUri(email: string, secret: string): string {
  return generateURI({ issuer: TOTP_ISSUER, label: email, secret });
}

export const isTotpCode = (code: string) => /^\d{6}$/.test(code);

/**
 * Whether `code` is valid now for `secret` and newer than `afterStep` (the last accepted step).
 * Returns the matched step, to be stored.
 */
export async function checkTotp(secret: string, code: string, afterStep: number | null, epochSeconds?: number): Promise<{ valid: true; step: number } | { valid: false }> {
  if (!isTotpCode(code)) return { valid: false };
  try {
    const result = await verify({
      secret,
      token: code,
      epochTolerance: TOTP_TOLERANCE_SECONDS,
      ...(afterStep === null ? {} : { afterTimeStep: afterStep }),
      ...(epochSeconds === undefined ? {} : { epoch: epochSeconds }),
    });
    return result.valid && "timeStep" in result ? { valid: true, step: result.timeStep } : { valid: false };
  } catch {
    return { valid: false };
  }
}

const RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789";

/** Ten codes like "k7pq-x2mf-9rtz-b4nh" (16 symbols of a 31-letter alphabet ≈ 79 bits). */
export function newRecoveryCodes(count = RECOVERY_CODE_COUNT): string[] {
  return Array.from({ length: count }, () => {
    const symbols = Array.from(randomBytes(16), (byte) => RECOVERY_ALPHABET[byte % RECOVERY_ALPHABET.length]).join("");
    return symbols.match(/.{4}/g)!.join("-");
  });
}

/** Case, spaces and dashes do not matter when typing a recovery code. */
export function normalizeRecoveryCode(code: string): string {
  return code.toLowerCase().replace(/[^a-z0-9]/g, "");
}

export const isRecoveryCode = (code: string) => normalizeRecoveryCode(code).length === 16 && !isTotpCode(code);

export function hashRecoveryCode(code: string): string {
  return createHash("sha256").update(`realmgate-recovery:${normalizeRecoveryCode(code)}`).digest("hex");
}

export function sameHash(a: string, b: string): boolean {
  return a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
}

// ---------------------------------------------------------------------------------------------
// Verification against the database

export const MFA_REQUIRED_MESSAGE = "Your organization requires two-factor authentication: set it up at /account/security";
export const OPERATOR_MFA_MESSAGE = "Platform operators need two-factor authentication to request break-glass: set it up at /account/security";

/** Whether the user has a second factor enrolled (an enabled TOTP or a passkey). */
export function hasSecondFactor(db: Tx, userId: string): Promise<boolean> {
  return unsafeUserHasMfa(db, userId);
}

/** Verifies a TOTP code and consumes its step; false for a wrong, stale or replayed code. */
export async function verifyAndConsumeTotp(db: Tx, userId: string, code: string): Promise<boolean> {
  return (await consumeTotp(db, userId, code)) === "ok";
}

/**
 * "reused": the code is right but its step was already used (or another sign-in just took it).
 * Not a guess, so sign-in throttling does not count it; the person is told to wait for the next.
 */
async function consumeTotp(db: Tx, userId: string, code: string): Promise<"ok" | "reused" | "invalid"> {
  const totp = await unsafeFindTotp(db, userId);
  if (!totp?.enabledAt) return "invalid";
  const secret = decryptTotpSecret(userId, totp.secretCiphertext);
  const result = await checkTotp(secret, code, totp.lastStep);
  if (!result.valid) return totp.lastStep !== null && (await checkTotp(secret, code, null)).valid ? "reused" : "invalid";
  return (await unsafeAdvanceTotpStep(db, userId, result.step)) ? "ok" : "reused";
}

export type SecondFactor = { code?: string; webauthn?: string };
export type SecondFactorResult = { ok: true; method: "totp" | "recovery code" | "passkey" } | { ok: false; reused?: boolean };

/**
 * The second step of a sign-in, after the password was verified: a TOTP code, a recovery code or
 * a passkey assertion (JSON of the browser's AuthenticationResponse).
 */
export async function verifySecondFactor(db: Tx, userId: string, factor: SecondFactor): Promise<SecondFactorResult> {
  const code = factor.code?.trim() ?? "";
  if (factor.webauthn) {
    return (await verifyPasskeyAssertion(db, userId, factor.webauthn)) ? { ok: true, method: "passkey" } : { ok: false };
  }
  if (isTotpCode(code)) {
    const outcome = await consumeTotp(db, userId, code);
    return outcome === "ok" ? { ok: true, method: "totp" } : { ok: false, reused: outcome === "reused" };
  }
  if (isRecoveryCode(code)) {
    return (await unsafeConsumeRecoveryCode(db, userId, hashRecoveryCode(code))) ? { ok: true, method: "recovery code" } : { ok: false };
  }
  return { ok: false };
}
