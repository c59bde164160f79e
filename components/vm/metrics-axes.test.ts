import { describe, expect, it } from "vitest";
import { BYTE_RATE_UNITS, END_ROOM, MEMORY_UNITS, MIN_SPAN_MS, niceStep, timeAxis, valueAxis } from "./metrics-axes";
import { latestSummary } from "./metrics-charts";

const at = (hh: number, mm: number, ss = 0) => Date.UTC(2026, 11, 2, hh, mm, ss);

describe("metric chart axes with few samples", () => {
  it("a lone sample gets five minutes of time axis ending at it, ticked on whole minutes (not one crowded tick)", () => {
    const axis = timeAxis([at(10, 36, 18)]);
    expect(axis.domain).toEqual([at(10, 36, 18) - MIN_SPAN_MS, at(10, 36, 18) + MIN_SPAN_MS * END_ROOM]);
    expect(axis.ticks).toEqual([at(10, 32), at(10, 33), at(10, 34), at(10, 35), at(10, 36)]);
  });

  it("two samples ten seconds apart still span five minutes; an hour of samples gets at most six ticks", () => {
    expect(timeAxis([at(10, 36, 8), at(10, 36, 18)]).domain).toEqual([at(10, 31, 18), at(10, 36, 18) + MIN_SPAN_MS * END_ROOM]);
    const hour = timeAxis([at(9, 36, 18), at(10, 36, 18)]);
    expect(hour.ticks.length).toBeLessThanOrEqual(6);
    expect(hour.ticks.every((t) => t % (10 * 60_000) === 0)).toBe(true);
  });

  it("memory names its unit once and ticks round numbers above the allocation (the top line is not clipped)", () => {
    const axis = valueAxis([57, 256], MEMORY_UNITS);
    expect(axis.unit.label).toBe("MiB");
    expect(axis.ticks).toEqual([0, 100, 200, 300]);
    expect(axis.domain[1]).toBeGreaterThanOrEqual(256);
    expect(axis.ticks.map(axis.format)).toEqual(["0", "100", "200", "300"]);
  });

  it("switches to the larger unit the values reach: 1.5 GiB, not 1,536 MiB", () => {
    const axis = valueAxis([1536], MEMORY_UNITS);
    expect(axis.unit.label).toBe("GiB");
    expect(axis.ticks.map(axis.format)).toEqual(["0", "0.5", "1", "1.5"]);
  });

  it("rates not measured yet (one sample: all null) give a 0–1 B/s axis, not an empty or NaN one", () => {
    const axis = valueAxis([null, null], BYTE_RATE_UNITS);
    expect(axis.unit.label).toBe("B/s");
    expect(axis.domain).toEqual([0, 1]);
    expect(axis.ticks.map(axis.format)).toEqual(["0", "1"]);
  });

  it("byte rates in KiB/s with whole-ish ticks", () => {
    const axis = valueAxis([3_000, 40_000], BYTE_RATE_UNITS);
    expect(axis.unit.label).toBe("KiB/s");
    expect(axis.ticks.map(axis.format)).toEqual(["0", "10", "20", "30", "40"]);
  });

  it("round steps are 1, 2, 2.5 or 5 times a power of ten", () => {
    expect([0.3, 1, 3, 24, 64, 600].map(niceStep)).toEqual([0.5, 1, 5, 25, 100, 1000]);
  });

  it("the latest-sample line says rates come with the next sample instead of a row of dashes", () => {
    const first = { cpuPercent: null, vcpus: 1, memoryUsedMb: 57, memoryMaxMb: 256, diskReadBps: null, diskWriteBps: null, netRxBps: null, netTxBps: null };
    expect(latestSummary(first, 10)).toBe("Now: memory 57 MiB of 256 MiB; CPU of its 1 vCPU, disk and network rates appear after the next sample (every 10 s).");
    expect(latestSummary({ ...first, cpuPercent: 3, diskReadBps: 0, diskWriteBps: 2048, netRxBps: 0, netTxBps: 0 }, 10)).toMatch(/^Now: CPU 3\.0 % of 1 vCPU · memory 57 MiB of 256 MiB · disk 0 B\/s read, 2 KiB\/s written/);
  });
});
