import type { Tx } from "../db/client";

/**
 * Leases on the worker's platform-wide periodic jobs (worker_leases; migration
 * metrics_sampler_lease): one worker process at a time holds a job's lease and runs it.
 */

/**
 * Claims or renews the lease `name` for `holder` for `ttlMs`: true when the caller holds it now
 * (it was free, lapsed, or already the caller's). One statement, so two claimants never both win.
 */
export async function unsafeClaimLease(platform: Tx, name: string, holder: string, ttlMs: number): Promise<boolean> {
  const rows = await platform.$queryRaw<{ holder: string }[]>`
    INSERT INTO "worker_leases" ("name", "holder", "expires_at")
    VALUES (${name}, ${holder}, clock_timestamp() + ${Math.max(1, Math.round(ttlMs))}::int * interval '1 millisecond')
    ON CONFLICT ("name") DO UPDATE SET "holder" = EXCLUDED."holder", "expires_at" = EXCLUDED."expires_at"
     WHERE "worker_leases"."holder" = EXCLUDED."holder" OR "worker_leases"."expires_at" < clock_timestamp()
    RETURNING "holder"`;
  return rows.length > 0;
}

/** Gives the lease up at once (a worker shutting down), if the caller holds it. */
export async function unsafeReleaseLease(platform: Tx, name: string, holder: string): Promise<void> {
  await platform.$executeRaw`UPDATE "worker_leases" SET "expires_at" = clock_timestamp() WHERE "name" = ${name} AND "holder" = ${holder}`;
}
