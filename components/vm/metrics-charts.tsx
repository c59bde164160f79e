"use client";
import { useQuery } from "@tanstack/react-query";
import type { ReactElement } from "react";
import { Legend, Line, LineChart, ResponsiveContainer } from "recharts";
import { TimeAxes } from "../operator/activity-plots";
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

export function MetricsCharts({ vmId }: { vmId: string }) {
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
  // A line needs two points: until then (a VM that just started) each sample shows as a dot.
  const dots = (rows?.length ?? 0) < 5;
  return (
    <Card title="Metrics (last hour)">
      {metrics.isError && <p className="text-sm text-red-700">Could not load metrics: {metrics.error.message}</p>}
      {rows && rows.length === 0 && (
        <p className="text-sm text-slate-600" data-testid="metrics-empty">
          No samples yet: the hypervisor is sampled every {data?.intervalSeconds ?? 10} s while the VM has a domain.
        </p>
      )}
      {rows && rows.length > 0 && (
        <div className="space-y-4" data-testid="metrics-charts">
          {last && (
            <p className="text-sm text-slate-700" aria-live="polite" data-testid="metrics-latest">
              Now: CPU {last.cpuPercent === null ? "—" : percent(last.cpuPercent)} of {last.vcpus} vCPU
              {last.vcpus === 1 ? "" : "s"} · memory {mib(last.memoryUsedMb)} of {mib(last.memoryMaxMb)} · disk{" "}
              {last.diskReadBps === null ? "—" : bytesPerSecond(last.diskReadBps)} read,{" "}
              {last.diskWriteBps === null ? "—" : bytesPerSecond(last.diskWriteBps)} written · network{" "}
              {last.netRxBps === null ? "—" : bytesPerSecond(last.netRxBps)} in,{" "}
              {last.netTxBps === null ? "—" : bytesPerSecond(last.netTxBps)} out
            </p>
          )}
          <div className="grid grid-cols-1 gap-4 lg:grid-cols-2">
            <Chart title="CPU" testId="chart-cpu">
              <LineChart data={rows}>
                <TimeAxes tick={tick} format={percent} />
                <Line
                  dataKey="cpu"
                  name="CPU (of its vCPUs)"
                  stroke="#2563eb"
                  dot={dots}
                  isAnimationActive={false}
                  connectNulls={false}
                />
              </LineChart>
            </Chart>
            <Chart title="Memory" testId="chart-memory">
              <LineChart data={rows}>
                <TimeAxes tick={tick} format={mib} />
                <Legend />
                <Line dataKey="memory" name="In use" stroke="#7c3aed" dot={dots} isAnimationActive={false} />
                <Line
                  dataKey="memoryMax"
                  name="Allocated"
                  stroke="#94a3b8"
                  strokeDasharray="4 4"
                  dot={dots}
                  isAnimationActive={false}
                />
              </LineChart>
            </Chart>
            <Chart title="Disk" testId="chart-disk">
              <LineChart data={rows}>
                <TimeAxes tick={tick} format={bytesPerSecond} />
                <Legend />
                <Line dataKey="diskRead" name="Read" stroke="#0891b2" dot={dots} isAnimationActive={false} />
                <Line dataKey="diskWrite" name="Write" stroke="#d97706" dot={dots} isAnimationActive={false} />
              </LineChart>
            </Chart>
            <Chart title="Network" testId="chart-network">
              <LineChart data={rows}>
                <TimeAxes tick={tick} format={bytesPerSecond} />
                <Legend />
                <Line dataKey="netRx" name="In" stroke="#16a34a" dot={dots} isAnimationActive={false} />
                <Line dataKey="netTx" name="Out" stroke="#dc2626" dot={dots} isAnimationActive={false} />
              </LineChart>
            </Chart>
          </div>
        </div>
      )}
    </Card>
  );
}

function Chart({ title, testId, children }: { title: string; testId: string; children: ReactElement }) {
  return (
    <figure data-testid={testId} aria-label={`${title}, last hour`}>
      <figcaption className="mb-1 text-sm font-medium text-slate-700">{title}</figcaption>
      <div className="h-48 w-full">
        <ResponsiveContainer width="100%" height="100%">
          {children}
        </ResponsiveContainer>
      </div>
    </figure>
  );
}
