/**
 * Lifecycle pipeline figures, end to end on the real product: browser-equivalent HTTP calls to
 * the Next.js server (next-auth session cookie, tRPC), the outbox in PostgreSQL, the worker, the
 * agents. Measured in one run, next to two baselines from the same run (one loopback HTTP round
 * trip, one PostgreSQL INSERT+COMMIT), and printed also as ratios to them.
 *   npx tsx bench/lifecycle.bench.ts
 * Env: BENCH_SECONDS (measurement window per concurrency level, default 10), BENCH_KEEP=1 (keep
 * the run's data directory for a post-mortem), BENCH_FRESH=1 (drop the cached build first).
 * See bench/README.md for what each figure means.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, utimesSync } from "node:fs";
import http from "node:http";
import { createRequire } from "node:module";
import net from "node:net";
import path from "node:path";
import pg from "pg";

const ROOT = path.resolve(import.meta.dirname, "..");
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const LEVELS = [1, 10, 50];
const PASSWORD = "realmgate-demo";
const EMAIL = "alice@acme.test";

type Autocannon = (opts: Record<string, unknown>) => Promise<{
  requests: { average: number };
  latency: { p50: number; p99: number };
  non2xx: number;
  errors: number;
}>;
const autocannon = createRequire(import.meta.url)("autocannon") as Autocannon;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const now = () => performance.now();

function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

/** Two consecutive free ports for the two agents (the launcher uses base, base + 1). */
async function freePortPair(): Promise<number> {
  for (;;) {
    const base = 20_000 + Math.floor(Math.random() * 30_000);
    if ((await portFree(base)) && (await portFree(base + 1))) return base;
  }
}

// ---------------------------------------------------------------------------------------------
// The product: the launcher, run from a private copy of the sources
// ---------------------------------------------------------------------------------------------

/**
 * `npm start` serves a production build and rebuilds .next when sources are newer. Rebuilding the
 * shared checkout's .next would pull it from under anyone else's running server, so the bench
 * syncs the sources into .data/bench-cache/app (ignored by git, ESLint and tsc; node_modules is a
 * link to the checkout's) with their timestamps, and lets the launcher build and run there: the
 * build is redone only when a source changed since the cached one.
 */
const SOURCES = [
  "app",
  "components",
  "server",
  "prisma",
  "scripts",
  "next.config.ts",
  "package.json",
  "tsconfig.json",
  "postcss.config.mjs",
  "next-env.d.ts",
];

function syncSources(app: string): void {
  if (process.env.BENCH_FRESH === "1") rmSync(app, { recursive: true, force: true });
  mkdirSync(app, { recursive: true });
  for (const entry of SOURCES) {
    const from = path.join(ROOT, entry);
    const to = path.join(app, entry);
    if (!existsSync(from)) continue;
    cpSync(from, to, { recursive: true, force: true, preserveTimestamps: true });
    copyDirTimes(from, to);
  }
  if (!existsSync(path.join(app, "node_modules")))
    symlinkSync(path.join(ROOT, "node_modules"), path.join(app, "node_modules"), "dir");
}

/** cpSync preserves file times, not directories': the launcher's staleness check reads both. */
function copyDirTimes(from: string, to: string): void {
  const stat = statSync(from);
  if (!stat.isDirectory()) return;
  for (const entry of readdirSync(from)) copyDirTimes(path.join(from, entry), path.join(to, entry));
  utimesSync(to, stat.atime, stat.mtime);
}

type Launched = { child: ChildProcess; web: string; databaseUrl: string; output: () => string };

async function launch(app: string, dataDir: string): Promise<Launched> {
  const webPort = await freePort();
  const pgPort = await freePort();
  const agentBase = await freePortPair();
  let output = "";
  const child = spawn(process.execPath, ["--import", "tsx", path.join(app, "scripts/realmgate.ts"), "start"], {
    cwd: app,
    env: {
      ...process.env,
      PORT: String(webPort),
      REALMGATE_PG_PORT: String(pgPort),
      REALMGATE_AGENT_BASE_PORT: String(agentBase),
      REALMGATE_DATA_DIR: dataDir,
      NEXT_TELEMETRY_DISABLED: "1",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const started = now();
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (/Building the web app|rebuilding/.test(chunk.toString()))
        console.log("  (the launcher is building the web app: about a minute)");
      if (output.includes("Realmgate is running")) resolve();
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.once("exit", (code) => reject(new Error(`launcher exited with ${code}:\n${output.slice(-3000)}`)));
    setTimeout(() => reject(new Error(`launcher not ready in 300 s:\n${output.slice(-3000)}`)), 300_000).unref();
  });
  console.log(
    `  product up in ${((now() - started) / 1000).toFixed(1)} s (web :${webPort}, PostgreSQL :${pgPort}, agents :${agentBase}-${agentBase + 1})`,
  );
  return {
    child,
    web: `http://127.0.0.1:${webPort}`,
    // The embedded server's superuser, whose password the launcher keeps with the other secrets.
    databaseUrl: `postgresql://postgres:${encodeURIComponent(JSON.parse(readFileSync(path.join(dataDir, "secrets.json"), "utf8")).postgresPassword)}@127.0.0.1:${pgPort}/realmgate`,
    output: () => output,
  };
}

async function stopLauncher(launched: Launched): Promise<void> {
  if (launched.child.exitCode !== null) return;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => {
      launched.child.kill("SIGKILL");
      resolve();
    }, 20_000);
    launched.child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    launched.child.kill("SIGINT");
  });
}

// ---------------------------------------------------------------------------------------------
// A signed-in API client (next-auth credentials → session cookie; tRPC over HTTP)
// ---------------------------------------------------------------------------------------------

function cookiesFrom(response: Response, jar: Map<string, string>): void {
  for (const line of response.headers.getSetCookie()) {
    const [pair] = line.split(";");
    const eq = pair!.indexOf("=");
    jar.set(pair!.slice(0, eq), pair!.slice(eq + 1));
  }
}
const cookieHeader = (jar: Map<string, string>) => [...jar].map(([k, v]) => `${k}=${v}`).join("; ");

async function signIn(web: string): Promise<string> {
  const jar = new Map<string, string>();
  const csrfResponse = await fetch(`${web}/api/auth/csrf`);
  cookiesFrom(csrfResponse, jar);
  const { csrfToken } = (await csrfResponse.json()) as { csrfToken: string };
  const response = await fetch(`${web}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookieHeader(jar) },
    body: new URLSearchParams({ csrfToken, email: EMAIL, password: PASSWORD, json: "true" }).toString(),
  });
  cookiesFrom(response, jar);
  if (![...jar.keys()].some((k) => k.includes("session-token"))) throw new Error(`sign-in failed (${response.status})`);
  return cookieHeader(jar);
}

class TrpcError extends Error {}

async function mutate<T>(web: string, cookie: string, procedure: string, input: unknown): Promise<T> {
  const response = await fetch(`${web}/api/trpc/${procedure}`, {
    method: "POST",
    headers: { "content-type": "application/json", cookie },
    body: JSON.stringify({ json: input }),
  });
  const body = (await response.json()) as { result?: { data: { json: T } }; error?: { json: { message: string } } };
  if (!response.ok || !body.result)
    throw new TrpcError(`${procedure}: ${response.status} ${body.error?.json.message ?? ""}`);
  return body.result.data.json;
}

// ---------------------------------------------------------------------------------------------
// Completion tracking: one batched query for all operations in flight
// ---------------------------------------------------------------------------------------------

class Completions {
  private readonly waiting = new Map<string, (finishedAt: number, status: string) => void>();
  private stopped = false;
  private readonly loop: Promise<void>;

  constructor(private readonly client: pg.Client) {
    this.loop = this.run();
  }

  wait(operationId: string): Promise<{ finishedAt: number; status: string }> {
    return new Promise((resolve) =>
      this.waiting.set(operationId, (finishedAt, status) => resolve({ finishedAt, status })),
    );
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      const ids = [...this.waiting.keys()];
      if (ids.length > 0) {
        const { rows } = await this.client.query<{ id: string; status: string; finished_at: Date }>(
          "SELECT id, status::text, finished_at FROM operations WHERE id = ANY($1::uuid[]) AND status IN ('succeeded', 'failed')",
          [ids],
        );
        for (const row of rows) {
          const resolve = this.waiting.get(row.id);
          this.waiting.delete(row.id);
          resolve?.(row.finished_at.getTime(), row.status);
        }
      }
      await sleep(5);
    }
  }

  async close(): Promise<void> {
    this.stopped = true;
    await this.loop;
  }
}

// ---------------------------------------------------------------------------------------------
// Baselines
// ---------------------------------------------------------------------------------------------

async function httpBaseline(): Promise<{ p50: number; p99: number; rps: number }> {
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.end('{"ok":true}');
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}/`;
  const samples: number[] = [];
  for (let i = 0; i < 2_200; i++) {
    const t0 = now();
    await (await fetch(url)).text();
    if (i >= 200) samples.push(now() - t0);
  }
  const cannon = await autocannon({ url, connections: 10, duration: 3 });
  server.close();
  return { p50: percentile(samples, 50), p99: percentile(samples, 99), rps: cannon.requests.average };
}

async function pgBaseline(databaseUrl: string): Promise<{ p50: number; p99: number }> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  await client.query("CREATE TABLE IF NOT EXISTS bench_scratch (id bigserial PRIMARY KEY, payload text NOT NULL)");
  const samples: number[] = [];
  for (let i = 0; i < 1_100; i++) {
    const t0 = now();
    await client.query("INSERT INTO bench_scratch (payload) VALUES ($1)", [randomUUID()]); // autocommit: INSERT + COMMIT
    if (i >= 100) samples.push(now() - t0);
  }
  await client.query("DROP TABLE bench_scratch");
  await client.end();
  return { p50: percentile(samples, 50), p99: percentile(samples, 99) };
}

// ---------------------------------------------------------------------------------------------
// The lifecycle load
// ---------------------------------------------------------------------------------------------

type LevelResult = {
  clients: number;
  accepted: number[];
  completed: number[];
  actionsPerSecond: number;
  refused: number;
  failed: number;
};

async function runLevel(
  web: string,
  cookie: string,
  completions: Completions,
  vms: { id: string; state: "stopped" | "running" }[],
  clients: number,
): Promise<LevelResult> {
  const accepted: number[] = [];
  const completed: number[] = [];
  let refused = 0;
  let failed = 0;
  let done = 0;
  const warmupEnd = now() + 2_000;
  const windowEnd = warmupEnd + SECONDS * 1_000;
  const client = async (vm: { id: string; state: "stopped" | "running" }) => {
    while (now() < windowEnd) {
      const action = vm.state === "stopped" ? "start" : "stop";
      const sentWall = Date.now();
      const t0 = now();
      let operationId: string;
      try {
        ({ operationId } = await mutate<{ operationId: string }>(web, cookie, `vm.${action}`, { vmId: vm.id }));
      } catch {
        refused += 1; // e.g. the VM's state was not yet what the last settled operation left
        await sleep(100);
        continue;
      }
      const acceptedMs = now() - t0;
      const outcome = await completions.wait(operationId);
      if (outcome.status === "succeeded") vm.state = action === "start" ? "running" : "stopped";
      else failed += 1;
      if (t0 >= warmupEnd && now() <= windowEnd) {
        accepted.push(acceptedMs);
        completed.push(Math.max(outcome.finishedAt - sentWall, acceptedMs));
        done += 1;
      }
    }
  };
  await Promise.all(vms.slice(0, clients).map(client));
  return { clients, accepted, completed, actionsPerSecond: done / SECONDS, refused, failed };
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const started = now();
  const runDir = path.join(ROOT, ".data", `bench-run-${randomUUID().slice(0, 8)}`);
  const app = path.join(ROOT, ".data", "bench-cache", "app");
  console.log(
    `Lifecycle bench (window ${SECONDS} s per level; data in ${path.relative(ROOT, runDir)}, build in ${path.relative(ROOT, app)})`,
  );
  syncSources(app);
  let launched: Launched | null = null;
  let db: pg.Client | null = null;
  let completions: Completions | null = null;
  try {
    launched = await launch(app, path.join(runDir, "data"));
    db = new pg.Client({ connectionString: launched.databaseUrl });
    await db.connect();
    const cookie = await signIn(launched.web);

    // Baselines, in the same run, on the same machine state.
    const httpBase = await httpBaseline();
    const pgBase = await pgBaseline(launched.databaseUrl);

    // One VM per client at the highest level, created through the API, settled.
    const { rows: templates } = await db.query<{ id: string }>("SELECT id FROM templates WHERE name = 'alpine-3-tiny'");
    const templateId = templates[0]!.id;
    completions = new Completions(db);
    const vms: { id: string; state: "stopped" | "running" }[] = [];
    const maxClients = Math.max(...LEVELS);
    for (let i = 0; i < maxClients; i += 10) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(10, maxClients - i) }, (_, j) =>
          mutate<{ vmId: string; operationId: string }>(launched!.web, cookie, "vm.create", {
            name: `bench-${i + j}-${randomUUID().slice(0, 4)}`,
            templateId,
          }),
        ),
      );
      for (const b of batch) {
        const outcome = await completions.wait(b.operationId);
        if (outcome.status !== "succeeded") throw new Error(`vm.create failed for ${b.vmId}`);
        vms.push({ id: b.vmId, state: "stopped" });
      }
    }

    // Authorized reads through the whole web stack (session check, realm, RLS transaction).
    const reads = await autocannon({
      url: `${launched.web}/api/trpc/vm.list`,
      connections: 10,
      duration: 5,
      headers: { cookie },
    });

    const levels: LevelResult[] = [];
    for (const clients of LEVELS) {
      process.stdout.write(`  ${clients} concurrent client(s)…`);
      const result = await runLevel(launched.web, cookie, completions, vms, clients);
      console.log(` ${result.accepted.length} actions`);
      levels.push(result);
    }

    // The table.
    const ms = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : "-");
    const ratio = (x: number, base: number) => (Number.isFinite(x) ? `${(x / base).toFixed(1)}×` : "-");
    const rows: string[][] = [
      ["figure", "p50 ms", "p99 ms", "p50 ÷ HTTP", "p50 ÷ PG commit", "per second"],
      [
        "baseline: loopback HTTP round trip (fetch → node:http)",
        ms(httpBase.p50),
        ms(httpBase.p99),
        "1.0×",
        ratio(httpBase.p50, pgBase.p50),
        `${Math.round(httpBase.rps)} req (10 conn)`,
      ],
      [
        "baseline: PostgreSQL INSERT + COMMIT (pg, fsync on)",
        ms(pgBase.p50),
        ms(pgBase.p99),
        ratio(pgBase.p50, httpBase.p50),
        "1.0×",
        "",
      ],
      [
        "authorized read vm.list (autocannon, 10 conn)",
        ms(reads.latency.p50),
        ms(reads.latency.p99),
        ratio(reads.latency.p50, httpBase.p50),
        ratio(reads.latency.p50, pgBase.p50),
        `${Math.round(reads.requests.average)} req`,
      ],
    ];
    for (const level of levels) {
      const a50 = percentile(level.accepted, 50);
      const c50 = percentile(level.completed, 50);
      rows.push([
        `vm.start/stop accepted, ${level.clients} client(s)`,
        ms(a50),
        ms(percentile(level.accepted, 99)),
        ratio(a50, httpBase.p50),
        ratio(a50, pgBase.p50),
        `${level.actionsPerSecond.toFixed(1)} actions`,
      ]);
      rows.push([
        `vm.start/stop completed, ${level.clients} client(s)`,
        ms(c50),
        ms(percentile(level.completed, 99)),
        ratio(c50, httpBase.p50),
        ratio(c50, pgBase.p50),
        "",
      ]);
    }
    const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
    console.log("");
    for (const [i, row] of rows.entries()) {
      console.log(row.map((cell, j) => (j === 0 ? cell.padEnd(widths[j]!) : cell.padStart(widths[j]!))).join("  "));
      if (i === 0) console.log(widths.map((w) => "-".repeat(w)).join("  "));
    }
    console.log("");
    for (const level of levels) {
      console.log(
        `  ${level.clients} client(s): ${level.accepted.length} actions in ${SECONDS} s, ${level.refused} refused requests, ${level.failed} failed operations`,
      );
    }
    if (reads.non2xx || reads.errors) console.log(`  vm.list: ${reads.non2xx} non-2xx answers, ${reads.errors} errors`);
    console.log(
      `  bench wall time ${((now() - started) / 1000).toFixed(0)} s on ${(await import("node:os")).cpus().length} cores`,
    );
  } finally {
    await completions?.close().catch(() => undefined);
    await db?.end().catch(() => undefined);
    if (launched) await stopLauncher(launched);
    if (process.env.BENCH_KEEP !== "1") rmSync(runDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
