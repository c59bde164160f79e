"use client";
import { useQuery } from "@tanstack/react-query";
import { useState, type ReactNode } from "react";
import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import type { ValueType } from "recharts/types/component/DefaultTooltipContent";
import { useTRPC } from "../trpc";
import { OperatorPageHeader } from "./page-header";
import { Card } from "../ui/card";

/**
 * Operators' activity plots: denials over time by layer, the realms denied most, operations per
 * bucket with their latency, and policy-drift alarms, for one window (1 hour to 7 days) ending
 * now, refreshed every 10 s, or an earlier window ("← Earlier"). The data are SQL aggregates
 * (operator.activity); each plot can also be read as a table.
 */

const WINDOWS = [
  { value: "1h", label: "1 hour" },
  { value: "6h", label: "6 hours" },
  { value: "24h", label: "24 hours" },
  { value: "7d", label: "7 days" },
] as const;
type WindowName = (typeof WINDOWS)[number]["value"];

const LAYERS = [
  { key: "trpc", label: "API (tRPC)", colour: "#2563eb" },
  { key: "database", label: "Database (RLS)", colour: "#7c3aed" },
  { key: "hypervisor", label: "Hypervisor (XSM)", colour: "#dc2626" },
  { key: "worker", label: "Worker", colour: "#d97706" },
  { key: "auth", label: "Sign-in", colour: "#0891b2" },
  { key: "other", label: "Other", colour: "#64748b" },
] as const;

export function ActivityPlots() {
  const trpc = useTRPC();
  const [window, setWindow] = useState<WindowName>("1h");
  // null: the window ending now (live); otherwise the end of an earlier window.
  const [before, setBefore] = useState<Date | null>(null);
  const query = useQuery({
    ...trpc.operator.activity.queryOptions({ window, ...(before ? { before } : {}) }),
    refetchInterval: before ? false : 10_000,
  });
  const data = query.data;
  const long = window === "24h" || window === "7d";
  const tick = (t: Date | number) =>
    new Date(t).toLocaleString(
      "en-GB",
      long
        ? { day: "2-digit", month: "short", hour: "2-digit", minute: "2-digit" }
        : { hour: "2-digit", minute: "2-digit" },
    );
  const rows = data?.buckets.map((b) => ({
    t: b.t.getTime(),
    ...b.denials,
    alarms: b.alarms,
    accepted: b.accepted,
    succeeded: b.succeeded,
    failed: b.failed,
    p50: b.p50Ms,
    p95: b.p95Ms,
  }));
  const perBucket = data
    ? `${data.bucketSeconds >= 3600 ? `${data.bucketSeconds / 3600} h` : `${data.bucketSeconds / 60} min`}`
    : "";

  return (
    <div className="space-y-6">
      <OperatorPageHeader title="Activity" />
      <div className="flex flex-wrap items-center gap-3 text-sm">
        <span className="text-slate-600" id="window-label">
          Window
        </span>
        <div
          role="group"
          aria-labelledby="window-label"
          className="flex overflow-hidden rounded border border-slate-300"
        >
          {WINDOWS.map((w) => (
            <button
              key={w.value}
              type="button"
              aria-pressed={window === w.value}
              onClick={() => {
                setWindow(w.value);
                setBefore(null);
              }}
              className={`px-3 py-1 focus:outline-none focus-visible:ring-2 focus-visible:ring-slate-900 ${window === w.value ? "bg-slate-900 text-white" : "bg-white text-slate-700 hover:bg-slate-100"}`}
            >
              {w.label}
            </button>
          ))}
        </div>
        <button
          type="button"
          className="rounded border border-slate-300 bg-white px-3 py-1 hover:bg-slate-100"
          onClick={() => data && setBefore(data.from)}
          disabled={!data}
        >
          ← Earlier
        </button>
        <button
          type="button"
          className="rounded border border-slate-300 bg-white px-3 py-1 hover:bg-slate-100 disabled:opacity-50"
          onClick={() => setBefore(null)}
          disabled={before === null}
        >
          Now
        </button>
        {data && (
          <span className="text-slate-600" data-testid="activity-range" aria-live="polite">
            {data.from.toLocaleString("en-GB")} – {data.to.toLocaleString("en-GB")} · {perBucket} per bar{" "}
            {before === null ? "· live" : ""}
          </span>
        )}
      </div>
      {query.isError && <p className="text-sm text-red-700">Could not load activity: {query.error.message}</p>}
      {data && rows && (
        <>
          <dl className="grid grid-cols-2 gap-3 sm:grid-cols-4" data-testid="activity-totals">
            <Total label="Denials" value={data.totals.denials} />
            <Total label="Policy-drift alarms" value={data.totals.alarms} alarm={data.totals.alarms > 0} />
            <Total label="Operations" value={data.totals.operations} />
            <Total label="Failed operations" value={data.totals.failed} alarm={data.totals.failed > 0} />
          </dl>
          <Plot title="Denials by layer" testId="plot-denials" table={<DenialTable rows={rows} tick={tick} />}>
            <BarChart data={rows}>
              <TimeAxes tick={tick} />
              <Legend />
              {LAYERS.map((l) => (
                <Bar
                  key={l.key}
                  dataKey={l.key}
                  name={l.label}
                  stackId="layers"
                  fill={l.colour}
                  isAnimationActive={false}
                />
              ))}
            </BarChart>
          </Plot>
          <Card title="Realms denied most in this window">
            {data.topDeniedRealms.length === 0 ? (
              <p className="text-sm text-slate-600">No denials in this window.</p>
            ) : (
              <table className="w-full text-sm" data-testid="top-denied-realms">
                <thead className="text-left text-slate-500">
                  <tr>
                    <th scope="col" className="py-1 font-normal">Realm (the actor&apos;s)</th>
                    <th scope="col" className="font-normal">Denials</th>
                  </tr>
                </thead>
                <tbody>
                  {data.topDeniedRealms.map((r) => (
                    <tr key={r.realmId ?? "none"} className="border-t border-slate-100">
                      <td className="py-1">{r.org ?? "No realm (sign-in, platform)"}</td>
                      <td>{r.count}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </Card>
          <Plot
            title="Operations: accepted, and how they ended"
            testId="plot-operations"
            table={<OperationTable rows={rows} tick={tick} />}
          >
            <BarChart data={rows}>
              <TimeAxes tick={tick} />
              <Legend />
              <Bar dataKey="succeeded" name="Succeeded" stackId="ops" fill="#16a34a" isAnimationActive={false} />
              <Bar dataKey="failed" name="Failed" stackId="ops" fill="#dc2626" isAnimationActive={false} />
            </BarChart>
          </Plot>
          <Plot title="Operation latency, accepted → finished (ms)" testId="plot-latency">
            <LineChart data={rows}>
              <TimeAxes tick={tick} unit="ms" />
              <Legend />
              <Line
                dataKey="p50"
                name="Median"
                stroke="#2563eb"
                dot={{ r: 2 }}
                connectNulls
                isAnimationActive={false}
              />
              <Line
                dataKey="p95"
                name="95th percentile"
                stroke="#d97706"
                dot={{ r: 2 }}
                connectNulls
                isAnimationActive={false}
              />
            </LineChart>
          </Plot>
          <Plot title="Policy-drift alarms" testId="plot-alarms">
            <BarChart data={rows}>
              <TimeAxes tick={tick} />
              <Bar dataKey="alarms" name="Alarms" fill="#dc2626" isAnimationActive={false} />
            </BarChart>
          </Plot>
        </>
      )}
    </div>
  );
}

/**
 * Every plot's frame: the grid, a time axis over the window's buckets, the value axis (whole
 * counts, or milliseconds) and a tooltip naming the bucket. Recharts 3 reads axes rendered by a
 * component of ours as it reads its own children.
 */
/** Grid, time axis, value axis and tooltip for a plot over time (also the VM page's metrics, components/vm/metrics-charts.tsx). */
export function TimeAxes({ tick, unit, format }: { tick: (t: number) => string; unit?: "ms"; format?: (v: number) => string }) {
  const formatter = format ?? (unit === "ms" ? (v: number) => `${v.toFixed(0)} ms` : null);
  return (
    <>
      <CartesianGrid strokeDasharray="3 3" vertical={false} />
      <XAxis dataKey="t" type="number" scale="time" domain={["dataMin", "dataMax"]} tickFormatter={tick} />
      <YAxis allowDecimals={unit === "ms" || format !== undefined} {...(format ? { tickFormatter: format, width: 72 } : {})} />
      <Tooltip
        labelFormatter={(t) => tick(Number(t))}
        {...(formatter ? { formatter: (v: ValueType | undefined) => (typeof v === "number" ? formatter(v) : v) } : {})}
      />
    </>
  );
}

type Row = {
  t: number;
  trpc: number;
  database: number;
  hypervisor: number;
  worker: number;
  auth: number;
  other: number;
  accepted: number;
  succeeded: number;
  failed: number;
  p50: number | null;
  p95: number | null;
};

function Total({ label, value, alarm = false }: { label: string; value: number; alarm?: boolean }) {
  return (
    <div className={`rounded-lg border bg-white px-4 py-3 ${alarm ? "border-red-300" : "border-slate-200"}`}>
      <dt className="text-xs text-slate-600">{label}</dt>
      <dd className={`text-2xl font-semibold ${alarm ? "text-red-700" : "text-slate-900"}`}>
        {value.toLocaleString("en")}
      </dd>
    </div>
  );
}

function Plot({
  title,
  testId,
  children,
  table,
}: {
  title: string;
  testId: string;
  children: ReactNode;
  table?: ReactNode;
}) {
  return (
    <Card title={title}>
      <figure data-testid={testId} aria-label={title}>
        <div className="h-64 w-full">
          <ResponsiveContainer width="100%" height="100%">
            {children as React.ReactElement}
          </ResponsiveContainer>
        </div>
        {table && (
          <details className="mt-2 text-sm">
            <summary className="cursor-pointer text-slate-700">Show as a table (non-empty bars)</summary>
            {table}
          </details>
        )}
      </figure>
    </Card>
  );
}

function DenialTable({ rows, tick }: { rows: Row[]; tick: (t: number) => string }) {
  const shown = rows.filter((r) => LAYERS.some((l) => r[l.key] > 0));
  if (shown.length === 0) return <p className="text-slate-600">No denials in this window.</p>;
  return (
    <table className="mt-2 w-full">
      <thead className="text-left text-slate-500">
        <tr>
          <th scope="col" className="font-normal">From</th>
          {LAYERS.map((l) => (
            <th scope="col" key={l.key} className="font-normal">
              {l.label}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {shown.map((r) => (
          <tr key={r.t} className="border-t border-slate-100">
            <td>{tick(r.t)}</td>
            {LAYERS.map((l) => (
              <td key={l.key}>{r[l.key]}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function OperationTable({ rows, tick }: { rows: Row[]; tick: (t: number) => string }) {
  const shown = rows.filter((r) => r.accepted > 0);
  if (shown.length === 0) return <p className="text-slate-600">No operations in this window.</p>;
  return (
    <table className="mt-2 w-full">
      <thead className="text-left text-slate-500">
        <tr>
          <th scope="col" className="font-normal">From</th>
          <th scope="col" className="font-normal">Accepted</th>
          <th scope="col" className="font-normal">Succeeded</th>
          <th scope="col" className="font-normal">Failed</th>
          <th scope="col" className="font-normal">Median ms</th>
          <th scope="col" className="font-normal">p95 ms</th>
        </tr>
      </thead>
      <tbody>
        {shown.map((r) => (
          <tr key={r.t} className="border-t border-slate-100">
            <td>{tick(r.t)}</td>
            <td>{r.accepted}</td>
            <td>{r.succeeded}</td>
            <td>{r.failed}</td>
            <td>{r.p50 === null ? "–" : r.p50.toFixed(0)}</td>
            <td>{r.p95 === null ? "–" : r.p95.toFixed(0)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
