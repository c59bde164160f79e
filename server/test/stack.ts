import { randomBytes, randomUUID } from "node:crypto";
import { rmSync } from "node:fs";
import { deriveHostSecret, signedHeaders } from "../contracts/signing";
import type { Db } from "../db/client";
import type { Operation } from "../generated/prisma/client";
import { httpAgentClient } from "../worker/agent-client";
import { createTestDatabase, type RoleClients } from "./db";
import { callerFor, createTemplates, setupTenant, type Tenant, type TemplateSize } from "./fixtures";
import { restartAgent, startAgent, startWorker, waitFor, type AgentProc, type WorkerOptions, type WorkerProc } from "./processes";

/**
 * The whole control plane for an integration test file, in one call: a database of its own,
 * agent processes registered as hosts, the two templates, tenants, and the worker process.
 *
 *   let stack: Stack<"acme">;
 *   beforeAll(async () => { stack = await startStack({ hosts: ["h-a", "h-b"], tenants: ["acme"], worker: {} }); });
 *   afterAll(() => stack?.stop());
 *
 * If starting fails half-way, what did start is stopped again before the error is thrown, so an
 * afterAll that finds no stack has nothing to clean up.
 */

export type StackWorkerOptions = Omit<WorkerOptions, "databaseUrl" | "masterSecret">;

export type StackOptions<S extends string> = {
  /** One agent process per host name, each registered as a host row (in this order). */
  hosts?: readonly string[];
  /** The host rows' capacity; default the agent's own default (32 vCPUs, 64 GiB). */
  hostSize?: { vcpus: number; memoryMb: number };
  /** Extra environment for every agent, e.g. { REALMGATE_AGENT_TEST_HOOKS: "1" } (the crash hook). */
  agentEnv?: Record<string, string>;
  /** The URL a host row names; default the agent's own (a test can put a proxy in front of it). */
  hostUrl?: (agent: AgentProc) => string | Promise<string>;
  /** The "small" guest template's size; default SMALL_TEMPLATE (1 vCPU, 512 MiB, 4 GiB). */
  smallTemplate?: Partial<TemplateSize>;
  /** Tenants by slug (setupTenant: an organization, its realm and management VM, one member per role). */
  tenants?: readonly S[];
  /** Starts the worker process with these options (poll intervals, lease, env) and waits until every host is online. */
  worker?: StackWorkerOptions;
  /** A database the test owns (not dropped by stop()); default a fresh clone (createTestDatabase). */
  database?: RoleClients;
};

export type Stack<S extends string = string> = {
  url: string;
  /** Platform client (bypasses row-level security): setup and assertions. */
  db: Db;
  /** Tenant client: what the web tier's procedures get. */
  tenantDb: Db;
  /** Generated per stack; the worker signs with deriveHostSecret(masterSecret, host name). */
  masterSecret: string;
  hostSecret: (hostName: string) => string;
  /** The running agents, in the order of options.hosts (restartAgent replaces an entry). */
  agents: AgentProc[];
  /** Host row id by host name. */
  hostIds: Record<string, string>;
  /** The "small" guest template and the management VMs' "mgmt" template. */
  templateId: string;
  mgmtTemplateId: string;
  tenants: Record<S, Tenant>;
  /** Every worker started (options.worker's first); stop() stops them all. */
  workers: WorkerProc[];
  /** Another worker on the same database and secret (options.worker's settings unless overridden). */
  startWorker: (options?: StackWorkerOptions) => Promise<WorkerProc>;
  agent: (hostName: string) => AgentProc;
  /** Stops the agent if it still runs, then starts it again on its port and state directory. */
  restartAgent: (hostName: string) => Promise<AgentProc>;
  /** Waits until `count` hosts (default every agent) are online. */
  hostsOnline: (count?: number, timeoutMs?: number) => Promise<void>;
  caller: (user: { id: string; sessionEpoch?: number } | null) => ReturnType<typeof callerFor>;
  /** Waits for the operation to succeed or fail, and returns its row. */
  settled: (operationId: string, timeoutMs?: number) => Promise<Operation>;
  /** As settled, and throws (naming the operation's error) unless it succeeded. */
  succeeded: (operationId: string) => Promise<Operation>;
  /** Creates a guest of the stack's template through `caller` and starts it; both must succeed. */
  runningVm: (caller: ReturnType<typeof callerFor>, name: string) => Promise<string>;
  /** A signed POST to the host's agent (a request that bypasses every layer above the hypervisor); expects 200. */
  agentPost: <T>(hostName: string, route: string, payload: unknown) => Promise<T>;
  vmOf: (realmId: string, vmId: string) => ReturnType<typeof findVm>;
  /** The domain the host's hypervisor reports for the VM (undefined: none). */
  domainOn: (hostName: string, vmId: string) => Promise<Awaited<ReturnType<typeof httpAgentClient.status>>["domains"][number] | undefined>;
  /** Stops workers and agents (SIGTERM by default) and drops the database; safe to call twice. */
  stop: (signal?: NodeJS.Signals) => Promise<void>;
};

const DEFAULT_HOST_SIZE = { vcpus: 32, memoryMb: 65_536 };

const findVm = (db: Db, realmId: string, vmId: string) => db.vm.findUniqueOrThrow({ where: { realmId_id: { realmId, id: vmId } }, include: { host: true } });

export async function startStack<const S extends string = never>(options: StackOptions<S> = {}): Promise<Stack<S>> {
  const masterSecret = `stack-${randomBytes(16).toString("hex")}`;
  const owned = options.database ? null : await createTestDatabase();
  const database = options.database ?? owned!;
  const workerDefaults = options.worker ?? {};
  const stateDirs = new Set<string>();
  let stopped = false;

  const stack: Stack<S> = {
    url: database.url,
    db: database.db,
    tenantDb: database.tenantDb,
    masterSecret,
    hostSecret: (hostName) => deriveHostSecret(masterSecret, hostName),
    agents: [],
    hostIds: {},
    templateId: "",
    mgmtTemplateId: "",
    tenants: {} as Record<S, Tenant>,
    workers: [],
    async startWorker(overrides = {}) {
      const worker = await startWorker({ databaseUrl: database.url, masterSecret, ...workerDefaults, ...overrides });
      stack.workers.push(worker);
      return worker;
    },
    agent(hostName) {
      const agent = stack.agents.find((a) => a.hostName === hostName);
      if (!agent) throw new Error(`no agent for host ${hostName} in this stack`);
      return agent;
    },
    async restartAgent(hostName) {
      const agent = stack.agent(hostName);
      await agent.stop();
      const restarted = await restartAgent(agent);
      stack.agents[stack.agents.indexOf(agent)] = restarted;
      return restarted;
    },
    async hostsOnline(count = stack.agents.length, timeoutMs) {
      await waitFor(async () => (await stack.db.host.count({ where: { status: "online" } })) === count, "hosts online", timeoutMs);
    },
    caller: (user) => callerFor(stack, user),
    settled: (operationId, timeoutMs) =>
      waitFor(
        async () => {
          const op = await stack.db.operation.findUniqueOrThrow({ where: { id: operationId } });
          return op.status === "succeeded" || op.status === "failed" ? op : null;
        },
        `operation ${operationId} settled`,
        timeoutMs,
      ),
    async succeeded(operationId) {
      const op = await stack.settled(operationId);
      if (op.status !== "succeeded") throw new Error(`operation ${operationId} ${op.status}: ${op.lastError ?? ""}`);
      return op;
    },
    async runningVm(caller, name) {
      const { vmId, operationId } = await caller.vm.create({ name, templateId: stack.templateId });
      await stack.succeeded(operationId);
      await stack.succeeded((await caller.vm.start({ vmId })).operationId);
      return vmId;
    },
    async agentPost<T>(hostName: string, route: string, payload: unknown): Promise<T> {
      const agent = stack.agent(hostName);
      const body = JSON.stringify(payload);
      const res = await fetch(`${agent.url}${route}`, { method: "POST", body, headers: { "content-type": "application/json", ...signedHeaders(agent.secret, { method: "POST", pathAndQuery: route, body }) } });
      if (res.status !== 200) throw new Error(`agent ${hostName} ${route}: HTTP ${res.status}`);
      return (await res.json()) as T;
    },
    vmOf: (realmId, vmId) => findVm(stack.db, realmId, vmId),
    async domainOn(hostName, vmId) {
      const agent = stack.agent(hostName);
      return (await httpAgentClient.status({ url: agent.url, secret: agent.secret })).domains.find((d) => d.uuid === vmId);
    },
    async stop(signal = "SIGTERM") {
      if (stopped) return;
      stopped = true;
      // Each step runs even if an earlier one failed; the first failure is reported at the end.
      const failures: unknown[] = [];
      const attempt = async (step: () => Promise<unknown>) => {
        try {
          await step();
        } catch (error) {
          failures.push(error);
        }
      };
      await attempt(() => Promise.all(stack.workers.map((w) => w.stop(signal))));
      await attempt(() => Promise.all(stack.agents.map((a) => a.stop(signal))));
      for (const dir of [...stateDirs, ...stack.agents.map((a) => a.stateDir)]) rmSync(dir, { recursive: true, force: true });
      if (owned) await attempt(() => owned.drop());
      if (failures.length > 0) throw failures[0];
    },
  };

  try {
    // Started together; one that fails does not leave the others running untracked.
    const started = await Promise.allSettled(
      (options.hosts ?? []).map((hostName) => startAgent({ hostName, secret: stack.hostSecret(hostName), env: options.agentEnv })),
    );
    for (const result of started) if (result.status === "fulfilled") stack.agents.push(result.value);
    for (const agent of stack.agents) stateDirs.add(agent.stateDir);
    const failed = started.find((r) => r.status === "rejected");
    if (failed) throw failed.reason;

    const size = options.hostSize ?? DEFAULT_HOST_SIZE;
    for (const agent of stack.agents) {
      const agentUrl = options.hostUrl ? await options.hostUrl(agent) : agent.url;
      const host = await stack.db.host.create({ data: { id: randomUUID(), name: agent.hostName, agentUrl, vcpus: size.vcpus, memoryMb: size.memoryMb } });
      stack.hostIds[agent.hostName] = host.id;
    }
    const { template, mgmtTemplate } = await createTemplates(stack.db, { small: options.smallTemplate });
    stack.templateId = template.id;
    stack.mgmtTemplateId = mgmtTemplate.id;
    for (const slug of options.tenants ?? []) stack.tenants[slug] = await setupTenant(stack.db, slug, mgmtTemplate.id);

    if (options.worker) {
      await stack.startWorker();
      // Placement wants online hosts: the worker's host monitor marks them so.
      await stack.hostsOnline();
    }
    return stack;
  } catch (error) {
    await stack.stop("SIGKILL").catch(() => undefined);
    throw error;
  }
}
