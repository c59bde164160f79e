import { describe, expect, it } from "vitest";
import { Meters, integral, type MeteredDomain } from "./metrics";

const uuid = "6f1c2f7e-1d7a-4c5e-9a55-3c0d2a9b7e11";
const COUNTERS = ["cpuNs", "diskReadBytes", "diskWriteBytes", "diskReadOps", "diskWriteOps", "netRxBytes", "netTxBytes", "runningSeconds"] as const;

function meters() {
  let now = 1_000_000;
  const m = new Meters("epoch-1", () => now);
  return { m, advance: (seconds: number) => (now += seconds * 1000) };
}

describe("metrics counters", () => {
  it("the integral of a drifting rate never decreases", () => {
    for (let t = 0; t < 2_000; t += 7) expect(integral(10, 300, 0, t + 7)).toBeGreaterThanOrEqual(integral(10, 300, 0, t));
  });

  it("are monotonic while running and grow with vCPUs × load", () => {
    const { m, advance } = meters();
    const d: MeteredDomain = { uuid, state: "running", vcpus: 2, memoryMb: 1024 };
    m.observe(d);
    let last = m.counters(d);
    for (let i = 0; i < 200; i++) {
      advance(13);
      const next = m.counters(d);
      for (const c of COUNTERS) expect(next[c], c).toBeGreaterThanOrEqual(last[c]);
      last = next;
    }
    expect(last.runningSeconds).toBeCloseTo(200 * 13, 5);
    // At most 2 vCPUs fully busy, at least 5 % of one vCPU of a realistic load.
    expect(last.cpuNs).toBeLessThanOrEqual(2 * last.runningSeconds * 1e9);
    expect(last.cpuNs).toBeGreaterThan(0.05 * last.runningSeconds * 1e9 * 0.5);
    expect(last.memoryKb).toBeGreaterThan(0);
    expect(last.memoryKb).toBeLessThanOrEqual(last.memoryMaxKb);
  });

  it("stay flat while paused or stopped, and carry on after a resume", () => {
    const { m, advance } = meters();
    const running: MeteredDomain = { uuid, state: "running", vcpus: 1, memoryMb: 512 };
    m.observe(running);
    advance(60);
    const paused = { ...running, state: "paused" as const };
    m.observe(paused);
    const atPause = m.counters(paused);
    advance(600);
    expect(m.counters(paused)).toEqual(atPause);
    m.observe(running);
    advance(10);
    const resumed = m.counters(running);
    expect(resumed.runningSeconds).toBeCloseTo(70, 5);
    expect(resumed.cpuNs).toBeGreaterThan(atPause.cpuNs);
  });

  it("stay monotonic across a vCPU change", () => {
    const { m, advance } = meters();
    const d: MeteredDomain = { uuid, state: "running", vcpus: 4, memoryMb: 512 };
    m.observe(d);
    advance(100);
    const before = m.counters(d);
    const smaller = { ...d, vcpus: 1 };
    const after = m.counters(smaller);
    expect(after.cpuNs).toBeGreaterThanOrEqual(before.cpuNs);
    advance(100);
    expect(m.counters(smaller).cpuNs).toBeGreaterThan(after.cpuNs);
  });

  it("start again from zero after forget (the domain left the host)", () => {
    const { m, advance } = meters();
    const d: MeteredDomain = { uuid, state: "running", vcpus: 1, memoryMb: 512 };
    m.observe(d);
    advance(100);
    m.forget(uuid);
    expect(m.counters(d).cpuNs).toBe(0);
  });
});
