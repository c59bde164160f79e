import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { readFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { inject } from "vitest";
import { freePort } from "./ports";

/**
 * Real agent and worker processes for integration tests, on loopback, with free ports: started,
 * signalled (SIGKILL, SIGSTOP/SIGCONT too), restarted on the same port and state directory.
 * The agent runs from an esbuild bundle by default (see agentBundle), under tsx otherwise.
 */

const ROOT = path.resolve(import.meta.dirname, "../..");

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

// ---------------------------------------------------------------------------------------------
// Temporary directories (agent state, the bundle): removed on request or when this process exits,
// and in any case with the run's scratch directory (global-setup.ts), should the process be killed
// ---------------------------------------------------------------------------------------------

const tempDirs: string[] = [];

function scratchRoot(): string {
  try {
    return inject("scratchDir") ?? os.tmpdir();
  } catch {
    return os.tmpdir(); // outside a test file (the global setup itself)
  }
}

export function tempDir(prefix: string): string {
  const dir = mkdtempSync(path.join(scratchRoot(), prefix));
  tempDirs.push(dir);
  return dir;
}

/** Removes every temporary directory made so far (the agent bundle too: the next start rebuilds it). */
export function removeTempDirs(): void {
  bundlePromise = null;
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}
process.once("exit", removeTempDirs);

export { freePort, freePortPair } from "./ports";

// ---------------------------------------------------------------------------------------------
// Processes
// ---------------------------------------------------------------------------------------------

export type Proc = {
  child: ChildProcess;
  pid: number;
  output: () => string;
  /** Sends a signal (SIGSTOP/SIGCONT too); no-op once the process is gone. */
  signal: (signal: NodeJS.Signals) => void;
  /** Sends the signal and waits for the exit (SIGTERM by default); no-op once the process is gone. */
  stop: (signal?: NodeJS.Signals) => Promise<void>;
  exited: () => boolean;
};

/** A node process in the project root; resolves once its output matches readyLine (30 s at most). */
export function spawnNode(args: string[], env: Record<string, string>, readyLine: RegExp, what: string): Promise<Proc> {
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { NODE_ENV: "test", PATH: process.env.PATH ?? "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const exited = () => child.exitCode !== null || child.signalCode !== null;
  const proc: Proc = {
    child,
    pid: child.pid!,
    output: () => output,
    exited,
    signal: (signal) => {
      if (!exited()) child.kill(signal);
    },
    stop: (signal = "SIGTERM") =>
      new Promise<void>((resolve) => {
        if (exited()) return resolve();
        child.once("exit", () => resolve());
        // A stopped process queues SIGTERM until it is continued.
        if (signal !== "SIGKILL") child.kill("SIGCONT");
        child.kill(signal);
      }),
  };
  return new Promise((resolve, reject) => {
    let ready = false;
    const timer = setTimeout(() => {
      if (!ready) {
        proc.signal("SIGKILL");
        reject(new Error(`${what} not ready in 30 s:\n${output}`));
      }
    }, 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.length > 200_000) output = output.slice(-100_000);
      if (!ready && readyLine.test(output)) {
        ready = true;
        clearTimeout(timer);
        resolve(proc);
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      if (!ready) reject(new Error(`${what} exited (${code ?? signal}) before it was ready:\n${output}`));
    });
  });
}

let bundlePromise: Promise<string | null> | null = null;

/**
 * The agent (server/agent/main.ts and everything it imports) bundled once into a single ES module
 * by esbuild, the compiler tsx itself uses. Each module's import.meta.url is rewritten to its
 * source file's, so paths it resolves (the realm policy) are the same as under tsx. A restart then
 * costs about a quarter of the CPU of `node --import tsx` (≈0.25 s instead of ≈1.1 s), which is
 * what lets a test kill and restart agents a hundred times on two cores. null if bundling fails
 * (callers fall back to tsx).
 */
export function agentBundle(): Promise<string | null> {
  bundlePromise ??= (async () => {
    try {
      const { build } = await import("esbuild");
      const outDir = tempDir("realmgate-agent-bundle-");
      const outfile = path.join(outDir, "agent.mjs");
      await build({
        entryPoints: [path.join(ROOT, "server/agent/main.ts")],
        bundle: true,
        platform: "node",
        format: "esm",
        target: "node20",
        outfile,
        logLevel: "silent",
        banner: {
          js: "import { createRequire as __rgCreateRequire } from 'node:module'; const require = __rgCreateRequire(import.meta.url);",
        },
        plugins: [
          {
            name: "source-relative-import-meta",
            setup(b) {
              b.onLoad({ filter: /\.(ts|tsx|mts)$/ }, async (args) => {
                const source = await readFile(args.path, "utf8");
                const contents = source
                  .replaceAll("import.meta.url", JSON.stringify(pathToFileURL(args.path).href))
                  .replaceAll("import.meta.dirname", JSON.stringify(path.dirname(args.path)))
                  .replaceAll("import.meta.filename", JSON.stringify(args.path));
                return { contents, loader: args.path.endsWith("x") ? "tsx" : "ts" };
              });
            },
          },
        ],
      });
      return outfile;
    } catch (error) {
      console.warn(`agent bundle failed, falling back to tsx: ${(error as Error).message}`);
      return null;
    }
  })();
  return bundlePromise;
}

export type AgentOptions = {
  hostName: string;
  secret: string;
  /** Restart on the host's state: pass the previous process's stateDir and port. */
  stateDir?: string;
  port?: number;
  /** Extra environment, e.g. REALMGATE_AGENT_TEST_HOOKS=1 (the crash hook). */
  env?: Record<string, string>;
  /** Run the esbuild bundle (default) or server/agent/main.ts under tsx. */
  bundled?: boolean;
};

export type AgentProc = Proc & { url: string; port: number; stateDir: string; hostName: string; secret: string; env: Record<string, string> };

/** An agent process (server/agent/main.ts) on loopback, ready once it listens. */
export async function startAgent(options: AgentOptions): Promise<AgentProc> {
  const port = options.port ?? (await freePort());
  const stateDir = options.stateDir ?? tempDir("realmgate-host-");
  const bundle = options.bundled === false ? null : await agentBundle();
  const args = bundle ? [bundle] : ["--import", "tsx", path.join(ROOT, "server/agent/main.ts")];
  const env = options.env ?? {};
  const proc = await spawnNode(
    args,
    {
      REALMGATE_HOST_NAME: options.hostName,
      REALMGATE_AGENT_PORT: String(port),
      REALMGATE_AGENT_SECRET: options.secret,
      REALMGATE_HOST_STATE_DIR: stateDir,
      ...env,
    },
    /listening on/,
    `agent ${options.hostName}`,
  );
  return { ...proc, url: `http://127.0.0.1:${port}`, port, stateDir, hostName: options.hostName, secret: options.secret, env };
}

/** The same agent again (after a stop or a SIGKILL): same host name, secret, port, state and environment. */
export function restartAgent(agent: AgentProc, options: { bundled?: boolean } = {}): Promise<AgentProc> {
  return startAgent({ hostName: agent.hostName, secret: agent.secret, stateDir: agent.stateDir, port: agent.port, env: agent.env, ...options });
}

export type WorkerOptions = {
  /** The platform role's URL. */
  databaseUrl: string;
  masterSecret: string;
  /** REALMGATE_WORKER_POLL_MS (default 200). */
  pollMs?: number;
  /** REALMGATE_HOST_POLL_MS (default 300). */
  hostPollMs?: number;
  /** REALMGATE_WORKER_LEASE_MS (the worker's default when unset). */
  leaseMs?: number;
  /** Extra environment, e.g. REALMGATE_HOST_LEASE_TIMEOUT_MS. */
  env?: Record<string, string>;
};

export type WorkerProc = Proc & { workerId: string };

/** A worker process (server/worker/main.ts under tsx), ready once it says which worker it is. */
export async function startWorker(options: WorkerOptions): Promise<WorkerProc> {
  const proc = await spawnNode(
    ["--import", "tsx", path.join(ROOT, "server/worker/main.ts")],
    {
      REALMGATE_PLATFORM_DATABASE_URL: options.databaseUrl,
      REALMGATE_AGENT_MASTER_SECRET: options.masterSecret,
      // The test run's audit secret (vitest.config.ts), so the worker's records and seals verify here.
      REALMGATE_AUDIT_SECRET: process.env.REALMGATE_AUDIT_SECRET ?? "",
      REALMGATE_AUDIT_CHECKPOINT_DIR: tempDir("audit-checkpoints-"),
      REALMGATE_WORKER_POLL_MS: String(options.pollMs ?? 200),
      REALMGATE_HOST_POLL_MS: String(options.hostPollMs ?? 300),
      ...(options.leaseMs ? { REALMGATE_WORKER_LEASE_MS: String(options.leaseMs) } : {}),
      ...options.env,
    },
    /started as /,
    "worker",
  );
  const workerId = /started as (\S+)/.exec(proc.output())![1]!;
  return { ...proc, workerId };
}

export async function waitFor<T>(probe: () => Promise<T | null | undefined | false>, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}
