import { z } from "zod";
import { vmState, dateTime, pageInput, pageOf } from "../../../contracts/api";
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

/** Every realm's boundary, for platform operators (read-only), a page at a time. */
export const realms = operatorProcedure
  .meta(
    operatorRoute(
      "GET",
      "/operator/realms",
      "Every realm's boundary",
      "Category, management VM and guest count of each realm, oldest first. Pages with `cursor` (the previous page's `nextCursor`, a realm's id).",
    ),
  )
  .input(pageInput.default({ limit: 50 }))
  .output(pageOf(realmBoundary, "RealmBoundaryPage"))
  .query(async ({ ctx, input }) => {
    const page = await unsafeListRealmBoundaries(ctx.platformDb, input);
    return {
      items: page.items.map((r) => ({ ...r, category: realmLevel(r), managementLabel: managementLabel(r) })),
      nextCursor: page.nextCursor,
    };
  });
