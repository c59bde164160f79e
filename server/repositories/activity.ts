import type { Tx } from "../db/client";

/**
 * Time-bucketed aggregates over the whole platform for the operators' activity plots, each a
 * range scan of one window on a time index (migration activity_indexes). Platform-only rows.
 * Buckets are aligned to the epoch (date_bin), so the same bucket has the same bounds in every
 * window that contains it.
 */

export type Window = { from: Date; to: Date; bucketSeconds: number };

/** Denials per bucket and layer. */
export async function unsafeDenialsByLayer(platform: Tx, w: Window): Promise<{ t: Date; layer: string; count: number }[]> {
  return platform.$queryRaw`
    SELECT date_bin(make_interval(secs => ${w.bucketSeconds}), "created_at", TIMESTAMPTZ '1970-01-01 00:00:00+00') AS "t", "layer", count(*)::int AS "count"
      FROM "audit_events"
     WHERE "decision" = 'deny' AND "created_at" >= ${w.from} AND "created_at" < ${w.to}
     GROUP BY 1, 2 ORDER BY 1, 2`;
}

/** The realms denied most in the window (the actor's realm; null: no realm, e.g. sign-in). */
export async function unsafeTopDeniedRealms(platform: Tx, w: Window, limit: number): Promise<{ realmId: string | null; org: string | null; count: number }[]> {
  return platform.$queryRaw`
    SELECT d."realm_id" AS "realmId", o."name" AS "org", d."count"
      FROM (SELECT "realm_id", count(*)::int AS "count" FROM "audit_events"
             WHERE "decision" = 'deny' AND "created_at" >= ${w.from} AND "created_at" < ${w.to}
             GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT ${limit}) d
      LEFT JOIN "realms" r ON r."id" = d."realm_id" LEFT JOIN "organizations" o ON o."id" = r."org_id"
     ORDER BY d."count" DESC, d."realm_id"`;
}

/** Policy-drift alarms (the hypervisor refused what the upper layers allowed, and kin) per bucket. */
export async function unsafeAlarmsByBucket(platform: Tx, w: Window): Promise<{ t: Date; count: number }[]> {
  return platform.$queryRaw`
    SELECT date_bin(make_interval(secs => ${w.bucketSeconds}), "created_at", TIMESTAMPTZ '1970-01-01 00:00:00+00') AS "t", count(*)::int AS "count"
      FROM "audit_events"
     WHERE "action" LIKE 'alarm.%' AND "created_at" >= ${w.from} AND "created_at" < ${w.to}
     GROUP BY 1 ORDER BY 1`;
}

export type OperationBucket = { t: Date; accepted: number; succeeded: number; failed: number; p50Ms: number | null; p95Ms: number | null };

/** Operations accepted per bucket, how they ended, and the latency of those that finished (accepted → finished). */
export async function unsafeOperationsByBucket(platform: Tx, w: Window): Promise<OperationBucket[]> {
  const rows = await platform.$queryRaw<(Omit<OperationBucket, "p50Ms" | "p95Ms"> & { p50Ms: number | null; p95Ms: number | null })[]>`
    SELECT date_bin(make_interval(secs => ${w.bucketSeconds}), "created_at", TIMESTAMPTZ '1970-01-01 00:00:00+00') AS "t",
           count(*)::int AS "accepted",
           (count(*) FILTER (WHERE "status" = 'succeeded'))::int AS "succeeded",
           (count(*) FILTER (WHERE "status" = 'failed'))::int AS "failed",
           (percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM "finished_at" - "created_at") * 1000) FILTER (WHERE "finished_at" IS NOT NULL))::float8 AS "p50Ms",
           (percentile_cont(0.95) WITHIN GROUP (ORDER BY extract(epoch FROM "finished_at" - "created_at") * 1000) FILTER (WHERE "finished_at" IS NOT NULL))::float8 AS "p95Ms"
      FROM "operations"
     WHERE "created_at" >= ${w.from} AND "created_at" < ${w.to}
     GROUP BY 1 ORDER BY 1`;
  return rows;
}
