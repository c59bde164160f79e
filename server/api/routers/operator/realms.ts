import { managementLabel, realmLevel } from "../../../services/labels";
import { operatorProcedure } from "../../trpc";

/** Every realm's boundary, for platform operators (read-only). */
export const realms = operatorProcedure.query(async ({ ctx }) => {
  const realms = await ctx.platformDb.realm.findMany({
    orderBy: { createdAt: "asc" },
    select: {
      id: true,
      categoryLow: true,
      categoryHigh: true,
      createdAt: true,
      org: { select: { name: true, slug: true } },
      vms: {
        where: { kind: "management" },
        select: { id: true, observedState: true, domid: true, host: { select: { name: true } } },
      },
      _count: { select: { vms: { where: { kind: "guest", observedState: { not: "destroyed" } } } } },
    },
  });
  return realms.map((r) => ({
    id: r.id,
    org: r.org,
    category: realmLevel(r),
    managementLabel: managementLabel(r),
    managementVm: r.vms[0] ?? null,
    guestCount: r._count.vms,
    createdAt: r.createdAt,
  }));
});
