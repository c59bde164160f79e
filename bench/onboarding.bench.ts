/**
 * Onboarding figures: how fast organizations are accepted (the transaction that allocates the
 * category pair, writes organization + realm and requests the management VM) under concurrency,
 * and how long a realm takes to become ready (its management domain built and running by the
 * worker on a real agent). Printed next to one PostgreSQL INSERT+COMMIT measured in the same run.
 *   npx tsx bench/onboarding.bench.ts
 * Env: BENCH_ORGS (creations in the concurrent batch, default 1000), BENCH_WIDTH (creations in
 * flight, default 50), BENCH_SERIAL (organizations onboarded one at a time for the unloaded
 * time-to-ready, default 20), BENCH_READY_TIMEOUT_S (default 300). See bench/README.md.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { deriveHostSecret } from "../server/contracts/signing";
import { createDb } from "../server/db/client";
import { startEmbeddedPostgres } from "../server/db/embedded";
import { migrate } from "../server/db/migrate";
import { bootstrapRoles } from "../server/db/roles";
import { unsafeRegisterHost } from "../server/repositories/hosts";
import { DEFAULT_CATEGORY_RANGE } from "../server/services/categories";
import { MANAGEMENT_TEMPLATE_NAME, onboardOrganization } from "../server/services/organizations";
import { freePort, startAgent, startWorker, waitFor, type Proc } from "../server/test/processes";

// The audit records' MAC key, shared with the worker it starts (as the test run's is).
process.env.REALMGATE_AUDIT_SECRET ??= randomBytes(32).toString("base64url");
const ORGS = Number(process.env.BENCH_ORGS ?? 1_000);
const WIDTH = Number(process.env.BENCH_WIDTH ?? 50);
const SERIAL = Number(process.env.BENCH_SERIAL ?? 20);
const READY_TIMEOUT_MS = Number(process.env.BENCH_READY_TIMEOUT_S ?? 300) * 1_000;
const HOSTS = ["bench-a", "bench-b"];
const now = () => performance.now();

function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/**
 * CPU time (ms) used so far by these processes and their children (PostgreSQL's backends are
 * the postmaster's children), from /proc: a process that exited meanwhile is not counted.
 */
function cpuMs(rootPids: number[]): number {
  const stats = readdirSync("/proc")
    .filter((d) => /^\d+$/.test(d))
    .map((pid) => {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
        const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
        return { pid: Number(pid), ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) };
      } catch {
        return null;
      }
    })
    .filter((s) => s !== null);
  const counted = new Set(rootPids);
  for (let grew = true; grew; ) {
    grew = false;
    for (const s of stats) {
      if (counted.has(s.pid) || !counted.has(s.ppid)) continue;
      counted.add(s.pid);
      grew = true;
    }
  }
  return stats.filter((s) => counted.has(s.pid)).reduce((sum, s) => sum + s.ticks, 0) * (1000 / 100);
}

/** The embedded PostgreSQL's postmaster: the process whose command line names its data directory. */
function postmasterPid(dataDir: string): number | null {
  for (const pid of readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
    try {
      if (readFileSync(`/proc/${pid}/cmdline`, "utf8").includes(dataDir)) return Number(pid);
    } catch {
      // gone meanwhile
    }
  }
  return null;
}

async function pool(count: number, width: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(width, count) }, async () => {
      while (next < count) await task(next++);
    }),
  );
}

const dir = mkdtempSync(path.join(os.tmpdir(), "realmgate-bench-onboarding-"));
chmodSync(dir, 0o755); // as root, PostgreSQL runs as the postgres user and must reach it
const procs: Proc[] = [];
const cleanup = async () => {
  await Promise.all(procs.map((p) => p.stop("SIGTERM").catch(() => undefined)));
  await server?.stop().catch(() => undefined);
  rmSync(dir, { recursive: true, force: true });
};
let server: Awaited<ReturnType<typeof startEmbeddedPostgres>> | undefined;

try {
  console.log(
    `onboarding bench: ${ORGS} organizations, ${WIDTH} in flight; ${SERIAL} one at a time for the unloaded time-to-ready`,
  );
  server = await startEmbeddedPostgres({
    dataDir: path.join(dir, "pg"),
    port: await freePort(),
    password: randomBytes(16).toString("hex"),
  });
  const passwords = {
    owner: randomBytes(16).toString("hex"),
    tenant: randomBytes(16).toString("hex"),
    platform: randomBytes(16).toString("hex"),
  };
  const urls = await bootstrapRoles(server.url("postgres"), "realmgate_bench", passwords);
  await migrate(urls.owner);
  const owner = new pg.Client({ connectionString: urls.owner });
  await owner.connect();
  // Realms here are not limited by the documented default quotas (a bench, not a tenant).
  if ((await owner.query("SELECT to_regclass('quota_defaults') AS t")).rows[0].t) {
    await owner.query(
      `UPDATE "quota_defaults" SET "vcpus" = 100000, "memory_mb" = 100000000, "vms" = 100000, "disk_gb" = 10000000, "networks" = 100000`,
    );
  }

  // Baseline: one durable commit (autocommit INSERT, fsync on), sequential.
  await owner.query("CREATE TABLE bench_commit (id serial PRIMARY KEY, v text)");
  const commits: number[] = [];
  for (let i = 0; i < 500; i++) {
    const t0 = now();
    await owner.query("INSERT INTO bench_commit (v) VALUES ($1)", [randomUUID()]);
    commits.push(now() - t0);
  }
  await owner.end();
  const commitP50 = percentile(commits, 50);

  const db = createDb(urls.platform, { poolSize: Math.min(WIDTH, 40) });
  await db.template.create({
    data: {
      id: randomUUID(),
      name: MANAGEMENT_TEMPLATE_NAME,
      description: "management",
      vcpus: 1,
      memoryMb: 256,
      diskGb: 1,
    },
  });
  const masterSecret = randomBytes(32).toString("hex");
  const size = { vcpus: 100_000, memoryMb: 100_000_000 };
  for (const name of HOSTS) {
    const agent = await startAgent({
      hostName: name,
      secret: deriveHostSecret(masterSecret, name),
      env: { REALMGATE_HOST_VCPUS: String(size.vcpus), REALMGATE_HOST_MEMORY_MB: String(size.memoryMb) },
    });
    procs.push(agent);
    await unsafeRegisterHost(db, { name, agentUrl: agent.url, ...size });
  }
  procs.push(await startWorker({ databaseUrl: urls.platform, masterSecret, pollMs: 200, hostPollMs: 500 }));
  await waitFor(
    async () => (await db.host.count({ where: { status: "online" } })) === HOSTS.length,
    "hosts online",
    30_000,
  );
  const actor = { userId: randomUUID(), requestId: "bench" };
  const create = (prefix: string, i: number) =>
    onboardOrganization(db, {
      name: `${prefix} ${i}`,
      slug: `${prefix}-${i}-${randomUUID().slice(0, 6)}`,
      actor,
      range: DEFAULT_CATEGORY_RANGE,
    });

  async function readyLatencies(
    realmIds: string[],
    timeoutMs: number,
  ): Promise<{ ms: number[]; notReady: number; failed: number }> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const open = await db.realm.count({ where: { id: { in: realmIds }, status: "provisioning" } });
      if (open === 0 || Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    const rows = await db.realm.findMany({
      where: { id: { in: realmIds } },
      select: { status: true, createdAt: true, readyAt: true },
    });
    return {
      ms: rows.filter((r) => r.readyAt).map((r) => r.readyAt!.getTime() - r.createdAt.getTime()),
      notReady: rows.filter((r) => r.status === "provisioning").length,
      failed: rows.filter((r) => r.status === "failed").length,
    };
  }

  // Unloaded: one organization at a time, each waited until ready.
  const serialAccepted: number[] = [];
  const serialIds: string[] = [];
  for (let i = 0; i < SERIAL; i++) {
    const t0 = now();
    const { realmId } = await create("serial", i);
    serialAccepted.push(now() - t0);
    serialIds.push(realmId);
    await readyLatencies([realmId], 30_000);
  }
  const serialReady = await readyLatencies(serialIds, 1_000);

  // Loaded: ORGS creations, WIDTH in flight; then every realm's time-to-ready from its commit.
  const accepted: number[] = [];
  const batchIds: string[] = [];
  let refused = 0;
  const pgPids = [postmasterPid(path.join(dir, "pg"))].filter((p) => p !== null);
  const pipelinePids = procs.map((p) => p.pid);
  const cpu0 = { bench: process.cpuUsage(), pg: cpuMs(pgPids), pipeline: cpuMs(pipelinePids) };
  const t0 = now();
  await pool(ORGS, WIDTH, async (i) => {
    const start = now();
    try {
      batchIds.push((await create("batch", i)).realmId);
      accepted.push(now() - start);
    } catch (error) {
      refused++;
      if (refused <= 3) console.log(`  refused: ${(error as Error).message}`);
    }
  });
  const batchSeconds = (now() - t0) / 1_000;
  const benchCpu = process.cpuUsage(cpu0.bench);
  const cpu = {
    bench: (benchCpu.user + benchCpu.system) / 1_000,
    pg: cpuMs(pgPids) - cpu0.pg,
    pipeline: cpuMs(pipelinePids) - cpu0.pipeline,
  };
  const batchReady = await readyLatencies(batchIds, READY_TIMEOUT_MS);
  const allReadySeconds = batchReady.ms.length ? Math.max(...batchReady.ms) / 1_000 : NaN;

  const row = (label: string, values: number[], extra = "") => {
    const p50 = percentile(values, 50);
    const p99 = percentile(values, 99);
    console.log(
      `${label.padEnd(58)} ${p50.toFixed(2).padStart(9)} ${p99.toFixed(2).padStart(9)} ${(p50 / commitP50).toFixed(1).padStart(10)}×  ${extra}`,
    );
  };
  console.log(
    `\n${"figure".padEnd(58)} ${"p50 ms".padStart(9)} ${"p99 ms".padStart(9)} ${"p50÷commit".padStart(11)}  per second`,
  );
  row("baseline: PostgreSQL INSERT + COMMIT (pg, fsync on)", commits);
  row(
    "organization accepted, one at a time",
    serialAccepted,
    `${(1000 / percentile(serialAccepted, 50)).toFixed(1)} orgs`,
  );
  row("realm ready (mgmt VM created + started), one at a time", serialReady.ms);
  row(
    `organization accepted, ${ORGS} with ${WIDTH} in flight`,
    accepted,
    `${(accepted.length / batchSeconds).toFixed(1)} orgs accepted`,
  );
  row(
    `realm ready, ${ORGS} created at once (queue included)`,
    batchReady.ms,
    `${(batchReady.ms.length / allReadySeconds).toFixed(1)} realms ready`,
  );
  console.log(
    `\nbatch: ${accepted.length} accepted in ${batchSeconds.toFixed(1)} s, ${refused} refused; ${batchReady.ms.length} ready, ${batchReady.failed} failed, ${batchReady.notReady} still provisioning after the timeout`,
  );
  const per = (ms: number) => (accepted.length ? ms / accepted.length : NaN).toFixed(2);
  console.log(
    `CPU during the batch, per organization accepted: onboarding (this process) ${per(cpu.bench)} ms, PostgreSQL ${per(cpu.pg)} ms, ` +
      `worker + agents ${per(cpu.pipeline)} ms; ${os.cpus().length} cores × ${batchSeconds.toFixed(1)} s = ${per(os.cpus().length * batchSeconds * 1_000)} ms available`,
  );
  const pairs = await db.realm.groupBy({
    by: ["categoryLow", "categoryHigh"],
    _count: true,
    having: { categoryLow: { _count: { gt: 1 } } },
  });
  console.log(`category pairs held twice: ${pairs.length}`);
  await db.$disconnect();
} finally {
  await cleanup();
}
process.exit(0);
