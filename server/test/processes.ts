import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

/** Real agent and worker processes for integration tests, on loopback, with free ports. */

const ROOT = path.resolve(import.meta.dirname, "../..");

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export type RunningProcess = { child: ChildProcess; output: () => string; stop: (signal?: NodeJS.Signals) => Promise<void> };

function run(file: string, env: Record<string, string>, readyLine: RegExp | null): Promise<RunningProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", path.join(ROOT, file)], {
    env: { NODE_ENV: "test", PATH: process.env.PATH, ...env } as NodeJS.ProcessEnv,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const handle: RunningProcess = {
    child,
    output: () => output,
    stop: (signal = "SIGTERM") =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill(signal);
      }),
  };
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (readyLine?.test(output)) resolve(handle);
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.once("exit", (code) => reject(new Error(`${file} exited with ${code} before it was ready:\n${output}`)));
    if (!readyLine) resolve(handle);
    setTimeout(() => reject(new Error(`${file} not ready in 30 s:\n${output}`)), 30_000).unref();
  });
}

export type AgentProcess = RunningProcess & { url: string; port: number; stateDir: string; hostName: string; secret: string };

export async function startAgent(options: {
  hostName: string;
  secret: string;
  stateDir?: string;
  port?: number;
  env?: Record<string, string>;
}): Promise<AgentProcess> {
  const port = options.port ?? (await freePort());
  const stateDir = options.stateDir ?? mkdtempSync(path.join(os.tmpdir(), "realmgate-host-"));
  const proc = await run(
    "server/agent/main.ts",
    {
      REALMGATE_HOST_NAME: options.hostName,
      REALMGATE_AGENT_PORT: String(port),
      REALMGATE_AGENT_SECRET: options.secret,
      REALMGATE_HOST_STATE_DIR: stateDir,
      ...options.env,
    },
    /listening on/,
  );
  return { ...proc, url: `http://127.0.0.1:${port}`, port, stateDir, hostName: options.hostName, secret: options.secret };
}

export async function startWorker(options: { databaseUrl: string; masterSecret: string; env?: Record<string, string> }): Promise<RunningProcess> {
  return run(
    "server/worker/main.ts",
    {
      DATABASE_URL: options.databaseUrl,
      REALMGATE_AGENT_MASTER_SECRET: options.masterSecret,
      REALMGATE_WORKER_POLL_MS: "200",
      REALMGATE_HOST_POLL_MS: "300",
      ...options.env,
    },
    /started as/,
  );
}

export async function waitFor<T>(probe: () => Promise<T | null | undefined | false>, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
