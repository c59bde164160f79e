/**
 * Axes of the VM page's metric charts, computed rather than left to the chart library: with one or
 * two samples (a VM that just started) Recharts made a zero-width time domain (one tick), crowded
 * value ticks with their units ("260 MiB", "130 MiB", "65 MiB") and clipped the top line. Here the
 * time axis spans at least a few minutes ending at the newest sample, with ticks on whole minutes;
 * the value axis names its unit once (in the axis label) and its ticks are round numbers of it.
 */

export type AxisUnit = { label: string; factor: number };

export const MEMORY_UNITS: AxisUnit[] = [
  { label: "MiB", factor: 1 },
  { label: "GiB", factor: 1024 },
];
export const BYTE_RATE_UNITS: AxisUnit[] = [
  { label: "B/s", factor: 1 },
  { label: "KiB/s", factor: 1024 },
  { label: "MiB/s", factor: 1024 ** 2 },
  { label: "GiB/s", factor: 1024 ** 3 },
];
export const PERCENT: AxisUnit = { label: "%", factor: 1 };

/** The narrowest time axis: a lone sample sits at the right end of five minutes. */
export const MIN_SPAN_MS = 5 * 60_000;
const MINUTE = 60_000;
const TIME_STEPS = [1, 2, 5, 10, 15, 30, 60].map((m) => m * MINUTE);
const MAX_TIME_TICKS = 6;
/** Share of the span left empty after the newest sample. */
export const END_ROOM = 0.03;

export type TimeAxis = { domain: [number, number]; ticks: number[] };

/** Domain and whole-minute ticks (at most six) for samples at these times. */
export function timeAxis(times: number[], minSpanMs = MIN_SPAN_MS): TimeAxis {
  if (times.length === 0) return { domain: [0, minSpanMs], ticks: [] };
  const to = Math.max(...times);
  const from = Math.min(Math.min(...times), to - minSpanMs);
  const span = to - from;
  const step = TIME_STEPS.find((s) => span / s <= MAX_TIME_TICKS) ?? Math.ceil(span / MAX_TIME_TICKS / (60 * MINUTE)) * 60 * MINUTE;
  const ticks: number[] = [];
  for (let t = Math.ceil(from / step) * step; t <= to; t += step) ticks.push(t);
  // A little room after the newest sample, so its dot is not cut in half by the plot's edge.
  return { domain: [from, to + Math.round(span * END_ROOM)], ticks };
}

export type ValueAxis = { unit: AxisUnit; domain: [number, number]; ticks: number[]; format: (raw: number) => string };

const roundNumber = (v: number) => v.toLocaleString("en-GB", { maximumFractionDigits: 2 });

/** A round step (1, 2, 2.5 or 5 times a power of ten) at least `rough`. */
export function niceStep(rough: number): number {
  const power = 10 ** Math.floor(Math.log10(rough));
  return [1, 2, 2.5, 5, 10].map((m) => m * power).find((s) => s >= rough - 1e-12)!;
}

/**
 * A value axis from 0 to a round number at or above the largest value, in the largest unit the
 * values reach (1,536 MiB reads 1.5 GiB), with four or five ticks. Values stay in raw units (the
 * domain and ticks are raw too); `format` writes a tick as a number of the unit. No values yet
 * (rates need two samples) gives 0–1 of the smallest unit.
 */
export function valueAxis(values: (number | null | undefined)[], units: AxisUnit[]): ValueAxis {
  const max = Math.max(0, ...values.filter((v): v is number => typeof v === "number" && Number.isFinite(v)));
  const unit = [...units].reverse().find((u) => max >= u.factor) ?? units[0]!;
  const scaled = max / unit.factor;
  // The smallest unit counts whole ones (bytes, MiB); a larger one may show halves.
  const step = Math.max(niceStep(Math.max(scaled, 1e-9) / 4), unit === units[0] ? 1 : 0);
  const top = Math.max(step, Math.ceil(scaled / step - 1e-9) * step);
  const ticks: number[] = [];
  for (let i = 0; i * step <= top + 1e-9; i++) ticks.push(i * step * unit.factor);
  return { unit, domain: [0, top * unit.factor], ticks, format: (raw) => roundNumber(raw / unit.factor) };
}

/** CPU is a share of the VM's vCPUs: always 0–100 %. */
export const CPU_AXIS: ValueAxis = { unit: PERCENT, domain: [0, 100], ticks: [0, 25, 50, 75, 100], format: roundNumber };
