"use client";
import { useQuery } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { BYTE_RATE_UNITS, CPU_AXIS, MEMORY_UNITS, timeAxis, valueAxis, type TimeAxis, type ValueAxis } from "./metrics-axes";
import { useTRPC } from "../trpc";
import { Card } from "../ui/card";

/**
 * The VM's last hour as charts: CPU (share of its vCPUs), memory in use, disk and network
 * throughput. Rates come from the server (counter deltas in SQL, repositories/metrics.ts); the
 * charts only draw them. Refetched every sample interval (the worker samples every 10 s).
 */

const tick = (t: number) => new Date(t).toLocaleTimeString("en-GB", { hour: "2-digit", minute: "2-digit" });
const percent = (v: number) => `${v.toFixed(v < 10 ? 1 : 0)} %`;
const mib = (v: number) => (v >= 1024 ? `${(v / 1024).toFixed(1)} GiB` : `${v.toFixed(0)} MiB`);
export function bytesPerSecond(v: number): string {
  if (v >= 1024 * 1024) return `${(v / 1024 / 1024).toFixed(1)} MiB/s`;
  if (v >= 1024) return `${(v / 1024).toFixed(0)} KiB/s`;
  return `${v.toFixed(0)} B/s`;
}

export function MetricsCharts({ vmId, hasDomain }: { vmId: string; hasDomain: boolean }) {
  const trpc = useTRPC();
  const metrics = useQuery({
    ...trpc.vm.metrics.queryOptions({ vmId }),
    refetchInterval: (q) => (q.state.data?.intervalSeconds ?? 10) * 1000,
  });
  const data = metrics.data;
  const rows = data?.points.map((p) => ({
    t: p.at.getTime(),
    cpu: p.cpuPercent,
    memory: p.memoryUsedMb,
    memoryMax: p.memoryMaxMb,
    diskRead: p.diskReadBps,
    diskWrite: p.diskWriteBps,
    netRx: p.netRxBps,
    netTx: p.netTxBps,
  }));
  const last = data?.points.at(-1);
  const time = rows && rows.length > 0 ? timeAxis(rows.map((r) => r.t)) : null;
  // A line needs two points: until then (a VM that just started) each sample shows as a dot.
  const dots = (rows?.length ?? 0) < 5;
  return (
    <Card title="Metrics (last hour)">
      {metrics.isError && <p className="text-sm text-red-700">Could not load metrics: {metrics.error.message}</p>}
      {rows && rows.length === 0 && (
        <p className="text-sm text-slate-600" data-testid="metrics-empty">
          {hasDomain
            ? `No samples yet: the hypervisor is sampled every ${data?.intervalSeconds ?? 10} s while the VM runs.`
            : "No samples in the last hour: the hypervisor is sampled while the VM runs."}
        </p>
      )}
      {rows && rows.length > 0 && time && (
        <div className="space-y-4" data-testid="metrics-charts">
          {last && (
            <p className="text-sm text-slate-700" aria-live="polite" data-testid="metrics-latest">
              {hasDomain ? latestSummary(last, data?.intervalSeconds ?? 10) : `Not running: no samples since ${tick(last.at.getTime())}. The charts show the last hour.`}
            </p>
          )}
          <div className="grid grid-cols-1 gap-4 lg:grid-cols-2">
            <Chart title="CPU" testId="chart-cpu" axis={CPU_AXIS} time={time} data={rows} pending={!rows.some((r) => r.cpu !== null)}>
              <Line dataKey="cpu" name="CPU (of its vCPUs)" stroke="#2563eb" dot={dots} isAnimationActive={false} connectNulls={false} />
            </Chart>
            <Chart title="Memory" testId="chart-memory" axis={valueAxis(rows.flatMap((r) => [r.memory, r.memoryMax]), MEMORY_UNITS)} time={time} data={rows} legend>
              <Line dataKey="memory" name="In use" stroke="#7c3aed" dot={dots} isAnimationActive={false} />
              {/* Dashed line, solid dots (a dashed dot read as a squiggle). */}
              <Line dataKey="memoryMax" name="Allocated" stroke="#94a3b8" strokeDasharray="4 4" dot={dots ? { strokeDasharray: "0" } : false} isAnimationActive={false} />
            </Chart>
            <Chart
              title="Disk"
              testId="chart-disk"
              axis={valueAxis(rows.flatMap((r) => [r.diskRead, r.diskWrite]), BYTE_RATE_UNITS)}
              time={time}
              data={rows}
              legend
              pending={!rows.some((r) => r.diskRead !== null)}
            >
              <Line dataKey="diskRead" name="Read" stroke="#0891b2" dot={dots} isAnimationActive={false} />
              <Line dataKey="diskWrite" name="Write" stroke="#d97706" dot={dots} isAnimationActive={false} />
            </Chart>
            <Chart
              title="Network"
              testId="chart-network"
              axis={valueAxis(rows.flatMap((r) => [r.netRx, r.netTx]), BYTE_RATE_UNITS)}
              time={time}
              data={rows}
              legend
              pending={!rows.some((r) => r.netRx !== null)}
            >
              <Line dataKey="netRx" name="In" stroke="#16a34a" dot={dots} isAnimationActive={false} />
              <Line dataKey="netTx" name="Out" stroke="#dc2626" dot={dots} isAnimationActive={false} />
            </Chart>
          </div>
        </div>
      )}
    </Card>
  );
}

/** The newest sample in words; rates (CPU, disk, network) need a second sample. */
export function latestSummary(
  last: { cpuPercent: number | null; vcpus: number; memoryUsedMb: number; memoryMaxMb: number; diskReadBps: number | null; diskWriteBps: number | null; netRxBps: number | null; netTxBps: number | null },
  intervalSeconds: number,
): string {
  const memory = `memory ${mib(last.memoryUsedMb)} of ${mib(last.memoryMaxMb)}`;
  const vcpus = `${last.vcpus} vCPU${last.vcpus === 1 ? "" : "s"}`;
  if (last.cpuPercent === null) return `Now: ${memory}; CPU of its ${vcpus}, disk and network rates appear after the next sample (every ${intervalSeconds} s).`;
  const rate = (v: number | null) => (v === null ? "—" : bytesPerSecond(v));
  return `Now: CPU ${percent(last.cpuPercent)} of ${vcpus} · ${memory} · disk ${rate(last.diskReadBps)} read, ${rate(last.diskWriteBps)} written · network ${rate(last.netRxBps)} in, ${rate(last.netTxBps)} out`;
}

function Chart({
  title,
  testId,
  axis,
  time,
  data,
  legend = false,
  pending = false,
  children,
}: {
  title: string;
  testId: string;
  axis: ValueAxis;
  time: TimeAxis;
  data: object[];
  legend?: boolean;
  pending?: boolean;
  children: ReactNode;
}) {
  return (
    <figure data-testid={testId} aria-label={`${title} in ${axis.unit.label}, last hour`}>
      <figcaption className="mb-1 text-sm font-medium text-slate-700">
        {title} <span className="font-normal text-slate-500">({axis.unit.label})</span>
        {pending && <span className="ml-2 text-xs font-normal text-slate-500">measuring: a rate needs two samples</span>}
      </figcaption>
      <div className="h-48 w-full">
        <ResponsiveContainer width="100%" height="100%">
          <LineChart data={data} margin={{ top: 8, right: 12, bottom: 0, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="t" type="number" scale="time" domain={time.domain} ticks={time.ticks} tickFormatter={tick} interval={0} allowDataOverflow />
            <YAxis
              domain={axis.domain}
              ticks={axis.ticks}
              tickFormatter={axis.format}
              interval={0}
              width={56}
              allowDataOverflow
              label={{ value: axis.unit.label, angle: -90, position: "insideLeft", offset: 4, style: { textAnchor: "middle", fill: "#64748b", fontSize: 12 } }}
            />
            <Tooltip labelFormatter={(t) => tick(Number(t))} formatter={(v) => (typeof v === "number" ? `${axis.format(v)} ${axis.unit.label}` : "—")} />
            {legend && <Legend />}
            {children}
          </LineChart>
        </ResponsiveContainer>
      </div>
    </figure>
  );
}
