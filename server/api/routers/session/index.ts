import { unsafeFindActiveBreakGlass } from "../../../repositories/break-glass";
import { unsafeListMembershipsForUser } from "../../../repositories/memberships";
import { protectedProcedure, router } from "../../trpc";
import { changePassword, revoke, sessions, signOutEverywhere } from "./account";

/**
 * Who am I: the signed-in user, operator flag, every organization it belongs to (the header's
 * realm switcher), the one the request names (`org`: ctx.requestedOrg, or the first; null when
 * it names one the user does not belong to), and any active break-glass grant.
 */
const me = protectedProcedure.meta({ memberships: true }).query(async ({ ctx }) => {
  const memberships = ctx.memberships ?? (await unsafeListMembershipsForUser(ctx.platformDb, ctx.user.id));
  const selected = ctx.requestedOrg === null ? memberships[0] : memberships.find((m) => m.org.slug === ctx.requestedOrg);
  const grant = memberships.length === 0 && ctx.user.isPlatformOperator ? await unsafeFindActiveBreakGlass(ctx.platformDb, ctx.user.id) : null;
  return {
    id: ctx.user.id,
    name: ctx.user.name,
    email: ctx.user.email,
    isPlatformOperator: ctx.user.isPlatformOperator,
    org: selected ? { name: selected.org.name, slug: selected.org.slug, role: selected.role } : null,
    memberships: memberships.map((m) => ({ name: m.org.name, slug: m.org.slug, role: m.role })),
    breakGlass: grant ? { org: grant.realm.org.name, slug: grant.realm.org.slug, expiresAt: grant.expiresAt, role: grant.role } : null,
  };
});

export const sessionRouter = router({ me, sessions, revoke, signOutEverywhere, changePassword });
