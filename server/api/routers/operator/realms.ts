import { unsafeListRealmBoundaries } from "../../../repositories/realms";
import { managementLabel, realmLevel } from "../../../xsm";
import { operatorProcedure } from "../../trpc";

/** Every realm's boundary, for platform operators (read-only). */
export const realms = operatorProcedure.query(async ({ ctx }) =>
  (await unsafeListRealmBoundaries(ctx.platformDb)).map((r) => ({
    id: r.id,
    org: r.org,
    category: realmLevel(r),
    managementLabel: managementLabel(r),
    managementVm: r.vms[0] ?? null,
    guestCount: r._count.vms,
    createdAt: r.createdAt,
  })),
);
