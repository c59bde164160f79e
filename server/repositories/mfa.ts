import { randomUUID } from "node:crypto";
import type { Tx } from "../db/client";

/**
 * Second factors: TOTP authenticators, recovery codes, passkeys and WebAuthn challenges.
 * Platform-only tables (the tenant role has no privilege on them), so every query is `unsafe…`
 * and runs on the platform client. Single use is enforced by conditional writes here, not by a
 * read-then-write in the caller.
 */

export async function unsafeMfaStatus(db: Tx, userId: string) {
  const [totp, passkeys, recoveryCodes] = await Promise.all([
    db.userTotp.findUnique({ where: { userId }, select: { enabledAt: true } }),
    db.webauthnCredential.count({ where: { userId } }),
    db.mfaRecoveryCode.count({ where: { userId, usedAt: null } }),
  ]);
  return { totpEnabled: !!totp?.enabledAt, totpEnabledAt: totp?.enabledAt ?? null, passkeys, recoveryCodes };
}

/** One round trip: an enabled TOTP or any passkey. */
export async function unsafeUserHasMfa(db: Tx, userId: string): Promise<boolean> {
  const user = await db.user.findUnique({
    where: { id: userId },
    select: { totp: { select: { enabledAt: true } }, _count: { select: { passkeys: true } } },
  });
  return !!user?.totp?.enabledAt || (user?._count.passkeys ?? 0) > 0;
}

export function unsafeFindTotp(db: Tx, userId: string) {
  return db.userTotp.findUnique({ where: { userId }, select: { secretCiphertext: true, enabledAt: true, lastStep: true } });
}

/** Starts (or restarts) an enrolment; false when an authenticator is already enabled. */
export async function unsafeSavePendingTotp(db: Tx, userId: string, secretCiphertext: string): Promise<boolean> {
  const existing = await db.userTotp.findUnique({ where: { userId }, select: { enabledAt: true } });
  if (existing?.enabledAt) return false;
  await db.userTotp.upsert({
    where: { userId },
    create: { userId, secretCiphertext },
    update: { secretCiphertext, lastStep: null, createdAt: new Date() },
  });
  return true;
}

/** Confirms a pending enrolment with the step of its first code; false when none is pending. */
export async function unsafeEnableTotp(db: Tx, userId: string, step: number): Promise<boolean> {
  const { count } = await db.userTotp.updateMany({ where: { userId, enabledAt: null }, data: { enabledAt: new Date(), lastStep: step } });
  return count === 1;
}

/** Records an accepted step; false when that step (or a later one) was already used. */
export async function unsafeAdvanceTotpStep(db: Tx, userId: string, step: number): Promise<boolean> {
  const { count } = await db.userTotp.updateMany({
    where: { userId, enabledAt: { not: null }, OR: [{ lastStep: null }, { lastStep: { lt: step } }] },
    data: { lastStep: step },
  });
  return count === 1;
}

export async function unsafeDeleteTotp(db: Tx, userId: string): Promise<boolean> {
  const { count } = await db.userTotp.deleteMany({ where: { userId } });
  return count === 1;
}

/** Replaces every recovery code of the user (the old ones stop working). */
export async function unsafeReplaceRecoveryCodes(db: Tx, userId: string, codeHashes: string[]): Promise<void> {
  await db.mfaRecoveryCode.deleteMany({ where: { userId } });
  await db.mfaRecoveryCode.createMany({ data: codeHashes.map((codeHash) => ({ id: randomUUID(), userId, codeHash })) });
}

export async function unsafeDeleteRecoveryCodes(db: Tx, userId: string): Promise<void> {
  await db.mfaRecoveryCode.deleteMany({ where: { userId } });
}

/** Uses one recovery code; false when it is unknown or already used. */
export async function unsafeConsumeRecoveryCode(db: Tx, userId: string, codeHash: string): Promise<boolean> {
  const { count } = await db.mfaRecoveryCode.updateMany({ where: { userId, codeHash, usedAt: null }, data: { usedAt: new Date() } });
  return count === 1;
}

// ---------------------------------------------------------------------------------------------
// Passkeys

const transportsOf = (stored: string) => stored.split(",").filter(Boolean);

export async function unsafeListPasskeys(db: Tx, userId: string) {
  const passkeys = await db.webauthnCredential.findMany({
    where: { userId },
    orderBy: { createdAt: "asc" },
    select: { id: true, name: true, transports: true, createdAt: true, lastUsedAt: true },
  });
  return passkeys.map((p) => ({ ...p, transports: transportsOf(p.transports) }));
}

export async function unsafeFindPasskey(db: Tx, credentialId: string) {
  const passkey = await db.webauthnCredential.findUnique({ where: { id: credentialId }, select: { id: true, userId: true, publicKey: true, counter: true, transports: true } });
  return passkey && { ...passkey, publicKey: new Uint8Array(Buffer.from(passkey.publicKey, "base64url")), counter: Number(passkey.counter), transports: transportsOf(passkey.transports) };
}

export async function unsafeInsertPasskey(db: Tx, passkey: { id: string; userId: string; name: string; publicKey: Uint8Array; counter: number; transports: string[] }): Promise<void> {
  await db.webauthnCredential.create({
    data: {
      ...passkey,
      publicKey: Buffer.from(passkey.publicKey).toString("base64url"),
      counter: BigInt(passkey.counter),
      transports: passkey.transports.filter((t) => /^[a-z-]{1,32}$/.test(t)).join(","),
    },
  });
}

export async function unsafeTouchPasskey(db: Tx, credentialId: string, counter: number): Promise<void> {
  await db.webauthnCredential.update({ where: { id: credentialId }, data: { counter: BigInt(counter), lastUsedAt: new Date() } });
}

export async function unsafeDeletePasskey(db: Tx, userId: string, credentialId: string): Promise<boolean> {
  const { count } = await db.webauthnCredential.deleteMany({ where: { id: credentialId, userId } });
  return count === 1;
}

// ---------------------------------------------------------------------------------------------
// WebAuthn challenges: single use, short-lived

export async function unsafeInsertChallenge(db: Tx, challenge: { challenge: string; userId: string | null; purpose: "register" | "authenticate"; expiresAt: Date }): Promise<void> {
  // Expired challenges are swept as new ones are issued: the table stays as small as the traffic.
  await db.webauthnChallenge.deleteMany({ where: { expiresAt: { lt: new Date() } } });
  await db.webauthnChallenge.create({ data: challenge });
}

/** Consumes an unexpired challenge issued for this purpose (and user, for registration). */
export async function unsafeConsumeChallenge(db: Tx, challenge: string, purpose: "register" | "authenticate", userId: string | null): Promise<boolean> {
  const { count } = await db.webauthnChallenge.deleteMany({ where: { challenge, purpose, userId, expiresAt: { gt: new Date() } } });
  return count === 1;
}

// ---------------------------------------------------------------------------------------------
// The organization's policy

export async function unsafeSetOrgRequireMfa(db: Tx, orgId: string, requireMfa: boolean): Promise<void> {
  await db.organization.update({ where: { id: orgId }, data: { requireMfa } });
}

export async function unsafeOrgRequiresMfa(db: Tx, orgId: string): Promise<boolean> {
  const org = await db.organization.findUnique({ where: { id: orgId }, select: { requireMfa: true } });
  return !!org?.requireMfa;
}
