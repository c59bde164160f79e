import type { Tx } from "../db/client";
import { unsafeAlarmsByBucket, unsafeDenialsByLayer, unsafeOperationsByBucket, unsafeTopDeniedRealms, type OperationBucket, type Window } from "../repositories/activity";

/**
 * The operators' activity plots: denials over time by layer and by realm, operations per bucket
 * with their latency, and policy-drift alarms over time, for one window (the plots' "page"):
 * the last hour, 6 hours, day or week before `before` (now by default). Every bucket of the
 * window is present, empty ones as zeros, so a plot's time axis has no gaps.
 */

export const WINDOWS = { "1h": { seconds: 3_600, bucket: 60 }, "6h": { seconds: 21_600, bucket: 300 }, "24h": { seconds: 86_400, bucket: 900 }, "7d": { seconds: 604_800, bucket: 3_600 } } as const;
export type WindowName = keyof typeof WINDOWS;
export const DENIAL_LAYERS = ["trpc", "database", "hypervisor", "worker", "auth"] as const;
const TOP_REALMS = 10;

export type ActivityBucket = {
  t: Date;
  denials: Record<(typeof DENIAL_LAYERS)[number] | "other", number>;
  alarms: number;
} & Omit<OperationBucket, "t">;

export type Activity = {
  from: Date;
  to: Date;
  bucketSeconds: number;
  buckets: ActivityBucket[];
  topDeniedRealms: { realmId: string | null; org: string | null; count: number }[];
  totals: { denials: number; alarms: number; operations: number; failed: number };
};

export async function activity(platform: Tx, input: { window: WindowName; before?: Date }, now = new Date()): Promise<Activity> {
  const spec = WINDOWS[input.window];
  const bucketMs = spec.bucket * 1000;
  // The window ends at the end of the bucket holding `before` (or now), so the last bucket is whole.
  const end = Math.floor(((input.before ?? now).getTime() - 1) / bucketMs) * bucketMs + bucketMs;
  const w: Window = { from: new Date(end - spec.seconds * 1000), to: new Date(end), bucketSeconds: spec.bucket };
  const [denials, alarms, operations, topDeniedRealms] = await Promise.all([
    unsafeDenialsByLayer(platform, w),
    unsafeAlarmsByBucket(platform, w),
    unsafeOperationsByBucket(platform, w),
    unsafeTopDeniedRealms(platform, w, TOP_REALMS),
  ]);
  const buckets: ActivityBucket[] = [];
  const at = new Map<number, ActivityBucket>();
  for (let t = w.from.getTime(); t < end; t += bucketMs) {
    const bucket: ActivityBucket = {
      t: new Date(t),
      denials: { trpc: 0, database: 0, hypervisor: 0, worker: 0, auth: 0, other: 0 },
      alarms: 0,
      accepted: 0,
      succeeded: 0,
      failed: 0,
      p50Ms: null,
      p95Ms: null,
    };
    buckets.push(bucket);
    at.set(t, bucket);
  }
  for (const d of denials) {
    const bucket = at.get(d.t.getTime());
    if (!bucket) continue;
    const layer = (DENIAL_LAYERS as readonly string[]).includes(d.layer) ? (d.layer as (typeof DENIAL_LAYERS)[number]) : "other";
    bucket.denials[layer] += d.count;
  }
  for (const a of alarms) {
    const bucket = at.get(a.t.getTime());
    if (bucket) bucket.alarms = a.count;
  }
  for (const { t, ...o } of operations) {
    const bucket = at.get(t.getTime());
    if (bucket) Object.assign(bucket, o);
  }
  const sum = (f: (b: ActivityBucket) => number) => buckets.reduce((n, b) => n + f(b), 0);
  return {
    from: w.from,
    to: w.to,
    bucketSeconds: spec.bucket,
    buckets,
    topDeniedRealms,
    totals: {
      denials: sum((b) => Object.values(b.denials).reduce((n, c) => n + c, 0)),
      alarms: sum((b) => b.alarms),
      operations: sum((b) => b.accepted),
      failed: sum((b) => b.failed),
    },
  };
}
