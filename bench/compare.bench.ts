/**
 * Before/after on a busy machine: this checkout against another one (BENCH_BASE, e.g. a
 * `git worktree` of the commit before a change), both running at the same time, measured in
 * alternation so that whatever else the machine does weighs on both alike.
 *
 * Each side is the whole product as lifecycle.bench.ts starts it (launcher, embedded PostgreSQL,
 * worker, two agents, web server; built in its own checkout's .data/bench-cache/app). Then:
 * - per layer (session.me, realm.get, vm.list, vm.get), sequential requests, one to each side
 *   in turn (BENCH_SAMPLES per side, default 1,000): p50 and p99 per side;
 * - the lifecycle loop of lifecycle.bench.ts (one VM per client, start/stop, one in flight per
 *   VM) at BENCH_CLIENTS (default 16) for BENCH_SECONDS (default 5) on one side, then the other,
 *   BENCH_ROUNDS times (default 4, the first side alternating): actions per second, accepted p50,
 *   and CPU per action by process (from /proc) summed over the rounds;
 * - the ratio after ÷ before of each.
 *
 * Usage: git worktree add --detach ../before <rev> && (cd ../before && npm ci or a copy of
 * node_modules && node scripts/prisma-generate.mjs); BENCH_BASE=../before npx tsx bench/compare.bench.ts
 */
import { randomUUID } from "node:crypto";
import { rmSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import * as here from "./support";

type Support = typeof here;
const BASE = process.env.BENCH_BASE;
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 1_000);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 16);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 4);
const { now, percentile } = here;

type Side = {
  label: string;
  support: Support;
  launched: here.Launched;
  runDir: string;
  db: pg.Client;
  completions: here.Completions;
  cookie: string;
  vms: here.LifecycleVm[];
};

async function start(label: string, support: Support): Promise<Side> {
  const app = path.join(support.ROOT, ".data", "bench-cache", "app");
  support.syncSources(app);
  const runDir = path.join(support.ROOT, ".data", `bench-run-${randomUUID().slice(0, 8)}`);
  console.log(`${label}: ${support.ROOT}`);
  const launched = await support.launch(app, path.join(runDir, "data"), null, {
    REALMGATE_DEFAULT_QUOTA: "vcpus=1000,memoryMb=1000000,vms=1000,diskGb=100000,networks=100",
  });
  const db = new pg.Client({ connectionString: launched.databaseUrl });
  await db.connect();
  const completions = new support.Completions(db);
  const cookie = await support.signIn(launched.web);
  const { rows } = await db.query<{ id: string }>("SELECT id FROM templates WHERE name = 'alpine-3-tiny'");
  const vms: here.LifecycleVm[] = [];
  for (let i = 0; i < CLIENTS; i += 8) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(8, CLIENTS - i) }, (_, j) =>
        support.mutate<{ vmId: string; operationId: string }>(launched.web, cookie, "vm.create", { name: `cmp-${i + j}-${randomUUID().slice(0, 4)}`, templateId: rows[0]!.id }),
      ),
    );
    for (const b of batch) {
      if ((await completions.wait(b.operationId)).status !== "succeeded") throw new Error(`${label}: vm.create failed`);
      vms.push({ id: b.vmId, state: "stopped" });
    }
  }
  return { label, support, launched, runDir, db, completions, cookie, vms };
}

async function stop(side: Side): Promise<void> {
  await side.completions.close();
  await side.db.end();
  await side.support.stopLauncher(side.launched);
  rmSync(side.runDir, { recursive: true, force: true });
}

/**
 * One lifecycle window on one side: actions completed, accepted latencies, CPU by process. The
 * loop is this checkout's (bench/support.ts lifecycleWindow), for both sides: it only speaks HTTP.
 */
async function window(side: Side): Promise<{ actions: number; accepted: number[]; cpu: here.ProductCpu }> {
  let before: here.CpuReading | null = null;
  let cpu: here.ProductCpu | null = null;
  const { actions, accepted } = await here.lifecycleWindow(side.launched.web, side.cookie, side.completions, side.vms, { warmupMs: 1_000, seconds: SECONDS }, {
    atStart: () => (before = side.support.productCpu(side.launched)),
    atEnd: () => (cpu = side.support.cpuBetween(before!, side.support.productCpu(side.launched))),
  });
  return { actions, accepted, cpu: cpu! };
}

async function main(): Promise<void> {
  if (!BASE) throw new Error("BENCH_BASE: the path of the checkout to compare with (see the comment at the top)");
  const baseSupport = (await import(path.join(path.resolve(BASE), "bench", "support.ts"))) as Support;
  // One after the other: two builds at once would only slow both.
  const before = await start("before", baseSupport);
  const after = await start("after", here);
  try {
    const sides = [before, after];
    const layers: [string, (side: Side) => string][] = [
      ["session.me", () => "session.me"],
      ["realm.get", () => "realm.get"],
      ["vm.list (first page)", () => "vm.list"],
      ["vm.get", () => "vm.get"],
    ];
    const inputs = (side: Side, procedure: string) => (procedure === "vm.get" ? { vmId: side.vms[0]!.id } : procedure === "vm.list" ? { limit: 50 } : undefined);
    console.log(`\nper layer, ${SAMPLES} sequential requests per side, alternating (p50 / p99 ms):`);
    console.log(`  ${"request".padEnd(22)} ${"before".padStart(15)} ${"after".padStart(15)}  after ÷ before (p50)`);
    for (const [label, procedureOf] of layers) {
      const times = new Map<Side, number[]>(sides.map((s) => [s, []]));
      for (let i = 0; i < SAMPLES / 10 + SAMPLES; i++) {
        for (const side of i % 2 === 0 ? sides : [...sides].reverse()) {
          const procedure = procedureOf(side);
          const t0 = now();
          await side.support.query(side.launched.web, side.cookie, procedure, inputs(side, procedure));
          if (i >= SAMPLES / 10) times.get(side)!.push(now() - t0);
        }
      }
      const [b, a] = sides.map((s) => times.get(s)!);
      const cell = (t: number[]) => `${percentile(t, 50).toFixed(2)} / ${percentile(t, 99).toFixed(2)}`.padStart(15);
      console.log(`  ${label.padEnd(22)} ${cell(b!)} ${cell(a!)}  ${(percentile(a!, 50) / percentile(b!, 50)).toFixed(2)}`);
    }

    console.log(`\nlifecycle: ${CLIENTS} clients, ${ROUNDS} rounds of ${SECONDS} s per side, alternating:`);
    const totals = new Map<Side, { actions: number; accepted: number[]; cpu: here.ProductCpu }>(
      sides.map((s) => [s, { actions: 0, accepted: [], cpu: { web: 0, worker: 0, agents: 0, postgres: 0 } }]),
    );
    for (let round = 0; round < ROUNDS; round++) {
      for (const side of round % 2 === 0 ? sides : [...sides].reverse()) {
        const w = await window(side);
        const total = totals.get(side)!;
        total.actions += w.actions;
        total.accepted.push(...w.accepted);
        for (const key of Object.keys(total.cpu) as (keyof here.ProductCpu)[]) total.cpu[key] += w.cpu[key];
        console.log(`  round ${round + 1} ${side.label.padEnd(6)} ${(w.actions / SECONDS).toFixed(1).padStart(7)} actions/s`);
      }
    }
    const figures = sides.map((side) => {
      const t = totals.get(side)!;
      const per = (ms: number) => ms / Math.max(t.actions, 1);
      return {
        rate: t.actions / (ROUNDS * SECONDS),
        accepted: percentile(t.accepted, 50),
        web: per(t.cpu.web),
        worker: per(t.cpu.worker),
        agents: per(t.cpu.agents),
        postgres: per(t.cpu.postgres),
        total: per(t.cpu.web + t.cpu.worker + t.cpu.agents + t.cpu.postgres),
      };
    });
    console.log(`\n  ${"figure".padEnd(34)} ${"before".padStart(8)} ${"after".padStart(8)}  after ÷ before`);
    for (const [label, key, digits] of [
      ["actions/s", "rate", 1],
      ["accepted p50 (ms)", "accepted", 2],
      ["CPU per action: web (ms)", "web", 2],
      ["CPU per action: worker (ms)", "worker", 2],
      ["CPU per action: agents (ms)", "agents", 2],
      ["CPU per action: PostgreSQL (ms)", "postgres", 2],
      ["CPU per action: total (ms)", "total", 2],
    ] as const) {
      const [b, a] = figures.map((f) => f[key]);
      console.log(`  ${label.padEnd(34)} ${b!.toFixed(digits).padStart(8)} ${a!.toFixed(digits).padStart(8)}  ${(a! / b!).toFixed(2)}`);
    }
  } finally {
    await Promise.allSettled([stop(before), stop(after)]);
  }
}

await main();
