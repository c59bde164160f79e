import { z } from "zod";
import type { RegistrationResponseJSON } from "@simplewebauthn/server";
import { transaction } from "../../../db/client";
import { DomainError } from "../../../errors";
import { hashRecoveryCode, newRecoveryCodes } from "../../../auth/mfa";
import { passkeyRegistrationOptions, passkeySignInOptions, registerPasskey } from "../../../auth/passkeys";
import { unsafeDeletePasskey, unsafeDeleteRecoveryCodes, unsafeMfaStatus, unsafeReplaceRecoveryCodes } from "../../../repositories/mfa";
import { protectedProcedure, publicProcedure, router } from "../../trpc";
import { auditMfa, reauthInput, refuseLastFactorIfRequired, requireReauth } from "./shared";

/** Passkeys: register on the security page, use at the sign-in's second step (auth/passkeys.ts). */

const registrationOptions = protectedProcedure.mutation(({ ctx }) => passkeyRegistrationOptions(ctx.platformDb, ctx.user));

const register = protectedProcedure
  .input(
    z
      .object({
        name: z.string().trim().min(1, "name the passkey").max(64, "a name of at most 64 characters"),
        // The browser's RegistrationResponseJSON; @simplewebauthn verifies its structure.
        response: z.record(z.string(), z.unknown()),
      })
      .strict(),
  )
  .mutation(({ ctx, input }) =>
    transaction(ctx.platformDb, async (tx) => {
      const before = await unsafeMfaStatus(tx, ctx.user.id);
      const passkey = await registerPasskey(tx, ctx.user.id, input.name, input.response as unknown as RegistrationResponseJSON);
      if (!passkey) throw new DomainError("bad_input", "the passkey could not be verified; try again", { field: "response" });
      // The first factor comes with recovery codes, whichever kind it is.
      let recoveryCodes: string[] | null = null;
      if (!before.totpEnabled && before.passkeys === 0) {
        recoveryCodes = newRecoveryCodes();
        await unsafeReplaceRecoveryCodes(tx, ctx.user.id, recoveryCodes.map(hashRecoveryCode));
      }
      await auditMfa(tx, ctx, "mfa.passkey.add", `passkey "${input.name}" registered`, { credentialId: passkey.id });
      return { id: passkey.id, recoveryCodes };
    }),
  );

const remove = protectedProcedure.input(reauthInput.extend({ id: z.string().min(1).max(1024) }).strict()).mutation(({ ctx, input }) =>
  transaction(ctx.platformDb, async (tx) => {
    await requireReauth(tx, ctx.user, input);
    await refuseLastFactorIfRequired(tx, ctx.user.id, "passkey");
    if (!(await unsafeDeletePasskey(tx, ctx.user.id, input.id))) throw new DomainError("not_found", "passkey not found");
    const after = await unsafeMfaStatus(tx, ctx.user.id);
    if (!after.totpEnabled && after.passkeys === 0) await unsafeDeleteRecoveryCodes(tx, ctx.user.id);
    await auditMfa(tx, ctx, "mfa.passkey.remove", `passkey removed (confirmed by ${input.code ? "code" : "password"})`, { credentialId: input.id });
    return { removed: true };
  }),
);

/**
 * A challenge for the sign-in's second step. Public (the caller is not signed in yet) and
 * anonymous: any discoverable passkey of this site may answer it; the credentials provider then
 * checks that the passkey belongs to the account whose password came with it.
 */
const signInOptions = publicProcedure.mutation(({ ctx }) => passkeySignInOptions(ctx.platformDb));

export const passkeyRouter = router({ registrationOptions, register, remove, signInOptions });
