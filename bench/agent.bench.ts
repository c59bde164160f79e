/**
 * The host agent at 100, 1,000 and 10,000 domains (issue 12, "agent"): does an operation cost
 * the same on a full host as on an empty one, how large are the state files, how long does a
 * restart take, and how much memory does the agent hold?
 *
 * Part 1 drives a Toolstack in process (the agent's core without HTTP): realms of one
 * management domain and guests, each guest created then started by its management domain
 * (XSM checks, ACM, journal append + fsync before the answer). The host is filled on tmpfs;
 * at each level the last BENCH_WINDOW create+start pairs are timed one by one there (the CPU
 * cost), then the directory is copied to disk, a second Toolstack opens it (snapshot + journal
 * replayed, compared with memory) and BENCH_WINDOW more pairs are timed durably.
 * Part 2 starts the real agent process (server/agent/main.ts under tsx) on the 10,000-domain
 * directory and drives it over its signed HTTP API as the worker does (server/worker/agent-client.ts):
 * time to listening, create+start over HTTP, and the process's resident memory.
 *
 * Baselines measured in the same run: one fsync'd append of a small record (the floor of a
 * durable operation) and one loopback HTTP round trip. Run: npx tsx bench/agent.bench.ts
 * (BENCH_LEVELS=100,1000 for a quick look).
 */
import { spawn } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { closeSync, cpSync, existsSync, fsyncSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync } from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { HostStore, readHostFiles } from "../server/agent/host-store";
import { Toolstack } from "../server/agent/toolstack";
import type { DomainRequest } from "../server/contracts/agent";
import { httpAgentClient } from "../server/worker/agent-client";
import { DEFAULT_ACM_POLICY, createSecurityModule } from "../server/xen";
import { DOM0_LABEL, SecurityServer, loadRealmPolicy } from "../server/xsm";
import { ROOT, freePort, percentile, sleep } from "./support";

const LEVELS = (process.env.BENCH_LEVELS ?? "100,1000,10000").split(",").map(Number);
const WINDOW = Number(process.env.BENCH_WINDOW ?? 200);
const REALMS = 50;
const RSS_LIMIT_MB = 300;

const mb = (bytes: number) => bytes / (1 << 20);
const fmt = (n: number, digits = 2) => n.toFixed(digits);
const policy = loadRealmPolicy();
const mgmtLabel = (realm: number) => `system_u:system_r:realm_mgmt_t:s0:c${2 * realm},c${2 * realm + 1}`;
const guestLabel = (realm: number) => `system_u:system_r:realm_guest_t:s0:c${2 * realm},c${2 * realm + 1}`;
const vm = (label: string) => ({ uuid: randomUUID(), name: `vm-${randomBytes(3).toString("hex")}`, label, vcpus: 1, memoryMb: 256 });

function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

// ---------------------------------------------------------------------------------------------
// Baselines
// ---------------------------------------------------------------------------------------------

function fsyncBaseline(dir: string, samples = 500): number[] {
  const fd = openSync(path.join(dir, "baseline.log"), "a");
  const line = `${JSON.stringify({ key: randomUUID(), result: { ok: true, avc: [], replayed: false }, changes: [{ table: "domains", key: "1", row: { state: "running" } }] })}\n`;
  const times: number[] = [];
  for (let i = 0; i < samples; i++) {
    const t = performance.now();
    writeSync(fd, line);
    fsyncSync(fd);
    times.push(performance.now() - t);
  }
  closeSync(fd);
  return times;
}

async function httpBaseline(samples = 500): Promise<number[]> {
  const server = http.createServer((_req, res) => res.end("{}"));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/`;
  const times: number[] = [];
  for (let i = 0; i < samples + 50; i++) {
    const t = performance.now();
    await (await fetch(url, { method: "POST", body: "{}" })).text();
    if (i >= 50) times.push(performance.now() - t);
  }
  await new Promise((r) => server.close(r));
  return times;
}

// ---------------------------------------------------------------------------------------------
// Part 1: the toolstack in process
// ---------------------------------------------------------------------------------------------

// One security module for every toolstack of the run: its AVC stays warm, as in a long-running agent.
const xsm = createSecurityModule(new SecurityServer(policy));
const openToolstack = (dir: string) => new Toolstack(xsm, { stateDir: dir, acm: { module: "chinese-wall+ste", policy: DEFAULT_ACM_POLICY } });

type Timed = { opsPerSec: number; p50: number; p99: number; max: number };
type Level = { domains: number; cpu: Timed; durable: Timed; snapshotMb: number; journalMb: number; restartMs: number; compactMs: number; rssMb: number; heapMb: number; replayEqual: boolean };

function createAndStart(ts: Toolstack, realm: number): number[] {
  const spec = vm(guestLabel(realm));
  const subjectLabel = mgmtLabel(realm);
  const times: number[] = [];
  for (const action of ["create", "start"] as const) {
    const request: DomainRequest = { idempotencyKey: randomUUID(), action, subjectLabel, vm: spec };
    const t = performance.now();
    const r = ts.apply(request);
    times.push(performance.now() - t);
    if (!r.ok) throw new Error(`${action} refused: ${r.error?.code} ${r.error?.message}`);
  }
  return times;
}

/** `pairs` create+start pairs, each operation timed. */
function window(ts: Toolstack, pairs: number, firstRealm: number): Timed {
  const times: number[] = [];
  const started = performance.now();
  for (let i = 0; i < pairs; i++) times.push(...createAndStart(ts, (firstRealm + i) % REALMS));
  const elapsed = performance.now() - started;
  return { opsPerSec: (times.length / elapsed) * 1000, p50: percentile(times, 50), p99: percentile(times, 99), max: Math.max(...times) };
}

/**
 * Fills a host on tmpfs (where fsync costs next to nothing, so the figures there are the CPU
 * cost, the part that could grow with the domain count); at each level copies its directory to
 * the disk, restarts a toolstack there (load time, and the loaded state compared with memory)
 * and times a durable window on it.
 */
function runInProcess(memDir: string, diskRoot: string): { levels: Level[]; diskDir: string } {
  // Warm-up on a throwaway host with every realm, so the first level is not timed on cold
  // (unoptimised) code and a cold AVC.
  const warmDir = path.join(memDir, "warm-up");
  const warm = openToolstack(warmDir);
  createRealms(warm);
  window(warm, 10 * REALMS, 0);
  warm.close();
  rmSync(warmDir, { recursive: true, force: true });

  const hostDir = path.join(memDir, "host");
  let ts: Toolstack | null = openToolstack(hostDir);
  createRealms(ts);
  let domains = 1 + REALMS;
  const levels: Level[] = [];
  let diskDir = "";
  for (const level of LEVELS) {
    const pairs = Math.min(WINDOW, level - domains);
    for (; domains < level - pairs; domains++) createAndStart(ts, domains % REALMS);
    const cpu = window(ts, pairs, domains);
    domains += pairs;
    const inMemory = JSON.stringify(ts.snapshot());
    ts.close();
    ts = null; // one host in memory at a time: the RSS figure is one agent's
    if (diskDir) rmSync(diskDir, { recursive: true, force: true });
    diskDir = path.join(diskRoot, `at-${domains}`);
    cpSync(hostDir, diskDir, { recursive: true });
    gc();
    const t = performance.now();
    const onDisk = openToolstack(diskDir);
    const restartMs = performance.now() - t;
    const replayEqual = JSON.stringify(onDisk.snapshot()) === inMemory;
    const durable = window(onDisk, WINDOW, 0);
    gc();
    const mem = process.memoryUsage();
    const { snapshotBytes, journalBytes } = HostStore.diskBytes(diskDir);
    onDisk.close();
    const compactMs = timeCompaction(diskDir, path.join(diskRoot, "compaction"));
    levels.push({ domains, cpu, durable, snapshotMb: mb(snapshotBytes), journalMb: mb(journalBytes), restartMs, compactMs, rssMb: mb(mem.rss), heapMb: mb(mem.heapUsed), replayEqual });
    console.log(`  ${domains} domains measured`);
    ts = openToolstack(hostDir);
  }
  ts?.close();
  return { levels, diskDir };
}

/** Each realm's management domain, created and started by dom0. */
function createRealms(ts: Toolstack): void {
  for (let realm = 0; realm < REALMS; realm++) {
    const spec = vm(mgmtLabel(realm));
    for (const action of ["create", "start"] as const) ts.apply({ idempotencyKey: randomUUID(), action, subjectLabel: DOM0_LABEL, vm: spec });
  }
}

/** One compaction of the host in `dir` (the pause the agent takes each time its journal outgrows the snapshot), on disk. */
function timeCompaction(dir: string, scratch: string): number {
  const state = readHostFiles(dir)!;
  const store = new HostStore(scratch);
  const t = performance.now();
  store.compact({ hypervisor: state.hypervisor, applied: state.applied });
  const ms = performance.now() - t;
  store.close();
  rmSync(scratch, { recursive: true, force: true });
  return ms;
}

// ---------------------------------------------------------------------------------------------
// Part 2: the agent process over signed HTTP
// ---------------------------------------------------------------------------------------------

async function runAgentProcess(dir: string, domains: number): Promise<{ startMs: number; p50: number; p99: number; opsPerSec: number; rssMb: number }> {
  const port = await freePort();
  const secret = randomBytes(32).toString("hex");
  const started = performance.now();
  const child = spawn(process.execPath, ["--import", "tsx", path.join(ROOT, "server/agent/main.ts")], {
    cwd: ROOT,
    env: { ...process.env, REALMGATE_HOST_NAME: "bench-host", REALMGATE_AGENT_PORT: String(port), REALMGATE_AGENT_SECRET: secret, REALMGATE_HOST_STATE_DIR: dir },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (c: Buffer) => (output += c.toString()));
  child.stderr.on("data", (c: Buffer) => (output += c.toString()));
  try {
    while (!output.includes("listening on")) {
      if (child.exitCode !== null) throw new Error(`agent exited: ${output}`);
      if (performance.now() - started > 60_000) throw new Error(`agent did not listen within 60 s: ${output}`);
      await sleep(10);
    }
    const startMs = performance.now() - started;
    const target = { url: `http://127.0.0.1:${port}`, secret };
    const times: number[] = [];
    const t0 = performance.now();
    for (let i = 0; i < WINDOW; i++) {
      const realm = i % REALMS;
      const spec = vm(guestLabel(realm));
      for (const action of ["create", "start"] as const) {
        const t = performance.now();
        const r = await httpAgentClient.apply(target, { idempotencyKey: randomUUID(), action, subjectLabel: mgmtLabel(realm), vm: spec });
        times.push(performance.now() - t);
        if (!r.ok) throw new Error(`${action} refused over HTTP: ${r.error?.code}`);
      }
    }
    const elapsed = performance.now() - t0;
    const status = readFileSync(`/proc/${child.pid}/status`, "utf8");
    const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
    const listed = (await httpAgentClient.status(target)).domains.length;
    if (listed !== domains + WINDOW) throw new Error(`agent lists ${listed} domains, expected ${domains + WINDOW}`);
    return { startMs, p50: percentile(times, 50), p99: percentile(times, 99), opsPerSec: (times.length / elapsed) * 1000, rssMb: rssKb / 1024 };
  } finally {
    child.kill("SIGTERM");
    await new Promise((r) => child.once("exit", r));
  }
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "realmgate-agent-bench-"));
  const memDir = mkdtempSync(path.join(existsSync("/dev/shm") ? "/dev/shm" : os.tmpdir(), "realmgate-agent-bench-"));
  try {
    console.log(`agent bench: levels ${LEVELS.join(", ")}; window ${WINDOW} create+start pairs; ${REALMS} realms; state in ${dir}`);
    const fsyncTimes = fsyncBaseline(dir);
    const httpTimes = await httpBaseline();
    const fsyncP50 = percentile(fsyncTimes, 50);
    const httpP50 = percentile(httpTimes, 50);
    console.log(`baseline: fsync'd append of a small record  p50 ${fmt(fsyncP50, 3)} ms  p99 ${fmt(percentile(fsyncTimes, 99), 3)} ms`);
    console.log(`baseline: loopback HTTP round trip           p50 ${fmt(httpP50, 3)} ms  p99 ${fmt(percentile(httpTimes, 99), 3)} ms`);

    const { levels, diskDir } = runInProcess(memDir, path.join(dir, "disk"));
    const top = levels.at(-1)!;
    const row = (cells: string[]) => console.log(cells.join(" | "));
    console.log("\nin process, Toolstack.apply (XSM + ACM + journal append + fsync), create and start timed one by one;");
    console.log(`cpu: on tmpfs (fsync ≈ free); durable: the same directory copied to disk, ${WINDOW} more pairs there`);
    row(["domains", "cpu ops/s", "cpu p50 ms", "cpu p99 ms", "durable ops/s", "durable p50 ms", "durable p99 ms", "durable max ms", "p50/fsync", "snapshot MB", "journal MB", "restart ms", "compaction ms", "loaded = memory", "RSS MB", "heap MB"]);
    for (const l of levels) {
      row([
        String(l.domains).padStart(7),
        fmt(l.cpu.opsPerSec, 0).padStart(9),
        fmt(l.cpu.p50, 3).padStart(10),
        fmt(l.cpu.p99, 3).padStart(10),
        fmt(l.durable.opsPerSec, 0).padStart(13),
        fmt(l.durable.p50, 3).padStart(14),
        fmt(l.durable.p99, 3).padStart(14),
        fmt(l.durable.max, 1).padStart(14),
        fmt(l.durable.p50 / fsyncP50).padStart(9),
        fmt(l.snapshotMb).padStart(11),
        fmt(l.journalMb).padStart(10),
        fmt(l.restartMs, 0).padStart(10),
        fmt(l.compactMs, 0).padStart(13),
        String(l.replayEqual).padStart(15),
        fmt(l.rssMb, 0).padStart(6),
        fmt(l.heapMb, 0).padStart(7),
      ]);
    }
    const first = levels[0]!;
    console.log(`cpu p50 at ${top.domains} / cpu p50 at ${first.domains}: ${fmt(top.cpu.p50 / first.cpu.p50)}; durable p50 ratio ${fmt(top.durable.p50 / first.durable.p50)} (1.00: the cost does not grow with the domain count)`);

    const agent = await runAgentProcess(diskDir, top.domains + WINDOW);
    console.log(`\nagent process on the ${top.domains}-domain directory, over signed HTTP (${WINDOW} create+start pairs):`);
    console.log(`  start (load snapshot + journal) to listening: ${fmt(agent.startMs, 0)} ms (includes tsx and the XSM policy load)`);
    console.log(`  apply p50 ${fmt(agent.p50, 3)} ms  p99 ${fmt(agent.p99, 3)} ms  ${fmt(agent.opsPerSec, 0)} ops/s;  p50 / HTTP baseline ${fmt(agent.p50 / httpP50)}  p50 / fsync baseline ${fmt(agent.p50 / fsyncP50)}`);
    console.log(`  agent RSS with ${top.domains + 2 * WINDOW} domains: ${fmt(agent.rssMb, 0)} MB (limit ${RSS_LIMIT_MB} MB: ${agent.rssMb < RSS_LIMIT_MB ? "ok" : "EXCEEDED"})`);
    if (!levels.every((l) => l.replayEqual)) throw new Error("a restarted toolstack did not load the state it had in memory");
    if (agent.rssMb >= RSS_LIMIT_MB) process.exitCode = 1;
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(memDir, { recursive: true, force: true });
  }
}

await main();
