import { randomUUID } from "node:crypto";
import { PLATFORM_URL_ENV, createDb, platformDatabaseUrl } from "../db/client";
import { listen } from "../db/listen";
import { CONSOLE_CHANNEL, WORK_CHANNEL } from "../repositories/events";
import { unsafeClaimOperations } from "../repositories/operations";
import { advanceAllDecommissioning } from "../services/offboarding";
import { configuredCheckpointStore } from "../audit-chain/checkpoint";
import { AUDIT_SECRET_ENV, auditKeys } from "../audit-chain/keys";
import { httpAgentClient } from "./agent-client";
import { runAuditSealer } from "./audit-sealer";
import { maintainConsoles, relayConsoles } from "./console-relay";
import { releaseSamplerLease, sampleHostsAsOwner } from "./metrics-sampler";
import { consoleIdleMs } from "../policy/console-idle";
import { deliver, type DispatcherOptions } from "./dispatcher";
import { pollHosts } from "./host-monitor";

/**
 * Worker process: delivers operations and watches hosts. Wakes on NOTIFY from the web tier and
 * also polls, so a lost notification only delays work. Env: REALMGATE_PLATFORM_DATABASE_URL,
 * REALMGATE_AGENT_MASTER_SECRET, REALMGATE_WORKER_POLL_MS, REALMGATE_WORKER_CONCURRENCY (deliveries in
 * flight, default 8), REALMGATE_HOST_POLL_MS,
 * REALMGATE_WORKER_LEASE_MS, REALMGATE_HOST_LEASE_INTERVAL_MS (= REALMGATE_HOST_POLL_MS),
 * REALMGATE_HOST_LEASE_TIMEOUT_MS (default three intervals), REALMGATE_OFFBOARD_POLL_MS (how often
 * decommissioning realms are moved forward; = REALMGATE_WORKER_POLL_MS), REALMGATE_AUDIT_SECRET (the
 * audit keys: the sealer and its checkpoints, audit-sealer.ts), REALMGATE_AUDIT_SEAL_MS (default
 * 1000), REALMGATE_AUDIT_CHECKPOINT_SECONDS (default 60), REALMGATE_AUDIT_CHECKPOINT_DIR.
 */

const masterSecret = process.env.REALMGATE_AGENT_MASTER_SECRET;
if (!masterSecret || !process.env[PLATFORM_URL_ENV] || !process.env[AUDIT_SECRET_ENV]) {
  console.error(`worker: ${PLATFORM_URL_ENV}, REALMGATE_AGENT_MASTER_SECRET and ${AUDIT_SECRET_ENV} must be set`);
  process.exit(2);
}
const pollMs = Number(process.env.REALMGATE_WORKER_POLL_MS ?? 1_000);
// The host lease: renewed by each answered status poll, expired after several missed ones.
const hostPollMs = Number(process.env.REALMGATE_HOST_POLL_MS ?? process.env.REALMGATE_HOST_LEASE_INTERVAL_MS ?? 2_000);
const leaseTimeoutMs = Number(process.env.REALMGATE_HOST_LEASE_TIMEOUT_MS ?? 3 * hostPollMs);
// How long a claimed operation stays ours; past it another worker may take it over.
const leaseMs = Number(process.env.REALMGATE_WORKER_LEASE_MS ?? 15_000);
const workerId = `worker-${process.pid}-${randomUUID().slice(0, 8)}`;
const log = (line: string) => console.log(`[worker] ${line}`);
const options: DispatcherOptions = { workerId, masterSecret, leaseMs, batchSize: Number(process.env.REALMGATE_WORKER_CONCURRENCY ?? 8), log };
// The worker is a platform component: it serves every realm (row-level security bypassed).
// Its statements keep cached generic plans where PostgreSQL finds them as good (db/client.ts).
const database = createDb(platformDatabaseUrl(), { plans: "auto" });

let stopping = false;
// A wake-up (NOTIFY, a finished delivery) that arrives while the loop is busy claiming is kept,
// so the next sleep returns at once instead of waiting out the poll interval.
let wakePending = false;
let wake: () => void = () => {
  wakePending = true;
};
const sleep = (ms: number) =>
  new Promise<void>((resolve) => {
    if (wakePending) return resolve();
    const done = () => {
      clearTimeout(timer);
      wake = () => {
        wakePending = true;
      };
      resolve();
    };
    const timer = setTimeout(done, ms);
    wake = done;
  });

/**
 * Keeps up to `batchSize` deliveries in flight: a slot that frees up is refilled at once, so one
 * slow agent call does not hold back the operations claimed with it (each delivery settles on
 * its own). Claims only as many as there are free slots; sleeps when the queue is empty, until a
 * NOTIFY, a finished delivery or the poll interval wakes it.
 */
async function dispatchLoop(): Promise<void> {
  let inFlight = 0;
  while (!stopping) {
    wakePending = false; // the claim below sees whatever the wake-up was about
    const free = options.batchSize - inFlight;
    let claimed = 0;
    if (free > 0) {
      try {
        const ops = await unsafeClaimOperations(database, { ...options, batchSize: free });
        claimed = ops.length;
        for (const op of ops) {
          inFlight++;
          void deliver(database, httpAgentClient, op, options)
            .catch((error: unknown) => log(`delivery of ${op.id} failed: ${(error as Error).message}`))
            .finally(() => {
              inFlight--;
              wake();
            });
        }
      } catch (error) {
        log(`dispatch error: ${(error as Error).message}`);
      }
    }
    // A full claim may have left more ready work: look again at once.
    if (claimed > 0 && claimed === free) continue;
    await sleep(pollMs);
  }
}

/**
 * Offboarding is a state machine in the database: each pass destroys what a decommissioning realm
 * still holds and retires it once empty, so a worker killed half-way leaves work the next resumes.
 */
async function offboardingLoop(): Promise<void> {
  const offboardPollMs = Number(process.env.REALMGATE_OFFBOARD_POLL_MS ?? pollMs);
  while (!stopping) {
    try {
      await advanceAllDecommissioning(database, log);
    } catch (error) {
      log(`offboarding error: ${(error as Error).message}`);
    }
    await new Promise((r) => setTimeout(r, offboardPollMs));
  }
}

async function hostLoop(): Promise<void> {
  while (!stopping) {
    try {
      await pollHosts(database, httpAgentClient, { masterSecret: masterSecret!, leaseTimeoutMs, log });
    } catch (error) {
      log(`host poll error: ${(error as Error).message}`);
    }
    await new Promise((r) => setTimeout(r, hostPollMs));
  }
}

/**
 * The console relay (console-relay.ts): woken by the console channel (a session opened, input), polls
 * every REALMGATE_CONSOLE_POLL_MS (default 1000) too; closes consoles with neither input nor an
 * open stream for REALMGATE_CONSOLE_IDLE_MS (policy/console-idle.ts, default ten minutes).
 */
let relayPending = false;
let relayWake: () => void = () => {
  relayPending = true;
};
async function consoleLoop(): Promise<void> {
  const consolePollMs = Number(process.env.REALMGATE_CONSOLE_POLL_MS ?? 1_000);
  const idleMs = consoleIdleMs(process.env);
  let lastMaintenance = 0;
  while (!stopping) {
    relayPending = false; // the pass below sees whatever the wake-up was about
    try {
      // More work may have arrived while a full batch was relayed: go again at once.
      while ((await relayConsoles(database, httpAgentClient, { masterSecret: masterSecret!, log })) >= 16 && !stopping);
      if (Date.now() - lastMaintenance > 5_000) {
        lastMaintenance = Date.now();
        await maintainConsoles(database, { idleMs, keepClosedMs: 60 * 60 * 1000, log });
      }
    } catch (error) {
      log(`console relay error: ${(error as Error).message}`);
    }
    if (relayPending) continue;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, consolePollMs);
      relayWake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    relayWake = () => {
      relayPending = true;
    };
  }
}

/**
 * Metrics (metrics-sampler.ts): every REALMGATE_METRICS_INTERVAL_MS (default 10 s), kept
 * REALMGATE_METRICS_RETENTION_HOURS (default 3); by the one worker holding the sampler's lease.
 */
async function metricsLoop(): Promise<void> {
  const intervalMs = Number(process.env.REALMGATE_METRICS_INTERVAL_MS ?? 10_000);
  const retentionMs = 3_600_000 * Number(process.env.REALMGATE_METRICS_RETENTION_HOURS ?? 3);
  while (!stopping) {
    const started = Date.now();
    try {
      // Only the holder of the sampler's lease samples: each host once per interval, however many workers run.
      await sampleHostsAsOwner(database, httpAgentClient, { masterSecret: masterSecret!, log, retentionMs, holder: workerId, intervalMs });
    } catch (error) {
      log(`metrics sampler error: ${(error as Error).message}`);
    }
    await new Promise((r) => setTimeout(r, Math.max(100, intervalMs - (Date.now() - started))));
  }
  await releaseSamplerLease(database, workerId).catch(() => undefined);
}

// Every audit event is sealed into its chain within about a second; checkpoints go to a
// directory outside the database.
const sealer = runAuditSealer({
  db: database,
  keys: auditKeys(),
  store: configuredCheckpointStore(),
  intervalMs: Number(process.env.REALMGATE_AUDIT_SEAL_MS ?? 1_000),
  checkpointMs: 1_000 * Number(process.env.REALMGATE_AUDIT_CHECKPOINT_SECONDS ?? 60),
  isStopping: () => stopping,
  log,
});

const listener = listen({
  connectionString: platformDatabaseUrl(),
  channels: [WORK_CHANNEL, CONSOLE_CHANNEL],
  // Payload-less: any session may hear that work arrived, none learns what. Operations wake the
  // dispatcher and the sealer (their audit records); console sessions and input, the relay.
  onNotification: (_payload, channel) => {
    if (channel === CONSOLE_CHANNEL) return relayWake();
    wake();
    sealer.wake();
  },
  // Notifications sent while the database was away are lost: look at the queue and the consoles now.
  onReconnect: () => {
    wake();
    relayWake();
  },
  log,
});
await listener.ready;
log(`started as ${workerId}`);

function shutdown(): void {
  stopping = true;
  wake();
  sealer.wake();
  relayWake();
  void listener.close();
  setTimeout(() => process.exit(0), 500).unref();
}
process.on("SIGTERM", shutdown);
process.on("SIGINT", shutdown);

await Promise.all([dispatchLoop(), hostLoop(), offboardingLoop(), consoleLoop(), metricsLoop(), sealer.done]);
await database.$disconnect();
process.exit(0);
