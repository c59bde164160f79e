import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import type { Db } from "../db/client";
import { startEmbeddedPostgres, type EmbeddedServer } from "../db/embedded";
import { migrate } from "../db/migrate";
import { bootstrapRoles } from "../db/roles";
import { roleClients, type RoleClients } from "./db";
import { readHostFiles } from "../agent/host-store";
import { PLATFORM_BACKENDS } from "../xen";
import { liftDefaultQuotas } from "./quotas";
import { freePort, sleep } from "./processes";

/**
 * Helpers specific to the fault-injection tests (server/worker/faults.int.test.ts): a PostgreSQL
 * server of one's own that can be restarted; a pass-through proxy in front of an agent that can
 * hold an answer back; batched waits for operations to settle; the hypervisor's own record read
 * from the agent's state file, and the comparison of the operations log with that record. The
 * agent and worker processes themselves come from server/test/processes.ts.
 */

export const randomBetween = (min: number, max: number) => min + Math.random() * (max - min);

// ---------------------------------------------------------------------------------------------
// PostgreSQL of one's own (restartable)
// ---------------------------------------------------------------------------------------------

export type OwnPostgres = {
  port: number;
  dir: string;
  adminUrl: string;
  /** The migrated database's platform and tenant clients (each logged in as its own role). */
  clients: (poolSize: number) => RoleClients;
  running: () => boolean;
  /** fast: SIGINT (what EmbeddedServer.stop does); immediate: SIGQUIT, no checkpoint, WAL recovery at the next start. */
  stop: (mode?: "fast" | "immediate") => Promise<void>;
  start: () => Promise<void>;
  /** Stops the server and removes its directory. */
  destroy: () => Promise<void>;
};

function postmasterPid(dataDir: string): number | null {
  const file = path.join(dataDir, "postmaster.pid");
  if (!existsSync(file)) return null;
  const pid = Number(readFileSync(file, "utf8").split("\n")[0]);
  return Number.isInteger(pid) && pid > 0 ? pid : null;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

/** An embedded PostgreSQL in a temporary directory with one migrated database. */
export async function startOwnPostgres(database: string): Promise<OwnPostgres> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "realmgate-faults-pg-"));
  chmodSync(dir, 0o755); // as root, PostgreSQL runs as the postgres user and must reach it
  const dataDir = path.join(dir, "pg");
  const port = await freePort();
  const password = randomBytes(16).toString("hex");
  let server: EmbeddedServer | null = await startEmbeddedPostgres({ dataDir, port, password });
  const adminUrl = server.url("postgres");
  const hex = () => randomBytes(16).toString("hex");
  const urls = await bootstrapRoles(adminUrl, database, { owner: hex(), tenant: hex(), platform: hex() });
  await migrate(urls.owner);
  await liftDefaultQuotas(urls.owner);
  const own: OwnPostgres = {
    port,
    dir,
    adminUrl,
    clients: (poolSize) => roleClients(urls, poolSize),
    running: () => server !== null,
    async stop(mode = "fast") {
      if (!server) return;
      const current = server;
      server = null;
      if (mode === "fast") return current.stop();
      // SIGQUIT first, then EmbeddedServer.stop() in the same tick: it registers its exit
      // listener before the exit can be observed (its SIGINT then finds a server already
      // going down the immediate path: no shutdown checkpoint, WAL recovery at the next start).
      const pid = postmasterPid(dataDir);
      if (pid) process.kill(pid, "SIGQUIT");
      await current.stop();
      const deadline = Date.now() + 20_000;
      while ((pid && alive(pid)) || !(await portFree(port))) {
        if (Date.now() > deadline) throw new Error("PostgreSQL did not stop after SIGQUIT");
        await sleep(50);
      }
    },
    async start() {
      if (server) return;
      const deadline = Date.now() + 20_000;
      while (!(await portFree(port))) {
        if (Date.now() > deadline) throw new Error(`port ${port} still busy`);
        await sleep(50);
      }
      server = await startEmbeddedPostgres({ dataDir, port, password });
    },
    async destroy() {
      await own.stop("fast").catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return own;
}

// ---------------------------------------------------------------------------------------------
// Waiting for operations
// ---------------------------------------------------------------------------------------------

export type SettledOp = { id: string; status: "succeeded" | "failed"; lastError: string | null };

/**
 * Resolves waits for operations to settle with one batched query per interval, instead of one
 * polling loop per waiter. Query errors (a database restarting) are ignored: the next round retries.
 */
export class SettleWatcher {
  private readonly waiting = new Map<string, (op: SettledOp) => void>();
  private timer: NodeJS.Timeout | null = null;
  private closed = false;
  private busy = false;

  constructor(
    private readonly db: Db,
    private readonly intervalMs = 50,
  ) {}

  wait(operationId: string): Promise<SettledOp> {
    return new Promise((resolve) => {
      this.waiting.set(operationId, resolve);
      if (!this.timer && !this.busy && !this.closed) this.timer = setTimeout(() => void this.round(), this.intervalMs);
    });
  }

  private async round(): Promise<void> {
    this.timer = null;
    if (this.busy) return;
    this.busy = true;
    try {
      const ids = [...this.waiting.keys()];
      if (ids.length > 0) {
        const rows = await this.db.operation.findMany({
          where: { id: { in: ids }, status: { in: ["succeeded", "failed"] } },
          select: { id: true, status: true, lastError: true },
        });
        for (const row of rows) {
          const resolve = this.waiting.get(row.id);
          this.waiting.delete(row.id);
          resolve?.(row as SettledOp);
        }
      }
    } catch {
      /* database unavailable: retried next round */
    } finally {
      this.busy = false;
      if (this.waiting.size > 0 && !this.closed) this.timer = setTimeout(() => void this.round(), this.intervalMs);
    }
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}

// ---------------------------------------------------------------------------------------------
// The hypervisor's own record, and the operations log compared with it
// ---------------------------------------------------------------------------------------------

const PLATFORM_BACKEND_UUIDS = new Set(Object.values(PLATFORM_BACKENDS).map((b) => b.uuid));

export type HostDomain = { uuid: string; domid: number; state: string; history: string[]; historyDropped?: number };
export type HostRecord = {
  bootId: string;
  domains: HostDomain[];
  applied: Map<string, { ok: boolean; replayed?: boolean }>;
};

/** The host as the agent persisted it (snapshot + journal, server/agent/host-store.ts; read with the agent stopped). */
export function readHostState(stateDir: string): HostRecord {
  const raw = readHostFiles(stateDir);
  if (!raw) throw new Error(`${stateDir}: no host state`);
  return {
    bootId: raw.hypervisor.bootId,
    // dom0 and the platform's backend domains (booted with the host, issue 15 part 3) are no VM's.
    domains: raw.hypervisor.domains.filter((d) => d.domid !== 0 && !PLATFORM_BACKEND_UUIDS.has(d.uuid)),
    applied: new Map(raw.applied),
  };
}

/** The history event each lifecycle action leaves on the domain (server/xen/domains.ts). */
export const HISTORY_EVENT: Record<string, string> = {
  create: "create",
  start: "unpause",
  stop: "shutdown",
  pause: "pause",
  resume: "resume",
  reboot: "reboot",
};
/** Domain state → the VM state the host monitor reports. */
export const OBSERVED_OF: Record<string, string> = {
  running: "running",
  paused: "paused",
  shutdown: "stopped",
  stopped: "stopped",
};

export type LoggedOp = {
  id: string;
  vmId: string;
  action: string;
  status: string;
  lastError: string | null;
  createdAt: Date;
};

export type Reconciliation = {
  /** Operations not settled (neither succeeded nor failed). */
  lost: string[];
  /** Effects applied more than once (a history event or key beyond what the log accounts for). */
  duplicated: string[];
  /** Effects nobody asked for: domains without a VM, failed operations that took effect, events out of order. */
  unexpected: string[];
  /** Succeeded operations the hypervisor has no trace of. */
  missing: string[];
};

/**
 * Compares the operations log (the database) with the hypervisors' own record: per VM, the
 * succeeded operations in order must be exactly the domain's history; every succeeded operation's
 * key was applied once (a success) and every failed one left no success behind.
 */
export function reconcile(
  ops: LoggedOp[],
  vmHost: Map<string, string>,
  hosts: Map<string, HostRecord>,
): Reconciliation {
  const result: Reconciliation = { lost: [], duplicated: [], unexpected: [], missing: [] };
  const byVm = new Map<string, LoggedOp[]>();
  for (const op of [...ops].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime())) {
    if (op.status !== "succeeded" && op.status !== "failed") result.lost.push(`${op.action} ${op.id} is ${op.status}`);
    byVm.set(op.vmId, [...(byVm.get(op.vmId) ?? []), op]);
  }
  const seen = new Set<string>();
  for (const [vmId, vmOps] of byVm) {
    const hostName = vmHost.get(vmId);
    const host = hostName ? hosts.get(hostName) : undefined;
    if (!host) {
      result.unexpected.push(`VM ${vmId}: no host record for ${hostName ?? "(unplaced)"}`);
      continue;
    }
    seen.add(vmId);
    const domain = host.domains.find((d) => d.uuid === vmId);
    const expected = vmOps.filter((o) => o.status === "succeeded").map((o) => HISTORY_EVENT[o.action] ?? o.action);
    // The hypervisor keeps a domain's last events and counts the older ones it dropped
    // (server/xen/state.ts): the count stands in for those, the kept ones are compared one by one.
    const dropped = Array.from({ length: domain?.historyDropped ?? 0 }, (_, i) => expected[i] ?? "(dropped)");
    const actual = [...dropped, ...(domain?.history ?? [])];
    if (expected.length > 0 && !domain)
      result.missing.push(`VM ${vmId}: no domain on ${hostName} (log: ${expected.join(",")})`);
    else if (actual.join(",") !== expected.join(",")) {
      const line = `VM ${vmId} on ${hostName}: log says [${expected.join(",")}], hypervisor history [${actual.join(",")}]`;
      if (actual.length > expected.length) result.duplicated.push(line);
      else if (actual.length < expected.length) result.missing.push(line);
      else result.unexpected.push(line);
    }
    for (const op of vmOps) {
      const applied = host.applied.get(op.id);
      if (op.status === "succeeded" && !applied?.ok)
        result.missing.push(`${op.action} ${op.id} succeeded but the agent holds no success for its key`);
      if (op.status === "failed" && applied?.ok)
        result.unexpected.push(`${op.action} ${op.id} failed (${op.lastError}) but the hypervisor applied it`);
    }
  }
  for (const [name, host] of hosts) {
    for (const domain of host.domains) {
      if (!seen.has(domain.uuid))
        result.unexpected.push(
          `domain ${domain.uuid} on ${name} has no VM in the database (history ${domain.history.join(",")})`,
        );
    }
    const known = new Set(ops.map((o) => o.id));
    for (const [key, value] of host.applied) {
      if (value.ok && !known.has(key)) result.unexpected.push(`key ${key} applied on ${name} matches no operation`);
    }
  }
  return result;
}

// ---------------------------------------------------------------------------------------------
// A proxy in front of an agent that can hold back a status answer (a slow network)
// ---------------------------------------------------------------------------------------------

export type AgentProxy = {
  url: string;
  /** The next GET /v1/status is forwarded at once but its answer is held; resolves once held. */
  holdNextStatus: () => Promise<void>;
  /** Lets the held answer go. */
  release: () => void;
  /** Resolves once a request for this method and path has been passed on to the agent. */
  forwarded: (method: string, path: string) => Promise<void>;
  close: () => Promise<void>;
};

/**
 * Forwards every request to the agent unchanged (the signature covers method, path, timestamp
 * and body, not the address, so it stays valid). The held status answer is the agent's true
 * state at the moment it answered; only its delivery is late.
 */
export async function startAgentProxy(targetUrl: string): Promise<AgentProxy> {
  const http = await import("node:http");
  let armed: (() => void) | null = null;
  let releaseHeld: (() => void) | null = null;
  const watchers: { method: string; path: string; resolve: () => void }[] = [];
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (typeof value === "string" && !["host", "connection", "content-length"].includes(name)) headers[name] = value;
    }
    try {
      const pending = fetch(new URL(req.url ?? "/", targetUrl), {
        method: req.method,
        headers,
        body: req.method === "GET" || req.method === "HEAD" ? undefined : Buffer.concat(chunks),
      });
      for (const w of watchers.filter((w) => w.method === req.method && w.path === req.url)) {
        watchers.splice(watchers.indexOf(w), 1);
        setTimeout(w.resolve, 100); // the request is on the agent's socket by then
      }
      const upstream = await pending;
      const body = Buffer.from(await upstream.arrayBuffer());
      if (req.method === "GET" && req.url === "/v1/status" && armed) {
        const held = armed;
        armed = null;
        await new Promise<void>((resolve) => {
          releaseHeld = resolve;
          held();
        });
      }
      res.writeHead(upstream.status, { "content-type": upstream.headers.get("content-type") ?? "application/json" });
      res.end(body);
    } catch {
      res.destroy();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    holdNextStatus: () =>
      new Promise<void>((resolve) => {
        armed = resolve;
      }),
    release: () => {
      releaseHeld?.();
      releaseHeld = null;
    },
    forwarded: (method, path) => new Promise<void>((resolve) => watchers.push({ method, path, resolve })),
    close: () =>
      new Promise<void>((resolve) => {
        releaseHeld?.();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
