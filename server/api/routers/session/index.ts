import { unsafeFindActiveBreakGlass } from "../../../repositories/break-glass";
import { unsafeFindMembershipForUser } from "../../../repositories/memberships";
import { protectedProcedure, router } from "../../trpc";
import { changePassword, revoke, sessions, signOutEverywhere } from "./account";

/** Who am I: the signed-in user, operator flag, realm membership, and any active break-glass grant. */
const me = protectedProcedure.query(async ({ ctx }) => {
  const membership = await unsafeFindMembershipForUser(ctx.platformDb, ctx.user.id);
  const grant = !membership && ctx.user.isPlatformOperator ? await unsafeFindActiveBreakGlass(ctx.platformDb, ctx.user.id) : null;
  return {
    id: ctx.user.id,
    name: ctx.user.name,
    email: ctx.user.email,
    isPlatformOperator: ctx.user.isPlatformOperator,
    org: membership ? { name: membership.org.name, slug: membership.org.slug, role: membership.role } : null,
    breakGlass: grant ? { org: grant.realm.org.name, expiresAt: grant.expiresAt, role: grant.role } : null,
  };
});

export const sessionRouter = router({ me, sessions, revoke, signOutEverywhere, changePassword });
