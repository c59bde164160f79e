import { z } from "zod";
import { vmState, dateTime } from "../../../contracts/api";
import { unsafeListRealmBoundaries } from "../../../repositories/realms";
import { managementLabel, realmLevel } from "../../../xsm";
import { operatorProcedure } from "../../trpc";
import { operatorRoute } from "./openapi";

const realmBoundary = z
  .object({
    id: z.uuid(),
    org: z.object({ name: z.string(), slug: z.string() }),
    category: z.string(),
    managementLabel: z.string(),
    managementVm: z
      .object({ id: z.uuid(), observedState: vmState, domid: z.number().int().nullable(), host: z.object({ name: z.string() }).nullable() })
      .nullable(),
    guestCount: z.number().int(),
    createdAt: dateTime,
  })
  .meta({ id: "RealmBoundary" });

/** Every realm's boundary, for platform operators (read-only). */
export const realms = operatorProcedure
  .meta(operatorRoute("GET", "/operator/realms", "Every realm's boundary", "Category, management VM and guest count of each realm."))
  .output(z.array(realmBoundary))
  .query(async ({ ctx }) =>
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
