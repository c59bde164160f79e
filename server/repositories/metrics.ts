import type { DomainCountersReply } from "../contracts/agent";
import type { Tx } from "../db/client";

/**
 * VM metric samples (vm_metric_samples; migration console_metrics): raw hypervisor counters as the
 * worker's sampler read them, kept a few hours. Rates (CPU %, bytes/s, ops/s) are computed here,
 * in SQL, from the deltas between consecutive samples of one VM; a delta across a meter reset (a
 * new epoch, or a counter that went down) has no rate rather than a negative one.
 */

export type Sample = {
  realmId: string;
  vmId: string;
  epoch: string;
  state: string;
  vcpus: number;
} & Omit<DomainCountersReply, "runningSeconds"> & { runningSeconds?: number };

/** The VMs of these uuids the platform places on this host (a domain the control plane does not know is left out). */
export async function unsafeVmsOnHost(platform: Tx, hostId: string, uuids: string[]): Promise<{ realmId: string; id: string }[]> {
  if (uuids.length === 0) return [];
  return platform.$queryRaw`
    SELECT "realm_id"::text AS "realmId", "id"::text AS "id" FROM "vms"
     WHERE "host_id" = ${hostId}::uuid AND "id" = ANY(${uuids}::uuid[])`;
}

/** One host's samples, in one statement. */
export async function unsafeInsertSamples(platform: Tx, at: Date, samples: Sample[]): Promise<number> {
  if (samples.length === 0) return 0;
  const col = <K extends keyof Sample>(k: K) => samples.map((s) => s[k]);
  const big = (k: keyof Sample) => samples.map((s) => String(Math.max(0, Math.floor(Number(s[k])))));
  return platform.$executeRaw`
    INSERT INTO "vm_metric_samples" ("realm_id", "vm_id", "at", "epoch", "state", "vcpus", "cpu_ns", "memory_kb", "memory_max_kb",
                                     "disk_read_bytes", "disk_write_bytes", "disk_read_ops", "disk_write_ops", "net_rx_bytes", "net_tx_bytes")
    SELECT r, v, ${at}, e, st, vc, cpu, mem, memmax, drb, dwb, dro, dwo, rx, tx
      FROM unnest(${col("realmId")}::uuid[], ${col("vmId")}::uuid[], ${col("epoch")}::text[], ${col("state")}::text[], ${col("vcpus")}::int[],
                  ${big("cpuNs")}::bigint[], ${big("memoryKb")}::bigint[], ${big("memoryMaxKb")}::bigint[], ${big("diskReadBytes")}::bigint[],
                  ${big("diskWriteBytes")}::bigint[], ${big("diskReadOps")}::bigint[], ${big("diskWriteOps")}::bigint[], ${big("netRxBytes")}::bigint[],
                  ${big("netTxBytes")}::bigint[])
           AS s(r, v, e, st, vc, cpu, mem, memmax, drb, dwb, dro, dwo, rx, tx)
    ON CONFLICT DO NOTHING`;
}

export async function unsafePruneSamples(platform: Tx, before: Date): Promise<number> {
  return platform.$executeRaw`DELETE FROM "vm_metric_samples" WHERE "at" < ${before}`;
}

export type MetricPoint = {
  at: Date;
  state: string;
  vcpus: number;
  /** Share of the VM's vCPUs busy since the previous sample (0–100); null across a reset or for the first sample. */
  cpuPercent: number | null;
  memoryUsedMb: number;
  memoryMaxMb: number;
  diskReadBps: number | null;
  diskWriteBps: number | null;
  diskReadIops: number | null;
  diskWriteIops: number | null;
  netRxBps: number | null;
  netTxBps: number | null;
};

/** Samples of one VM since `since` (at most `limit`, the newest), with rates from consecutive deltas. */
export async function vmSeries(tx: Tx, realmId: string, vmId: string, since: Date, limit = 2_000): Promise<MetricPoint[]> {
  const rows = await tx.$queryRaw<
    {
      at: Date;
      state: string;
      vcpus: number;
      cpu_percent: number | null;
      memory_used_mb: number;
      memory_max_mb: number;
      disk_read_bps: number | null;
      disk_write_bps: number | null;
      disk_read_iops: number | null;
      disk_write_iops: number | null;
      net_rx_bps: number | null;
      net_tx_bps: number | null;
    }[]
  >`
    WITH d AS (
      SELECT s.*,
             extract(epoch FROM s."at" - lag(s."at") OVER w)::float8 AS dt,
             (lag(s."epoch") OVER w) = s."epoch" AS same_epoch,
             lag(s."cpu_ns") OVER w AS p_cpu, lag(s."disk_read_bytes") OVER w AS p_drb, lag(s."disk_write_bytes") OVER w AS p_dwb,
             lag(s."disk_read_ops") OVER w AS p_dro, lag(s."disk_write_ops") OVER w AS p_dwo,
             lag(s."net_rx_bytes") OVER w AS p_rx, lag(s."net_tx_bytes") OVER w AS p_tx
        FROM "vm_metric_samples" s
       WHERE s."realm_id" = ${realmId}::uuid AND s."vm_id" = ${vmId}::uuid AND s."at" >= ${since}::timestamptz - interval '5 minutes'
      WINDOW w AS (ORDER BY s."at")
    ), r AS (
      SELECT "at", "state", "vcpus",
             (("memory_kb") / 1024.0)::float8 AS memory_used_mb, ("memory_max_kb" / 1024.0)::float8 AS memory_max_mb,
             CASE WHEN same_epoch AND dt > 0 AND "cpu_ns" >= p_cpu THEN LEAST(100, ("cpu_ns" - p_cpu) / (dt * 1e9 * "vcpus") * 100)::float8 END AS cpu_percent,
             CASE WHEN same_epoch AND dt > 0 AND "disk_read_bytes" >= p_drb THEN (("disk_read_bytes" - p_drb) / dt)::float8 END AS disk_read_bps,
             CASE WHEN same_epoch AND dt > 0 AND "disk_write_bytes" >= p_dwb THEN (("disk_write_bytes" - p_dwb) / dt)::float8 END AS disk_write_bps,
             CASE WHEN same_epoch AND dt > 0 AND "disk_read_ops" >= p_dro THEN (("disk_read_ops" - p_dro) / dt)::float8 END AS disk_read_iops,
             CASE WHEN same_epoch AND dt > 0 AND "disk_write_ops" >= p_dwo THEN (("disk_write_ops" - p_dwo) / dt)::float8 END AS disk_write_iops,
             CASE WHEN same_epoch AND dt > 0 AND "net_rx_bytes" >= p_rx THEN (("net_rx_bytes" - p_rx) / dt)::float8 END AS net_rx_bps,
             CASE WHEN same_epoch AND dt > 0 AND "net_tx_bytes" >= p_tx THEN (("net_tx_bytes" - p_tx) / dt)::float8 END AS net_tx_bps
        FROM d WHERE "at" >= ${since}::timestamptz
       ORDER BY "at" DESC LIMIT ${limit}
    )
    SELECT * FROM r ORDER BY "at"`;
  return rows.map((r) => ({
    at: r.at,
    state: r.state,
    vcpus: r.vcpus,
    cpuPercent: r.cpu_percent,
    memoryUsedMb: r.memory_used_mb,
    memoryMaxMb: r.memory_max_mb,
    diskReadBps: r.disk_read_bps,
    diskWriteBps: r.disk_write_bps,
    diskReadIops: r.disk_read_iops,
    diskWriteIops: r.disk_write_iops,
    netRxBps: r.net_rx_bps,
    netTxBps: r.net_tx_bps,
  }));
}

export type MeasuredUsage = {
  /** Running VMs with a recent sample. */
  vms: number;
  vcpus: number;
  /** vCPUs' worth of CPU time in use (e.g. 1.5 = one and a half vCPUs busy). */
  busyVcpus: number;
  memoryUsedMb: number;
  memoryAllocatedMb: number;
  sampledAt: Date | null;
};

/** The realm's running guests (what its quota counts) as last measured: each VM's newest sample of the last few minutes. */
export async function realmUsage(tx: Tx, realmId: string): Promise<MeasuredUsage> {
  const [row] = await tx.$queryRaw<{ vms: number; vcpus: number; busy: number | null; used_kb: number | null; max_kb: number | null; sampled_at: Date | null }[]>`
    WITH recent AS (
      SELECT s.*, lag(s."cpu_ns") OVER w AS p_cpu, lag(s."epoch") OVER w AS p_epoch, lag(s."at") OVER w AS p_at,
             row_number() OVER (PARTITION BY s."vm_id" ORDER BY s."at" DESC) AS rn
        FROM "vm_metric_samples" s
        JOIN "vms" v ON v."realm_id" = s."realm_id" AND v."id" = s."vm_id" AND v."observed_state" = 'running' AND v."kind" = 'guest'
       WHERE s."realm_id" = ${realmId}::uuid AND s."at" > now() - interval '3 minutes'
      WINDOW w AS (PARTITION BY s."vm_id" ORDER BY s."at")
    )
    SELECT count(*)::int AS vms, coalesce(sum("vcpus"), 0)::int AS vcpus,
           sum(CASE WHEN p_epoch = "epoch" AND "at" > p_at AND "cpu_ns" >= p_cpu
                    THEN ("cpu_ns" - p_cpu) / (extract(epoch FROM "at" - p_at) * 1e9) END)::float8 AS busy,
           sum("memory_kb")::float8 AS used_kb, sum("memory_max_kb")::float8 AS max_kb, max("at") AS sampled_at
      FROM recent WHERE rn = 1`;
  return {
    vms: row?.vms ?? 0,
    vcpus: row?.vcpus ?? 0,
    busyVcpus: Math.round((row?.busy ?? 0) * 100) / 100,
    memoryUsedMb: Math.round((row?.used_kb ?? 0) / 1024),
    memoryAllocatedMb: Math.round((row?.max_kb ?? 0) / 1024),
    sampledAt: row?.sampled_at ?? null,
  };
}
