import { z } from "zod";
import { dateTime } from "../../../contracts/api";
import { activity as activityOf, WINDOWS } from "../../../services/activity";
import { operatorProcedure } from "../../trpc";
import { operatorRoute } from "./openapi";

const count = z.number().int();
const bucket = z
  .object({
    t: dateTime.meta({ description: "The bucket's start" }),
    denials: z.object({ trpc: count, database: count, hypervisor: count, worker: count, auth: count, other: count }).meta({ description: "Denials by layer" }),
    alarms: count.meta({ description: "Policy-drift alarms" }),
    accepted: count.meta({ description: "Operations accepted" }),
    succeeded: count,
    failed: count,
    p50Ms: z.number().nullable().meta({ description: "Median time from accepted to finished, of those that finished" }),
    p95Ms: z.number().nullable(),
  })
  .meta({ id: "ActivityBucket" });

const windowNames = Object.keys(WINDOWS) as [keyof typeof WINDOWS, ...(keyof typeof WINDOWS)[]];

export const activity = operatorProcedure
  .meta(
    operatorRoute(
      "GET",
      "/operator/activity",
      "Activity over time: denials by layer and realm, operations and their latency, policy-drift alarms",
      "One window (1h, 6h, 24h or 7d) ending now, or at `before` for an earlier one (the previous answer's `from` pages back).",
    ),
  )
  .input(
    z
      .object({
        window: z.enum(windowNames, { error: `window must be one of ${windowNames.join(", ")}` }).default("1h"),
        before: z.coerce.date({ error: "before must be a date-time" }).optional(),
      })
      .default({ window: "1h" }),
  )
  .output(
    z
      .object({
        from: dateTime,
        to: dateTime,
        bucketSeconds: count,
        buckets: z.array(bucket),
        topDeniedRealms: z.array(z.object({ realmId: z.uuid().nullable(), org: z.string().nullable(), count })),
        totals: z.object({ denials: count, alarms: count, operations: count, failed: count }),
      })
      .meta({ id: "Activity" }),
  )
  .query(({ ctx, input }) => activityOf(ctx.platformDb, input));
