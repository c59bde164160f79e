import { z } from "zod";
import { quotaAmounts, dateTime, pageInput } from "../../../contracts/api";
import { MAX_QUOTA_LIMIT } from "../../../policy/quotas";
import { setRealmQuota, unsafeListQuotaUsage } from "../../../services/quotas";
import { operatorProcedure } from "../../trpc";
import { operatorRoute } from "./openapi";

/**
 * Realm quotas, for platform operators: every realm's limits and usage, and setting a realm's
 * limits. Every change, an override above the defaults included, needs a reason and is audited
 * in the realm's own trail with the operator's id.
 */

const limit = (name: string) =>
  z
    .number({ error: `${name} must be a number` })
    .int(`${name} must be a whole number`)
    .min(0, `${name} must be 0 or more`)
    .max(MAX_QUOTA_LIMIT, `${name} must be at most ${MAX_QUOTA_LIMIT}`)
    .optional();

export const setQuotaInput = z
  .object({
    realmId: z.uuid({ error: "realmId must be a valid id" }),
    vcpus: limit("vcpus"),
    memoryMb: limit("memoryMb"),
    vms: limit("vms"),
    diskGb: limit("diskGb"),
    networks: limit("networks"),
    reason: z.string().trim().min(5, "reason must say why, in at least 5 characters").max(500, "reason must be at most 500 characters"),
  })
  .strict()
  .refine((q) => q.vcpus !== undefined || q.memoryMb !== undefined || q.vms !== undefined || q.diskGb !== undefined || q.networks !== undefined, {
    message: "give at least one limit to change",
    path: ["vcpus"],
  });

const amounts = quotaAmounts;

export const list = operatorProcedure
  .meta(
    operatorRoute(
      "GET",
      "/operator/quotas",
      "Every realm's quota and usage, and the defaults new realms get",
      "Realms oldest first. Pages with `cursor` (the previous page's `nextCursor`, a realm's id).",
    ),
  )
  .input(pageInput.default({ limit: 50 }))
  .output(
    z
      .object({
        defaults: amounts.nullable(),
        items: z.array(z.object({ realmId: z.uuid(), org: z.object({ name: z.string(), slug: z.string() }), limits: amounts.nullable(), used: amounts.nullable(), updatedAt: dateTime.nullable() })),
        nextCursor: z.string().nullable(),
      })
      .meta({ id: "QuotaOverviewPage" }),
  )
  .query(({ ctx, input }) => unsafeListQuotaUsage(ctx.platformDb, input));

export const set = operatorProcedure
  .meta(operatorRoute("PATCH", "/operator/quotas/{realmId}", "Set a realm's limits", "The limits given; the rest stay. Needs a reason; audited in the realm's trail (an override above the defaults as such)."))
  .input(setQuotaInput)
  .output(z.object({ realmId: z.uuid(), limits: amounts, used: amounts, override: z.boolean() }))
  .mutation(({ ctx, input }) => {
    const { realmId, reason, ...given } = input;
    const limits = Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined));
    return setRealmQuota(ctx.platformDb, { realmId, limits, reason, actor: { userId: ctx.user.id, requestId: ctx.requestId } });
  });
