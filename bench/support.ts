/**
 * What the end-to-end benches share: the product started through the launcher from a private copy
 * of the sources, a signed-in HTTP client (next-auth session cookie, tRPC), completion tracking of
 * operations, percentiles, free ports, and the resident memory of the product's processes.
 * Used by bench/lifecycle.bench.ts and bench/scale.bench.ts (see bench/README.md).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, utimesSync } from "node:fs";
import path from "node:path";
import { generate } from "otplib";
import type pg from "pg";
import { freePort, freePortPair } from "../server/test/ports";

export const ROOT = path.resolve(import.meta.dirname, "..");
export const DEMO_PASSWORD = "realmgate-demo";

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
export const now = () => performance.now();

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

// The integration tests' own (the launcher's agents take a base port and the next one).
export { freePort, freePortPair };

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
  // Tailwind skips what .gitignore names (.next, .data): without it the CSS build scans them.
  ".gitignore",
];

export function syncSources(app: string): void {
  if (process.env.BENCH_FRESH === "1") rmSync(app, { recursive: true, force: true });
  mkdirSync(app, { recursive: true });
  let changed = false;
  for (const entry of SOURCES) {
    const from = path.join(ROOT, entry);
    const to = path.join(app, entry);
    if (!existsSync(from)) continue;
    changed ||= differs(from, to);
    changed = removeExtra(from, to) || changed;
    cpSync(from, to, { recursive: true, force: true, preserveTimestamps: true });
    copyDirTimes(from, to);
  }
  // The launcher rebuilds when a source is newer than the last build. A file edited while that
  // build ran (after the sync it built from) is older than the build yet not in it: drop the
  // build's id so that any change since the last sync rebuilds.
  if (changed) rmSync(path.join(app, ".next", "BUILD_ID"), { force: true });
  if (!existsSync(path.join(app, "node_modules")))
    symlinkSync(path.join(ROOT, "node_modules"), path.join(app, "node_modules"), "dir");
}

/** Removes what `to` holds and `from` no longer does (a deleted source must not stay in the build). */
function removeExtra(from: string, to: string): boolean {
  if (!existsSync(to) || !statSync(from).isDirectory() || !statSync(to).isDirectory()) return false;
  let removed = false;
  for (const entry of readdirSync(to)) {
    if (!existsSync(path.join(from, entry))) {
      rmSync(path.join(to, entry), { recursive: true, force: true });
      removed = true;
    } else removed = removeExtra(path.join(from, entry), path.join(to, entry)) || removed;
  }
  return removed;
}

/** Whether any file under `from` is missing from `to` or differs from it in size or mtime. */
function differs(from: string, to: string): boolean {
  if (!existsSync(to)) return true;
  const a = statSync(from);
  const b = statSync(to);
  if (!a.isDirectory()) return a.size !== b.size || a.mtimeMs !== b.mtimeMs;
  return readdirSync(from).some((entry) => differs(path.join(from, entry), path.join(to, entry)));
}

/** cpSync preserves file times, not directories': the launcher's staleness check reads both. */
function copyDirTimes(from: string, to: string): void {
  const stat = statSync(from);
  if (!stat.isDirectory()) return;
  for (const entry of readdirSync(from)) copyDirTimes(path.join(from, entry), path.join(to, entry));
  utimesSync(to, stat.atime, stat.mtime);
}

export type Launched = {
  child: ChildProcess;
  web: string;
  /** The embedded server's superuser. */
  databaseUrl: string;
  /** The same server as the tenant role (row-level security applies). */
  tenantUrl: string;
  /** The same server as the platform role (BYPASSRLS). */
  platformUrl: string;
  output: () => string;
};

/**
 * Starts the product (`scripts/realmgate.ts start`) from `app` on free ports with a fresh data
 * directory; `env` adds to (or overrides) the launcher's environment.
 */
export async function launch(app: string, dataDir: string, profileDir: string | null, env: Record<string, string> = {}): Promise<Launched> {
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
      ...env,
      ...(profileDir ? { REALMGATE_CPU_PROF_DIR: profileDir } : {}),
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
    const timeoutS = Number(process.env.BENCH_LAUNCH_TIMEOUT_S ?? 300);
    setTimeout(() => reject(new Error(`launcher not ready in ${timeoutS} s:\n${output.slice(-3000)}`)), timeoutS * 1_000).unref();
  }).catch((error: unknown) => {
    // Not left running (and building) behind a bench that gave up on it.
    if (child.exitCode === null) child.kill("SIGINT");
    throw error;
  });
  console.log(
    `  product up in ${((now() - started) / 1000).toFixed(1)} s (web :${webPort}, PostgreSQL :${pgPort}, agents :${agentBase}-${agentBase + 1})`,
  );
  // The launcher keeps the superuser's and the roles' passwords with the other secrets.
  const secrets = JSON.parse(readFileSync(path.join(dataDir, "secrets.json"), "utf8")) as {
    postgresPassword: string;
    databasePasswords: { tenant: string; platform: string };
  };
  const url = (user: string, password: string) => `postgresql://${user}:${encodeURIComponent(password)}@127.0.0.1:${pgPort}/realmgate`;
  return {
    child,
    web: `http://127.0.0.1:${webPort}`,
    databaseUrl: url("postgres", secrets.postgresPassword),
    tenantUrl: url("realmgate_app", secrets.databasePasswords.tenant),
    platformUrl: url("realmgate_platform", secrets.databasePasswords.platform),
    output: () => output,
  };
}

/**
 * Ctrl-C, as a person would: the launcher sends SIGTERM to its children, whose handlers end in
 * process.exit, which is when --cpu-prof writes the profiles. Returns false if it had to be killed.
 */
export async function stopLauncher(launched: Launched): Promise<boolean> {
  if (launched.child.exitCode !== null) return true;
  return new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => {
      launched.child.kill("SIGKILL");
      resolve(false);
    }, 30_000);
    launched.child.once("exit", () => {
      clearTimeout(timer);
      resolve(true);
    });
    launched.child.kill("SIGINT");
  });
}

// ---------------------------------------------------------------------------------------------
// Resident memory of the product's processes (Linux /proc)
// ---------------------------------------------------------------------------------------------

/** pid → parent pid, for every process. */
function processTable(): Map<number, number> {
  const table = new Map<number, number>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // "pid (comm) state ppid …": comm may hold spaces and parentheses, so read after the last ')'.
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      table.set(Number(entry), Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]));
    } catch {
      // exited meanwhile
    }
  }
  return table;
}

function rssKb(pid: number): number {
  try {
    const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

function cmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " ");
  } catch {
    return "";
  }
}

/**
 * The web server's command line; `next-server` is the web process of a checkout from before
 * server/web (it ran `next start`, which renames its process), for compare.bench.ts against one.
 */
const isWebProcess = (command: string) => command.includes("server/web/main.ts") || command.startsWith("next-server");

/**
 * VmRSS of the launcher's web server, worker and agents (each with its own child processes, if
 * any), in MB. PostgreSQL is left out: its shared buffers would be counted once per backend.
 */
export function productRss(launched: Launched): { web: number; worker: number; agents: number[] } {
  const table = processTable();
  const children = (pid: number) => [...table].filter(([, parent]) => parent === pid).map(([child]) => child);
  const tree = (pid: number): number => rssKb(pid) + children(pid).reduce((sum, child) => sum + tree(child), 0);
  const result = { web: 0, worker: 0, agents: [] as number[] };
  for (const pid of children(launched.child.pid!).sort((a, b) => a - b)) {
    const command = cmdline(pid);
    const mb = tree(pid) / 1024;
    if (command.includes("server/agent/main.ts")) result.agents.push(mb);
    else if (command.includes("server/worker/main.ts")) result.worker += mb;
    else if (isWebProcess(command)) result.web += mb;
  }
  return result;
}

function cpuTicks(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return 0;
  }
}

export type ProductCpu = { web: number; worker: number; agents: number; postgres: number };
/** CPU ticks per process of the product, by process (a reading; compare two with cpuBetween). */
export type CpuReading = Map<number, { group: keyof ProductCpu; ticks: number }>;

/**
 * CPU ticks (user + system) of the launcher's web server, worker, agents and PostgreSQL
 * (postmaster and backends), each with its children, per process, from /proc.
 */
export function productCpu(launched: Launched): CpuReading {
  const table = processTable();
  const children = (pid: number) => [...table].filter(([, parent]) => parent === pid).map(([child]) => child);
  const reading: CpuReading = new Map();
  const add = (pid: number, group: keyof ProductCpu) => {
    reading.set(pid, { group, ticks: cpuTicks(pid) });
    for (const child of children(pid)) add(child, group);
  };
  for (const pid of children(launched.child.pid!)) {
    const command = cmdline(pid);
    if (command.includes("server/agent/main.ts")) add(pid, "agents");
    else if (command.includes("server/worker/main.ts")) add(pid, "worker");
    else if (isWebProcess(command)) add(pid, "web");
    else if (/postgres/.test(command)) add(pid, "postgres");
  }
  return reading;
}

/**
 * CPU time (ms) each part used between two readings. A process that exited in between (a
 * backend whose connection closed) is left out; one that started counts from zero.
 */
export function cpuBetween(before: CpuReading, after: CpuReading): ProductCpu {
  const used: ProductCpu = { web: 0, worker: 0, agents: 0, postgres: 0 };
  for (const [pid, { group, ticks }] of after) used[group] += (ticks - (before.get(pid)?.ticks ?? 0)) * 10; // 100 ticks per second
  return used;
}

/** One line: "RSS <label>: web … MB, worker … MB, agents … MB / … MB". */
export function rssLine(launched: Launched, label: string): string {
  const rss = productRss(launched);
  return `  RSS ${label}: web ${rss.web.toFixed(0)} MB, worker ${rss.worker.toFixed(0)} MB, agents ${rss.agents.map((a) => `${a.toFixed(0)} MB`).join(" / ") || "-"}`;
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

/** The `error` of next-auth's JSON answer ({url}) to a credentials callback, or null. */
async function signInError(response: Response): Promise<string | null> {
  const body = (await response.clone().json().catch(() => null)) as { url?: string } | null;
  return body?.url ? new URL(body.url, "http://localhost").searchParams.get("error") : null;
}

/**
 * next-auth credentials sign-in; returns the Cookie header. With `totpSecret` (the demo operator's,
 * prisma/seed.ts), answers the second factor with the current code, or the next step's when this
 * step's code was used already (as e2e/fixtures.ts apiSignIn does).
 */
export async function signIn(web: string, email = "alice@acme.test", password = DEMO_PASSWORD, totpSecret?: string): Promise<string> {
  const jar = new Map<string, string>();
  const csrfResponse = await fetch(`${web}/api/auth/csrf`);
  cookiesFrom(csrfResponse, jar);
  const { csrfToken } = (await csrfResponse.json()) as { csrfToken: string };
  const post = (code?: string) =>
    fetch(`${web}/api/auth/callback/credentials`, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookieHeader(jar) },
      body: new URLSearchParams({ csrfToken, email, password, json: "true", ...(code ? { code } : {}) }).toString(),
    });
  let response = await post();
  if (totpSecret && (await signInError(response)) === "MfaRequired") {
    for (let attempt = 0; attempt < 6; attempt++) {
      response = await post(await generate({ secret: totpSecret, epoch: Math.floor(Date.now() / 1000) + 30 * (attempt % 2) }));
      if ((await signInError(response)) !== "MfaReused") break;
      if (attempt % 2 === 1) await sleep(31_000 - (Date.now() % 30_000));
    }
  }
  cookiesFrom(response, jar);
  if (![...jar.keys()].some((k) => k.includes("session-token"))) throw new Error(`sign-in of ${email} failed (${response.status})`);
  return cookieHeader(jar);
}

export class TrpcError extends Error {}

export async function mutate<T>(web: string, cookie: string, procedure: string, input: unknown): Promise<T> {
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

/** The URL of a tRPC query (GET) with its input, as the tRPC client sends it (superjson-style {json}). */
export function queryUrl(web: string, procedure: string, input?: unknown): string {
  const url = `${web}/api/trpc/${procedure}`;
  return input === undefined ? url : `${url}?input=${encodeURIComponent(JSON.stringify({ json: input }))}`;
}

export async function query<T>(web: string, cookie: string, procedure: string, input?: unknown): Promise<T> {
  const response = await fetch(queryUrl(web, procedure, input), { headers: { cookie } });
  const body = (await response.json()) as { result?: { data: { json: T } }; error?: { json: { message: string } } };
  if (!response.ok || !body.result)
    throw new TrpcError(`${procedure}: ${response.status} ${body.error?.json.message ?? ""}`);
  return body.result.data.json;
}

// ---------------------------------------------------------------------------------------------
// Completion tracking: one batched query for all operations in flight
// ---------------------------------------------------------------------------------------------

export class Completions {
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
// The lifecycle's closed loop (lifecycle.bench.ts levels, compare.bench.ts rounds)
// ---------------------------------------------------------------------------------------------

export type LifecycleVm = { id: string; state: "stopped" | "running" };
export type LifecycleWindow = { accepted: number[]; completed: number[]; actions: number; refused: number; failed: number };

/**
 * One window of the lifecycle loop: every VM alternates start and stop, its next action sent only
 * once the previous one settled (the one-in-flight rule per VM), until the window ends. Only
 * actions sent after the warm-up and settled inside the window count: accepted is request to
 * answer, completed request to the operation's finished_at. `edges` run at the window's start
 * and end (CPU and statement readings), not when the last client's action settles.
 */
export async function lifecycleWindow(
  web: string,
  cookie: string,
  completions: Pick<Completions, "wait">,
  vms: LifecycleVm[],
  timing: { warmupMs: number; seconds: number },
  edges: { atStart: () => unknown; atEnd: () => unknown },
): Promise<LifecycleWindow> {
  const result: LifecycleWindow = { accepted: [], completed: [], actions: 0, refused: 0, failed: 0 };
  const warmupEnd = now() + timing.warmupMs;
  const windowEnd = warmupEnd + timing.seconds * 1_000;
  const client = async (vm: LifecycleVm) => {
    while (now() < windowEnd) {
      const action = vm.state === "stopped" ? "start" : "stop";
      const sentWall = Date.now();
      const t0 = now();
      let operationId: string;
      try {
        ({ operationId } = await mutate<{ operationId: string }>(web, cookie, `vm.${action}`, { vmId: vm.id }));
      } catch {
        result.refused += 1; // e.g. the VM's state was not yet what the last settled operation left
        await sleep(100);
        continue;
      }
      const acceptedMs = now() - t0;
      const outcome = await completions.wait(operationId);
      if (outcome.status === "succeeded") vm.state = action === "start" ? "running" : "stopped";
      else result.failed += 1;
      if (t0 >= warmupEnd && now() <= windowEnd) {
        result.accepted.push(acceptedMs);
        result.completed.push(Math.max(outcome.finishedAt - sentWall, acceptedMs));
        result.actions += 1;
      }
    }
  };
  const readings = Promise.all([sleep(warmupEnd - now()).then(edges.atStart), sleep(windowEnd - now()).then(edges.atEnd)]);
  await Promise.all(vms.map(client));
  await readings;
  return result;
}
