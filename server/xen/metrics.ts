import { hash32 } from "./console";
import type { DomainRecord } from "./state";

/**
 * Per-domain counters, as `xl list` / xentop report them: CPU time, memory, disk and network
 * I/O. Derived from each domain's time spent running (tracked here, with the clock the shell
 * passes in): they grow only while it runs (CPU time with vCPUs × a load that drifts slowly),
 * stay flat while it is paused or stopped, and never go down within one meter epoch.
 *
 * The epoch is the agent process's: an agent restart (or a host crash) starts every domain's
 * counters again from zero under a new epoch, like a rebooted host's xentop; the sampler reads
 * a change of epoch (or a counter that went down) as a reset, not as a negative rate.
 *
 * Memory: one small record per domain that ever ran while this agent watched (no history).
 */

export type DomainCounters = {
  /** Seconds the domain has run in this epoch. */
  runningSeconds: number;
  cpuNs: number;
  memoryKb: number;
  memoryMaxKb: number;
  diskReadBytes: number;
  diskWriteBytes: number;
  diskReadOps: number;
  diskWriteOps: number;
  netRxBytes: number;
  netTxBytes: number;
};

type Profile = { load: number; ioRead: number; ioWrite: number; netRx: number; netTx: number; period: number };

/** A domain's workload, from its uuid: base rates and the period of their slow drift. */
export function profileOf(uuid: string): Profile {
  const h = (salt: string, mod: number) => hash32(`${salt}:${uuid}`) % mod;
  return {
    load: 0.05 + h("load", 40) / 100, // fraction of each vCPU, 5–45 %
    ioRead: 20_000 + h("rd", 400_000), // bytes/s
    ioWrite: 10_000 + h("wr", 200_000),
    netRx: 5_000 + h("rx", 150_000),
    netTx: 2_000 + h("tx", 80_000),
    period: 180 + h("period", 420), // seconds
  };
}

/** ∫ rate·(1 + ½·sin(2πt/P)) dt from t0 to t1 (seconds): ≥ 0 whenever t1 ≥ t0, since the integrand is. */
export function integral(rate: number, period: number, t0: number, t1: number): number {
  const w = (2 * Math.PI) / period;
  return rate * (t1 - t0) - (rate / (2 * w)) * (Math.cos(w * t1) - Math.cos(w * t0));
}

type Meter = {
  /** Running time folded so far (ms), and the wall time the current running stretch began (null: not running). */
  runMs: number;
  since: number | null;
  /** CPU time folded at the last vCPU change, and the running time (s) it was folded at. */
  cpuBaseNs: number;
  cpuBaseAt: number;
  vcpus: number;
};

export type MeteredDomain = Pick<DomainRecord, "uuid" | "state" | "vcpus" | "memoryMb">;

export class Meters {
  private readonly meters = new Map<string, Meter>();

  constructor(
    readonly epoch: string,
    private readonly now: () => number,
  ) {}

  get size(): number {
    return this.meters.size;
  }

  /** Brings the domain's meter up to now and to its current state (call after every change, and before reading). */
  observe(d: MeteredDomain): Meter {
    const now = this.now();
    let m = this.meters.get(d.uuid);
    if (!m) {
      m = { runMs: 0, since: null, cpuBaseNs: 0, cpuBaseAt: 0, vcpus: d.vcpus };
      this.meters.set(d.uuid, m);
    }
    if (m.vcpus !== d.vcpus) {
      // A resize: CPU time so far is kept at the old width, the rest accrues at the new one.
      const at = runSeconds(m, now);
      m.cpuBaseNs = cpuNs(d.uuid, m, at);
      m.cpuBaseAt = at;
      m.vcpus = d.vcpus;
    }
    const running = d.state === "running";
    if (running && m.since === null) m.since = now;
    if (!running && m.since !== null) {
      m.runMs += Math.max(0, now - m.since);
      m.since = null;
    }
    return m;
  }

  /** The domain's time running (s) in this epoch. */
  uptimeOf(uuid: string): number {
    const m = this.meters.get(uuid);
    return m ? runSeconds(m, this.now()) : 0;
  }

  counters(d: MeteredDomain): DomainCounters {
    const m = this.observe(d);
    const t = runSeconds(m, this.now());
    const p = profileOf(d.uuid);
    const rd = integral(p.ioRead, p.period * 1.3, 0, t);
    const wr = integral(p.ioWrite, p.period * 0.7, 0, t);
    const memoryMaxKb = d.memoryMb * 1024;
    const share = 0.18 + (hash32(`mem:${d.uuid}`) % 30) / 100;
    const memoryKb = d.state === "stopped" ? 0 : Math.round(memoryMaxKb * share * (0.55 + 0.45 * (1 - Math.exp(-t / 120))));
    return {
      runningSeconds: t,
      cpuNs: Math.floor(cpuNs(d.uuid, m, t)),
      memoryKb,
      memoryMaxKb,
      diskReadBytes: Math.floor(rd),
      diskWriteBytes: Math.floor(wr),
      diskReadOps: Math.floor(rd / 16_384),
      diskWriteOps: Math.floor(wr / 8_192),
      netRxBytes: Math.floor(integral(p.netRx, p.period * 0.9, 0, t)),
      netTxBytes: Math.floor(integral(p.netTx, p.period * 1.1, 0, t)),
    };
  }

  /** A host crash: every domain is gone. */
  clear(): void {
    this.meters.clear();
  }

  /** The domain is gone from this host (destroyed, saved, migrated away). */
  forget(uuid: string): void {
    this.meters.delete(uuid);
  }
}

function runSeconds(m: Meter, now: number): number {
  return (m.runMs + (m.since === null ? 0 : Math.max(0, now - m.since))) / 1000;
}

function cpuNs(uuid: string, m: Meter, at: number): number {
  const p = profileOf(uuid);
  return m.cpuBaseNs + m.vcpus * 1e9 * integral(p.load, p.period, m.cpuBaseAt, Math.max(at, m.cpuBaseAt));
}
