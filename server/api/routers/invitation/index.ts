import { z } from "zod";
import { validateSession } from "../../../auth/sessions";
import { passwordProblem } from "../../../policy/passwords";
import { hashPassword } from "../../../auth/password";
import { DomainError } from "../../../errors";
import { acceptAsNewUser, acceptAsUser, previewInvitation, requireValidInvitation } from "../../../services/invitations";
import { publicProcedure, router } from "../../trpc";

/**
 * Opening and accepting an invitation link (public: the token is the credential). A signed-in
 * caller accepts as itself (only as the invited email); anyone else creates the account the
 * invitation names, with a name and a password (the same strength rule as a password change).
 * The password is hashed only once the token proved valid, so unknown tokens cost no Argon2.
 */

const token = z.string({ error: "token must be a string" }).max(200, "this invitation link is not valid");

export const preview = publicProcedure.input(z.object({ token }).strict()).query(({ ctx, input }) => previewInvitation(ctx.platformDb, input.token));

export const accept = publicProcedure
  .input(
    z
      .object({
        token,
        name: z.string().trim().min(1, "enter your name").max(100, "name must be at most 100 characters").optional(),
        password: z.string().max(1024, "the new password must have at most 1024 characters").optional(),
      })
      .strict(),
  )
  .mutation(async ({ ctx, input }) => {
    if (ctx.sessionUser) {
      const user = await validateSession(ctx.platformDb, ctx.sessionUser);
      if (!user) throw new DomainError("unauthorized", "your session has ended; sign in again, then open the link again");
      return acceptAsUser(ctx.platformDb, user, { token: input.token, requestId: ctx.requestId });
    }
    const invitation = await requireValidInvitation(ctx.platformDb, input.token, { userId: null, requestId: ctx.requestId });
    if (!input.name) throw new DomainError("bad_input", "enter your name", { field: "name" });
    const problem = passwordProblem(input.password ?? "", invitation.email);
    if (problem) throw new DomainError("bad_input", problem, { field: "password" });
    const passwordHash = await hashPassword(input.password!);
    return acceptAsNewUser(ctx.platformDb, { token: input.token, name: input.name, passwordHash, requestId: ctx.requestId });
  });

export const invitationRouter = router({ preview, accept });
