import type { Tx } from "../db/client";
import { realmUsage, vmSeries, type MeasuredUsage, type MetricPoint } from "../repositories/metrics";

/**
 * Reads of the VM metrics the worker samples (worker/metrics-sampler.ts), inside the caller's
 * realm: one VM's last hour as points with rates, and the realm's running VMs as last measured.
 */

/** How often the worker samples (REALMGATE_METRICS_INTERVAL_MS); the page refetches as often. */
export const METRICS_INTERVAL_MS = Number(process.env.REALMGATE_METRICS_INTERVAL_MS ?? 10_000);
export const METRICS_WINDOW_MS = 60 * 60 * 1000;

export async function vmMetrics(tx: Tx, realmId: string, vmId: string, now = new Date()): Promise<{ intervalSeconds: number; from: Date; to: Date; points: MetricPoint[] }> {
  const from = new Date(now.getTime() - METRICS_WINDOW_MS);
  return { intervalSeconds: METRICS_INTERVAL_MS / 1000, from, to: now, points: await vmSeries(tx, realmId, vmId, from) };
}

export function measuredUsage(tx: Tx, realmId: string): Promise<MeasuredUsage> {
  return realmUsage(tx, realmId);
}
