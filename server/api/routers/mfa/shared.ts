import { z } from "zod";
import type { Tx } from "../../../db/client";
import { DomainError } from "../../../errors";
import { verifyAndConsumeTotp } from "../../../auth/mfa";
import { verifyPassword } from "../../../auth/password";
import { recordDecision } from "../../../repositories/audit";
import { unsafeListMembershipsForUser } from "../../../repositories/memberships";
import { unsafeMfaStatus } from "../../../repositories/mfa";
import { unsafeFindUserByEmailForSignIn } from "../../../repositories/users";

/** Proof of presence for removing a factor: a current TOTP code, or the account password. */
export const reauthInput = z
  .object({
    code: z.string().trim().max(64).optional(),
    password: z.string().max(1024).optional(),
  })
  .strict();

export async function requireReauth(db: Tx, user: { id: string; email: string }, proof: z.infer<typeof reauthInput>): Promise<void> {
  if (proof.code && (await verifyAndConsumeTotp(db, user.id, proof.code))) return;
  if (proof.password) {
    const account = await unsafeFindUserByEmailForSignIn(db, user.email);
    if (account && (await verifyPassword(account.passwordHash, proof.password))) return;
  }
  throw new DomainError("forbidden", "confirm with a current authenticator code or your password", { field: proof.password ? "password" : "code" });
}

/** Refuses to remove the last factor of a member whose organization requires one. */
export async function refuseLastFactorIfRequired(db: Tx, userId: string, removing: "totp" | "passkey"): Promise<void> {
  const status = await unsafeMfaStatus(db, userId);
  const remaining = (removing === "totp" ? 0 : Number(status.totpEnabled)) + status.passkeys - (removing === "passkey" ? 1 : 0);
  if (remaining > 0) return;
  // Any of the caller's organizations (not only its first) may require a second factor.
  const memberships = await unsafeListMembershipsForUser(db, userId);
  if (memberships.some((m) => m.org.requireMfa)) {
    throw new DomainError("precondition_failed", "your organization requires two-factor authentication: add another factor before removing this one");
  }
}

/** MFA changes are audited on the platform trail (no realm): who, what, which request. */
export function auditMfa(db: Tx, ctx: { user: { id: string }; requestId: string }, action: string, reason: string, details?: Record<string, string | number | boolean>) {
  return recordDecision(db, {
    realmId: null,
    actorId: ctx.user.id,
    action,
    targetType: "user",
    targetId: ctx.user.id,
    decision: "allow",
    layer: "auth",
    reason,
    requestId: ctx.requestId,
    details,
  });
}
