import { z } from "zod";
import { transaction } from "../../../db/client";
import { DomainError } from "../../../errors";
import { checkTotp, decryptTotpSecret, encryptTotpSecret, hashRecoveryCode, newRecoveryCodes, newTotpSecret, totpUri } from "../../../auth/mfa";
import {
  unsafeDeleteRecoveryCodes,
  unsafeDeleteTotp,
  unsafeEnableTotp,
  unsafeFindTotp,
  unsafeMfaStatus,
  unsafeReplaceRecoveryCodes,
  unsafeSavePendingTotp,
} from "../../../repositories/mfa";
import { protectedProcedure, router } from "../../trpc";
import { auditMfa, reauthInput, refuseLastFactorIfRequired, requireReauth } from "./shared";

/**
 * TOTP enrolment: begin (a new secret, shown once as an otpauth URI) → confirm with a code (the
 * authenticator works) → enabled, with ten recovery codes shown once. Removal needs a current
 * code or the password. Enrolment and removal are audited.
 */

const begin = protectedProcedure.mutation(async ({ ctx }) => {
  const secret = newTotpSecret();
  const saved = await unsafeSavePendingTotp(ctx.platformDb, ctx.user.id, encryptTotpSecret(ctx.user.id, secret));
  if (!saved) throw new DomainError("conflict", "an authenticator is already enabled; remove it first");
  return { secret, uri: totpUri(ctx.user.email, secret) };
});

const confirm = protectedProcedure
  .input(z.object({ code: z.string().trim().regex(/^\d{6}$/, "enter the 6-digit code from your authenticator") }).strict())
  .mutation(({ ctx, input }) =>
    transaction(ctx.platformDb, async (tx) => {
      const pending = await unsafeFindTotp(tx, ctx.user.id);
      if (!pending || pending.enabledAt) throw new DomainError("precondition_failed", "start the enrolment first");
      const result = await checkTotp(decryptTotpSecret(ctx.user.id, pending.secretCiphertext), input.code, null);
      if (!result.valid) throw new DomainError("bad_input", "that code does not match; check your authenticator's clock and try again", { field: "code" });
      if (!(await unsafeEnableTotp(tx, ctx.user.id, result.step))) throw new DomainError("conflict", "the enrolment changed meanwhile; start again");
      const recoveryCodes = newRecoveryCodes();
      await unsafeReplaceRecoveryCodes(tx, ctx.user.id, recoveryCodes.map(hashRecoveryCode));
      await auditMfa(tx, ctx, "mfa.totp.enrol", "authenticator app enrolled; 10 recovery codes issued");
      return { recoveryCodes };
    }),
  );

const remove = protectedProcedure.input(reauthInput).mutation(({ ctx, input }) =>
  transaction(ctx.platformDb, async (tx) => {
    const totp = await unsafeFindTotp(tx, ctx.user.id);
    if (!totp?.enabledAt) throw new DomainError("not_found", "no authenticator is enabled");
    await requireReauth(tx, ctx.user, input);
    await refuseLastFactorIfRequired(tx, ctx.user.id, "totp");
    await unsafeDeleteTotp(tx, ctx.user.id);
    if ((await unsafeMfaStatus(tx, ctx.user.id)).passkeys === 0) await unsafeDeleteRecoveryCodes(tx, ctx.user.id);
    await auditMfa(tx, ctx, "mfa.totp.remove", `authenticator app removed (confirmed by ${input.code ? "code" : "password"})`);
    return { removed: true };
  }),
);

/** New recovery codes (the old ones stop working); needs a current code or the password. */
const regenerateRecoveryCodes = protectedProcedure.input(reauthInput).mutation(({ ctx, input }) =>
  transaction(ctx.platformDb, async (tx) => {
    const status = await unsafeMfaStatus(tx, ctx.user.id);
    if (!status.totpEnabled && status.passkeys === 0) throw new DomainError("precondition_failed", "enrol a second factor first");
    await requireReauth(tx, ctx.user, input);
    const recoveryCodes = newRecoveryCodes();
    await unsafeReplaceRecoveryCodes(tx, ctx.user.id, recoveryCodes.map(hashRecoveryCode));
    await auditMfa(tx, ctx, "mfa.recovery.regenerate", "recovery codes replaced");
    return { recoveryCodes };
  }),
);

export const totpRouter = router({ begin, confirm, remove, regenerateRecoveryCodes });
