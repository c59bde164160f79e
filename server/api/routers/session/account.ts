import { z } from "zod";
import * as account from "../../../auth/sessions";
import { protectedProcedure } from "../../trpc";

/**
 * The caller's own account: its sessions (the one making the request marked), revoking one,
 * signing out everywhere, changing the password. Each ends sessions server-side at once and is
 * audited (auth/sessions.ts).
 */

export const sessions = protectedProcedure.query(async ({ ctx }) => {
  const rows = await account.listSessions(ctx.platformDb, ctx.user.id);
  return rows.map((row) => ({ ...row, isCurrent: row.id === ctx.user.sid }));
});

export const revoke = protectedProcedure
  .input(z.object({ sessionId: z.uuid({ error: "sessionId must be a valid id" }) }).strict())
  .mutation(async ({ ctx, input }) => {
    await account.revokeOwnSession(ctx.platformDb, { userId: ctx.user.id, requestId: ctx.requestId }, input.sessionId);
    return { revoked: true, wasCurrent: input.sessionId === ctx.user.sid };
  });

export const signOutEverywhere = protectedProcedure.mutation(({ ctx }) => account.signOutEverywhere(ctx.platformDb, { userId: ctx.user.id, requestId: ctx.requestId }));

const changePasswordInput = z
  .object({
    currentPassword: z.string().min(1, "enter your current password").max(1024, "the current password is too long"),
    // The strength rule (length, not the email) is the service's, so its message names the field.
    newPassword: z.string().max(1024, "the new password must have at most 1024 characters"),
  })
  .strict();

export const changePassword = protectedProcedure
  .input(changePasswordInput)
  .mutation(({ ctx, input }) => account.changePassword(ctx.platformDb, { userId: ctx.user.id, requestId: ctx.requestId }, input));
