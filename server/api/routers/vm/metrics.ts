import { z } from "zod";
import { dateTime } from "../../../contracts/api";
import { measuredUsage, vmMetrics } from "../../../services/metrics";
import { realmAction, vmQuery } from "../../trpc";

/**
 * vm.metrics: one VM's last hour of hypervisor counters as rates (CPU %, memory, disk and network
 * bytes/s), for the VM page's charts. vm.measuredUsage: the realm's running guests as last
 * measured, beside its quota. Both vm.read, inside the caller's realm (a foreign VM answers
 * NOT_FOUND).
 */

const rate = z.number().nullable();
const metricPoint = z
  .object({
    at: dateTime,
    state: z.string(),
    vcpus: z.number().int(),
    cpuPercent: rate.meta({ description: "Share of the VM's vCPUs busy since the previous sample (0–100); null for the first sample or across a counter reset" }),
    memoryUsedMb: z.number(),
    memoryMaxMb: z.number(),
    diskReadBps: rate,
    diskWriteBps: rate,
    diskReadIops: rate,
    diskWriteIops: rate,
    netRxBps: rate,
    netTxBps: rate,
  })
  .meta({ id: "MetricPoint" });

export const metrics = vmQuery("vm.read")
  .meta({
    openapi: {
      method: "GET",
      path: "/vms/{vmId}/metrics",
      tags: ["VMs"],
      summary: "A VM's metrics, last hour",
      description: "One point per sample (the worker samples every host every 10 s by default), with rates computed from the hypervisor's counters.",
    },
  })
  .output(z.object({ intervalSeconds: z.number(), from: dateTime, to: dateTime, points: z.array(metricPoint) }).meta({ id: "VmMetrics" }))
  .query(({ ctx }) => vmMetrics(ctx.db, ctx.realm.id, ctx.vm.id));

export const measured = realmAction("vm.read")
  .meta({ openapi: { method: "GET", path: "/realm/measured-usage", tags: ["Realm"], summary: "What the realm's running VMs use now, as measured" } })
  .output(
    z
      .object({
        vms: z.number().int(),
        vcpus: z.number().int(),
        busyVcpus: z.number().meta({ description: "vCPUs' worth of CPU time in use" }),
        memoryUsedMb: z.number().int(),
        memoryAllocatedMb: z.number().int(),
        sampledAt: dateTime.nullable(),
      })
      .meta({ id: "MeasuredUsage" }),
  )
  .query(({ ctx }) => measuredUsage(ctx.db, ctx.realm.id));
