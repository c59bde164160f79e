import { z } from "zod";
import { MAX_QUOTA_LIMIT } from "../../../policy/quotas";
import { setRealmQuota, unsafeListQuotaUsage } from "../../../services/quotas";
import { operatorProcedure } from "../../trpc";

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

export const list = operatorProcedure.query(({ ctx }) => unsafeListQuotaUsage(ctx.platformDb));

export const set = operatorProcedure.input(setQuotaInput).mutation(({ ctx, input }) => {
  const { realmId, reason, ...given } = input;
  const limits = Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined));
  return setRealmQuota(ctx.platformDb, { realmId, limits, reason, actor: { userId: ctx.user.id, requestId: ctx.requestId } });
});
