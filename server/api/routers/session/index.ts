import { unsafeFindMembershipForUser } from "../../../repositories/memberships";
import { protectedProcedure, router } from "../../trpc";

/** Who am I: the signed-in user, operator flag and realm membership (if any). */
const me = protectedProcedure.query(async ({ ctx }) => {
  const membership = await unsafeFindMembershipForUser(ctx.platformDb, ctx.user.id);
  return {
    id: ctx.user.id,
    name: ctx.user.name,
    email: ctx.user.email,
    isPlatformOperator: ctx.user.isPlatformOperator,
    org: membership ? { name: membership.org.name, slug: membership.org.slug, role: membership.role } : null,
  };
});

export const sessionRouter = router({ me });
