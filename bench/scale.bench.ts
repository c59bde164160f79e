/**
 * Scale figures (issue 12, "Scale" and "Memory"): the real product (launcher, embedded
 * PostgreSQL, worker, two agents, Next.js) with a fleet of BENCH_VMS VMs across BENCH_REALMS
 * realms, one of them (Acme, the demo realm alice signs in to) holding BENCH_BIG_REALM VMs, and
 * a history of finished operations and audit events. Measured before seeding (the small fleet,
 * the baseline) and after it, in the same run:
 * - at the database: the hot queries of the web tier, as the repositories issue them (their SQL is
 *   captured where pg sends it, Prisma's and the driver path's, and replayed over `pg`), as the
 *   tenant role in a realm-bound transaction (or the platform role for platform queries),
 *   p50/p99, with EXPLAIN (ANALYZE, BUFFERS) of each
 *   and a flag on any sequential scan of vms, operations or audit_events;
 * - end to end over HTTP: vm.list first and deep page, vm.get, vm.history, audit, vm.start
 *   accepted, and the operator's lists (ops@realmgate.test, password + TOTP);
 * - the web server's, worker's and agents' resident memory after each level.
 *   npx tsx bench/scale.bench.ts
 * Env: BENCH_VMS (default 1,000,000), BENCH_REALMS (default 10,000), BENCH_BIG_REALM (default
 * 100,000), BENCH_SAMPLES (per figure, default 300), BENCH_ACTIONS (vm.start/stop per level,
 * default 200), BENCH_EXPLAIN=0 (no plans), BENCH_KEEP=1, BENCH_FRESH=1 (as lifecycle.bench).
 * See bench/README.md.
 */
import { randomUUID } from "node:crypto";
import os from "node:os";
import path from "node:path";
import { rmSync } from "node:fs";
import pg from "pg";
import { createDb, realmBinding, transaction, type Tx } from "../server/db/client";
import type { PrismaClient } from "../server/generated/prisma/client";
import { listAuditPageForRealm, unsafeListAlarms, unsafeListDenials } from "../server/repositories/audit";
import { unsafeListHostCapacity, unsafeListHostOverview } from "../server/repositories/hosts";
import { activity } from "../server/services/activity";
import { fleetMap } from "../server/services/fleet";
import { findOpenOperationForVm, listOperationsForVm } from "../server/repositories/operations";
import { unsafeListOrganizations, unsafeListRealmBoundaries } from "../server/repositories/realms";
import { findVmInRealm, listVmsInRealm, lockVm } from "../server/repositories/vms";
import {
  Completions,
  launch,
  mutate,
  now,
  percentile,
  queryUrl,
  ROOT,
  rssLine,
  signIn,
  stopLauncher,
  syncSources,
  TrpcError,
  type Launched,
} from "./support";

const VMS = Number(process.env.BENCH_VMS ?? 1_000_000);
const REALMS = Number(process.env.BENCH_REALMS ?? 10_000);
const BIG_REALM = Math.min(Number(process.env.BENCH_BIG_REALM ?? 100_000), VMS);
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 300);
const ACTIONS = Number(process.env.BENCH_ACTIONS ?? 200);
const EXPLAIN = process.env.BENCH_EXPLAIN !== "0";
/** Simulated hosts holding the seeded VMs (rows only: no agent answers for them). */
const SIM_HOSTS = 20;
const PAGE = 50;
/** VMs created through vm.create before seeding: the lifecycle figures alternate start/stop on them. */
const LIFECYCLE_VMS = 4;
const OPS_TOTP_SECRET = "REALMGATEDEMOOPSTOTPSECRET234567"; // prisma/seed.ts DEMO_OPERATOR_TOTP_SECRET

type Figure = { p50: number; p99: number; n: number };
const figure = (samples: number[]): Figure => ({ p50: percentile(samples, 50), p99: percentile(samples, 99), n: samples.length });

// ---------------------------------------------------------------------------------------------
// Seeding: INSERT … SELECT generate_series, server-side, as the superuser (it bypasses row-level
// security; every trigger and constraint still runs)
// ---------------------------------------------------------------------------------------------

async function seed(db: pg.Client, acmeId: string, aliceId: string): Promise<{ seconds: number; counts: Record<string, number> }> {
  const started = now();
  const step = async (label: string, sql: string, params: unknown[] = []) => {
    const t0 = now();
    const result = await db.query(sql, params);
    console.log(`    ${label}: ${result.rowCount ?? 0} rows in ${((now() - t0) / 1000).toFixed(1)} s`);
  };
  // A throwaway server: fewer checkpoints during the bulk load (restored afterwards).
  await db.query("ALTER SYSTEM SET max_wal_size = '8GB'");
  await db.query("SELECT pg_reload_conf()");
  await db.query("SET maintenance_work_mem = '256MB'");
  await db.query("SET synchronous_commit = off");

  const existingRealms = Number((await db.query<{ n: string }>("SELECT count(*) AS n FROM realms")).rows[0]!.n);
  const newRealms = Math.max(0, REALMS - existingRealms);
  const existingVms = Number((await db.query<{ n: string }>("SELECT count(*) AS n FROM vms")).rows[0]!.n);
  const acmeVms = Number((await db.query<{ n: string }>("SELECT count(*) AS n FROM vms WHERE realm_id = $1", [acmeId])).rows[0]!.n);
  const acmeGuests = Math.max(0, BIG_REALM - acmeVms);
  // Each new realm has its management VM; the rest of the fleet is spread over the new realms.
  const otherGuests = Math.max(0, VMS - existingVms - acmeGuests - newRealms);
  console.log(
    `  seeding ${newRealms} organizations and realms, ${acmeGuests} VMs in Acme, ${otherGuests} guests and ${newRealms} management VMs elsewhere`,
  );

  // Simulated hosts: unreachable rows whose capacity is exactly what is placed on them (set below),
  // so placement never picks them and the worker's monitor never reconciles their VMs.
  await step(
    "hosts",
    `INSERT INTO hosts (id, name, agent_url, status, vcpus, memory_mb, last_error)
     SELECT gen_random_uuid(), 'sim-' || lpad(i::text, 2, '0'), 'http://127.0.0.1:9', 'unreachable', 0, 0, 'simulated host (bench/scale.bench.ts)'
     FROM generate_series(1, ${SIM_HOSTS}) i`,
  );
  await db.query(`CREATE TEMP TABLE sim_hosts AS SELECT row_number() OVER (ORDER BY name) - 1 AS n, id FROM hosts WHERE name LIKE 'sim-%'`);
  await db.query(`CREATE UNIQUE INDEX ON sim_hosts (n)`);

  // Organizations and realms, created over the past year; category pairs no realm (or retired
  // realm) holds, in a scattered order.
  await db.query(
    `CREATE TEMP TABLE seed_realms AS
     SELECT i, gen_random_uuid() AS org_id, gen_random_uuid() AS realm_id,
            now() - interval '365 days' + (i::float8 / ${Math.max(newRealms, 1)}) * interval '360 days' AS created_at
     FROM generate_series(1, ${newRealms}) i`,
  );
  await db.query(
    `CREATE TEMP TABLE seed_pairs AS
     SELECT row_number() OVER (ORDER BY md5(lo::text || ',' || hi::text)) AS i, lo, hi
     FROM generate_series(0, 1023) lo CROSS JOIN generate_series(0, 1023) hi
     WHERE lo < hi
       AND NOT EXISTS (SELECT 1 FROM realms r WHERE r.category_low = lo AND r.category_high = hi)
       AND NOT EXISTS (SELECT 1 FROM retired_categories c WHERE c.category_low = lo AND c.category_high = hi)`,
  );
  await step(
    "organizations",
    `INSERT INTO organizations (id, slug, name, created_at)
     SELECT org_id, 'scale-' || i, 'Scale Org ' || i, created_at FROM seed_realms`,
  );
  await step(
    "realms (+ quota rows by trigger)",
    `INSERT INTO realms (id, org_id, category_low, category_high, created_at, status, status_changed_at, ready_at)
     SELECT s.realm_id, s.org_id, p.lo, p.hi, s.created_at, 'ready', s.created_at + interval '2 seconds', s.created_at + interval '2 seconds'
     FROM seed_realms s JOIN seed_pairs p ON p.i = s.i`,
  );

  const template = async (name: string) => (await db.query<{ id: string; vcpus: number; memory_mb: number }>("SELECT id, vcpus, memory_mb FROM templates WHERE name = $1", [name])).rows[0]!;
  const tiny = await template("alpine-3-tiny");
  const mgmt = await template("realm-mgmt");

  // Management VMs (running), then guests: 40 % running, 2 % destroyed, the rest stopped.
  await step(
    "management VMs",
    `INSERT INTO vms (realm_id, id, name, kind, template_id, vcpus, memory_mb, host_id, domid, desired_state, observed_state, created_at, updated_at)
     SELECT s.realm_id, gen_random_uuid(), 'realm-mgmt', 'management', $1, $2, $3, h.id, 1, 'running', 'running', s.created_at, s.created_at + interval '2 seconds'
     FROM seed_realms s JOIN sim_hosts h ON h.n = s.i % ${SIM_HOSTS}`,
    [mgmt.id, mgmt.vcpus, mgmt.memory_mb],
  );
  const guests = (realms: string, perRealm: string, createdAt: string) => `
     INSERT INTO vms (realm_id, id, name, kind, template_id, vcpus, memory_mb, host_id, domid, desired_state, observed_state, created_at, updated_at)
     SELECT x.realm_id, gen_random_uuid(), 'scale-' || x.g, 'guest', $1, $2, $3, h.id,
            CASE WHEN x.state = 'running' THEN 1 + x.g % 30000 END, x.state::"VmState", x.state::"VmState", x.created_at, x.created_at
     FROM (SELECT r.realm_id, g, ${createdAt} AS created_at,
                  CASE WHEN g % 50 = 7 THEN 'destroyed' WHEN g % 5 < 2 THEN 'running' ELSE 'stopped' END AS state
           FROM ${realms} r CROSS JOIN LATERAL generate_series(1, ${perRealm}) g) x
     JOIN sim_hosts h ON h.n = ((hashtext(x.realm_id::text) & 65535) + x.g) % ${SIM_HOSTS}`;
  await step(
    `Acme's guests`,
    guests(`(SELECT $4::uuid AS realm_id) `, String(acmeGuests), `now() - interval '180 days' + (g::float8 / ${Math.max(acmeGuests, 1)}) * interval '175 days'`),
    [tiny.id, tiny.vcpus, tiny.memory_mb, acmeId],
  );
  const per = newRealms > 0 ? Math.floor(otherGuests / newRealms) : 0;
  const extra = newRealms > 0 ? otherGuests % newRealms : 0;
  await step(
    "other realms' guests",
    guests(`seed_realms`, `${per} + (r.i <= ${extra})::int`, `r.created_at + g * interval '1 minute'`),
    [tiny.id, tiny.vcpus, tiny.memory_mb],
  );

  // History: finished operations (Acme: create and a start or stop per VM; elsewhere a create for
  // every third VM) and one audit event per operation, plus denials (every 97th).
  await db.query(
    `CREATE TEMP TABLE seed_ops AS
     SELECT v.realm_id, v.id AS vm_id, a.n, a.action, v.created_at + a.n * interval '5 minutes' AS created_at,
            CASE WHEN v.realm_id = $1 THEN $2::uuid END AS requested_by_id
     FROM vms v
     CROSS JOIN LATERAL (VALUES (0, 'create'), (1, CASE WHEN v.observed_state = 'running' THEN 'start' ELSE 'stop' END)) a(n, action)
     WHERE v.kind = 'guest' AND v.name LIKE 'scale-%'
       AND (CASE WHEN v.realm_id = $1 THEN true ELSE a.n = 0 AND hashtext(v.id::text) % 3 = 0 END)`,
    [acmeId, aliceId],
  );
  await step(
    "operations (finished)",
    `INSERT INTO operations (realm_id, id, vm_id, subject_realm_id, action, from_state, status, requested_by_id, request_id, attempts, result,
                             next_attempt_at, deadline_at, created_at, started_at, finished_at)
     SELECT realm_id, gen_random_uuid(), vm_id, realm_id, action,
            CASE action WHEN 'create' THEN NULL WHEN 'start' THEN 'stopped'::"VmState" ELSE 'running'::"VmState" END,
            'succeeded', requested_by_id, 'seed-' || vm_id || '-' || n, 1, '{"reason":"seeded","avc":[]}'::jsonb,
            created_at, created_at + interval '10 minutes', created_at, created_at + interval '20 ms', created_at + interval '50 ms'
     FROM seed_ops ORDER BY created_at`,
  );
  const { rows: beforeAudit } = await db.query<{ id: string }>(`SELECT COALESCE(max(id), 0)::text AS id FROM audit_events`);
  // One transaction with the queue cleanup below: the sealer never sees these rows queued.
  await db.query("BEGIN");
  await step(
    "audit events",
    `INSERT INTO audit_events (realm_id, actor_id, action, target_type, target_id, decision, layer, reason, request_id, created_at)
     SELECT realm_id, requested_by_id, 'vm.' || action, 'vm', vm_id::text, 'allow'::"Decision", 'trpc', 'seeded history', 'seed-' || vm_id || '-' || n, created_at
     FROM seed_ops
     UNION ALL
     SELECT realm_id, requested_by_id, 'vm.start', 'vm', vm_id::text, 'deny'::"Decision", 'xsm', 'seeded denial', 'seed-deny-' || vm_id, created_at + interval '1 minute'
     FROM seed_ops WHERE n = 0 AND hashtext(vm_id::text) % 97 = 0
     ORDER BY created_at`,
  );
  // The seeded history is synthetic: written by SQL, it carries no record MAC, and the worker's
  // sealer would refuse each row (raising integrity alarms) while the figures are taken. Taken out
  // of the sealing queue instead, it stays outside the chain (server/audit-chain/): a verify of
  // this bench's database reports those rows as not sealed, which they are not.
  await step("audit events kept out of the sealing queue", `DELETE FROM realmgate_private.audit_unsealed WHERE event_id > $1::bigint`, [beforeAudit[0]!.id]);
  await db.query("COMMIT");

  // Quotas: usage recounted for every realm as the quotas migration counts it (guests not
  // destroyed); limits with room above it.
  await step(
    "quota usage",
    `UPDATE realm_quotas q SET used_vcpus = u.vcpus, used_memory_mb = u.memory_mb, used_vms = u.vms,
            vcpus = GREATEST(q.vcpus, u.vcpus + 1000), memory_mb = GREATEST(q.memory_mb, u.memory_mb + 1000000), vms = GREATEST(q.vms, u.vms + 1000)
     FROM (SELECT r.id AS realm_id,
                  COALESCE(sum(v.vcpus) FILTER (WHERE v.kind = 'guest' AND v.observed_state <> 'destroyed'), 0)::int AS vcpus,
                  COALESCE(sum(v.memory_mb) FILTER (WHERE v.kind = 'guest' AND v.observed_state <> 'destroyed'), 0)::int AS memory_mb,
                  (count(v.id) FILTER (WHERE v.kind = 'guest' AND v.observed_state <> 'destroyed'))::int AS vms
           FROM realms r LEFT JOIN vms v ON v.realm_id = r.id GROUP BY r.id) u
     WHERE q.realm_id = u.realm_id`,
  );
  await step(
    "simulated hosts' capacity",
    `UPDATE hosts h SET vcpus = u.vcpus, memory_mb = u.memory_mb
     FROM (SELECT host_id, sum(vcpus)::int AS vcpus, sum(memory_mb)::int AS memory_mb FROM vms WHERE observed_state <> 'destroyed' GROUP BY host_id) u
     WHERE h.id = u.host_id AND h.name LIKE 'sim-%'`,
  );
  const t0 = now();
  await db.query("VACUUM (ANALYZE)");
  await db.query("CHECKPOINT");
  console.log(`    VACUUM (ANALYZE) + CHECKPOINT in ${((now() - t0) / 1000).toFixed(1)} s`);
  await db.query("ALTER SYSTEM RESET max_wal_size");
  await db.query("SELECT pg_reload_conf()");
  await db.query("RESET synchronous_commit");

  const counts: Record<string, number> = {};
  for (const table of ["organizations", "realms", "vms", "operations", "audit_events"])
    counts[table] = Number((await db.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`)).rows[0]!.n);
  counts["vms in Acme"] = Number((await db.query<{ n: string }>("SELECT count(*) AS n FROM vms WHERE realm_id = $1", [acmeId])).rows[0]!.n);
  return { seconds: (now() - started) / 1000, counts };
}

// ---------------------------------------------------------------------------------------------
// The hot queries at the database: SQL captured from the repositories, replayed over pg
// ---------------------------------------------------------------------------------------------

type Statement = { sql: string; params: unknown[] };

/**
 * A platform-role client (the product's own, createDb) that records every statement it sends
 * (BEGIN/COMMIT aside): Prisma's and the driver path's (`sql()`, which Prisma's query log never
 * sees), captured where both end, in pg's Client.query. Nothing else in this process queries
 * while a capture runs.
 */
class Capture {
  readonly client: PrismaClient;
  private log: Statement[] | null = null;

  constructor(url: string) {
    this.client = createDb(url, { poolSize: 1 });
    const query = pg.Client.prototype.query;
    const recordInto = () => this.log;
    pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
      const log = recordInto();
      const config = args[0] as string | { text: string; values?: unknown[] };
      const text = typeof config === "string" ? config : config.text;
      if (log && !/^\s*(BEGIN|COMMIT|ROLLBACK)\b/i.test(text)) {
        log.push({ sql: text, params: typeof config === "string" ? ((args[1] as unknown[] | undefined) ?? []) : (config.values ?? []) });
      }
      return (query as (...a: unknown[]) => unknown).apply(this, args);
    } as typeof query;
  }

  /** The statements `fn` sends, in order (run in one transaction, as the service would). */
  async statements(fn: (tx: Tx) => Promise<unknown>): Promise<Statement[]> {
    const log: Statement[] = [];
    this.log = log;
    try {
      await transaction(this.client, fn);
    } finally {
      this.log = null;
    }
    return log;
  }
}

type DbFigure = { label: string; role: "tenant" | "platform"; statements: Statement[]; timing: Figure; rows: number; seqScans: string[]; plans: string[] };

const HOT_TABLES = ["vms", "operations", "audit_events"];

/**
 * p50/p99 of running `statements` (one repository call) `SAMPLES` times, each in its own
 * transaction: the tenant role binds the realm first exactly as withRealm does (set_config of
 * a signed binding, in the transaction), the platform role does not. Then EXPLAIN (ANALYZE,
 * BUFFERS) of each statement, in the same kind of transaction.
 */
async function measureDb(
  client: pg.Client,
  label: string,
  role: "tenant" | "platform",
  statements: Statement[],
  binding: (() => string) | null,
): Promise<DbFigure> {
  const samples: number[] = [];
  let rows = 0;
  const warmup = Math.max(10, Math.round(SAMPLES / 10));
  for (let i = 0; i < warmup + SAMPLES; i++) {
    await client.query("BEGIN");
    if (binding) await client.query("SELECT set_config('realmgate.realm', $1, true)", [binding()]);
    const t0 = now();
    rows = 0;
    for (const s of statements) rows += (await client.query(s.sql, s.params)).rowCount ?? 0;
    const elapsed = now() - t0;
    await client.query("COMMIT");
    if (i >= warmup) samples.push(elapsed);
  }
  const plans: string[] = [];
  const seqScans: string[] = [];
  for (const s of statements) {
    await client.query("BEGIN");
    if (binding) await client.query("SELECT set_config('realmgate.realm', $1, true)", [binding()]);
    const { rows: lines } = await client.query<{ "QUERY PLAN": string }>(`EXPLAIN (ANALYZE, BUFFERS) ${s.sql}`, s.params);
    await client.query("ROLLBACK"); // FOR UPDATE locks and nothing else: roll back
    const plan = lines.map((l) => l["QUERY PLAN"]);
    plans.push(`${oneLine(s.sql)}\n${plan.map((l) => `      ${l}`).join("\n")}`);
    for (const line of plan) {
      const m = /Seq Scan on (\w+)/.exec(line);
      if (m && HOT_TABLES.includes(m[1]!)) seqScans.push(m[1]!);
    }
  }
  return { label, role, statements, timing: figure(samples), rows, seqScans, plans };
}

const oneLine = (sql: string) => {
  const text = sql.replace(/\s+/g, " ").trim();
  return `    SQL: ${text.length > 400 ? `${text.slice(0, 400)}…` : text}`;
};

// ---------------------------------------------------------------------------------------------
// End to end: sequential HTTP requests, each answer read to its end
// ---------------------------------------------------------------------------------------------

async function httpFigure(label: string, url: string, cookie: string): Promise<Figure & { bytes: number; error?: string }> {
  const samples: number[] = [];
  let bytes = 0;
  const warmup = Math.max(10, Math.round(SAMPLES / 10));
  for (let i = 0; i < warmup + SAMPLES; i++) {
    const t0 = now();
    const response = await fetch(url, { headers: { cookie } });
    const body = await response.arrayBuffer();
    const elapsed = now() - t0;
    if (!response.ok) return { ...figure([]), bytes: 0, error: `${response.status} ${Buffer.from(body).toString().slice(0, 200)}` };
    bytes = body.byteLength;
    if (i >= warmup) samples.push(elapsed);
  }
  return { ...figure(samples), bytes };
}

/** vm.start/stop accepted, one client, alternating on the bench's own VMs (each settles before the next action on it). */
async function lifecycle(web: string, cookie: string, completions: Completions, vms: { id: string; state: "stopped" | "running" }[]): Promise<{ accepted: Figure; completed: Figure; refused: number; failed: number }> {
  const accepted: number[] = [];
  const completed: number[] = [];
  let refused = 0;
  let failed = 0;
  const pending = new Map<string, Promise<{ finishedAt: number; status: string }>>();
  for (let i = 0; i < ACTIONS + 20; i++) {
    const vm = vms[i % vms.length]!;
    const previous = pending.get(vm.id);
    if (previous) {
      const outcome = await previous;
      pending.delete(vm.id);
      if (outcome.status !== "succeeded") failed += 1;
      else vm.state = vm.state === "stopped" ? "running" : "stopped";
    }
    const action = vm.state === "stopped" ? "start" : "stop";
    const sentWall = Date.now();
    const t0 = now();
    try {
      const { operationId } = await mutate<{ operationId: string }>(web, cookie, `vm.${action}`, { vmId: vm.id });
      const ms = now() - t0;
      const wait = completions.wait(operationId);
      pending.set(vm.id, wait);
      if (i >= 20) {
        accepted.push(ms);
        void wait.then((o) => completed.push(Math.max(o.finishedAt - sentWall, ms)));
      }
    } catch (error) {
      if (!(error instanceof TrpcError)) throw error;
      refused += 1;
    }
  }
  for (const [id, wait] of pending) {
    const outcome = await wait;
    const vm = vms.find((v) => v.id === id)!;
    if (outcome.status === "succeeded") vm.state = vm.state === "stopped" ? "running" : "stopped";
    else failed += 1;
  }
  return { accepted: figure(accepted), completed: figure(completed), refused, failed };
}

// ---------------------------------------------------------------------------------------------

type Level = {
  name: string;
  http: Map<string, Figure & { bytes: number; error?: string }>;
  life: Awaited<ReturnType<typeof lifecycle>>;
  rss: string;
};

const OPERATOR_LISTS: [string, string, unknown][] = [
  ["operator.realms, first page", "operator.realms", { limit: PAGE }],
  ["operator.hosts", "operator.hosts", { limit: PAGE }],
  ["operator.fleet (fleet map)", "operator.fleet", { limit: 20 }],
  ["operator.activity (24 h)", "operator.activity", { window: "24h" }],
  ["operator.organizations.list", "operator.organizations.list", { limit: PAGE }],
  ["operator.quotas.list", "operator.quotas.list", { limit: PAGE }],
  ["operator.tokens.list", "operator.tokens.list", { limit: PAGE }],
  ["operator.breakGlass.list", "operator.breakGlass.list", { limit: PAGE }],
  ["operator.conflicts.list", "operator.conflicts.list", { limit: PAGE }],
  ["operator.denials", "operator.denials", { limit: PAGE }],
  ["operator.alarms", "operator.alarms", { limit: PAGE }],
];

async function level(
  name: string,
  launched: Launched,
  cookies: { alice: string; ops: string },
  completions: Completions,
  vms: { id: string; state: "stopped" | "running" }[],
  targets: { deepCursor: string | null; historyVm: string; acmeRealmCursor: string | null },
): Promise<Level> {
  const web = launched.web;
  const http = new Map<string, Figure & { bytes: number; error?: string }>();
  process.stdout.write(`  ${name}: HTTP figures (${SAMPLES} sequential requests each)…`);
  const run = async (label: string, url: string, cookie: string) => http.set(label, await httpFigure(label, url, cookie));
  await run("vm.list, first page", queryUrl(web, "vm.list", { limit: PAGE }), cookies.alice);
  if (targets.deepCursor) await run("vm.list, deep page (~page 1,000)", queryUrl(web, "vm.list", { limit: PAGE, cursor: targets.deepCursor }), cookies.alice);
  await run("vm.get", queryUrl(web, "vm.get", { vmId: targets.historyVm }), cookies.alice);
  await run("vm.history", queryUrl(web, "vm.history", { vmId: targets.historyVm }), cookies.alice);
  await run("realm.audit, first page", queryUrl(web, "realm.audit", { limit: PAGE }), cookies.alice);
  for (const [label, procedure, input] of OPERATOR_LISTS) await run(label, queryUrl(web, procedure, input), cookies.ops);
  if (targets.acmeRealmCursor)
    await run("operator.realms, page with Acme", queryUrl(web, "operator.realms", { limit: PAGE, cursor: targets.acmeRealmCursor }), cookies.ops);
  console.log(" done");
  process.stdout.write(`  ${name}: vm.start/stop, 1 client, ${ACTIONS} actions…`);
  const life = await lifecycle(web, cookies.alice, completions, vms);
  console.log(" done");
  const rss = rssLine(launched, `after ${name}`);
  console.log(rss);
  return { name, http, life, rss };
}

async function main(): Promise<void> {
  const started = now();
  const runDir = path.join(ROOT, ".data", `bench-run-${randomUUID().slice(0, 8)}`);
  const app = path.join(ROOT, ".data", "bench-cache", "app");
  console.log(
    `Scale bench: ${VMS.toLocaleString("en")} VMs across ${REALMS.toLocaleString("en")} realms, ${BIG_REALM.toLocaleString("en")} in Acme (data in ${path.relative(ROOT, runDir)})`,
  );
  syncSources(app);
  let launched: Launched | null = null;
  const clients: pg.Client[] = [];
  let completions: Completions | null = null;
  let capture: Capture | null = null;
  try {
    launched = await launch(app, path.join(runDir, "data"), null, {
      // Room for the bench's VMs next to the demo ones (the default realm quota is 20 VMs).
      REALMGATE_DEFAULT_QUOTA: "vcpus=1000,memoryMb=1000000,vms=1000,diskGb=100000,networks=100",
    });
    console.log(rssLine(launched, "after start"));
    const connect = async (url: string) => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      clients.push(client);
      return client;
    };
    const db = await connect(launched.databaseUrl);
    const tenant = await connect(launched.tenantUrl);
    const platform = await connect(launched.platformUrl);
    const alice = await signIn(launched.web);
    const ops = await signIn(launched.web, "ops@realmgate.test", undefined, OPS_TOTP_SECRET);
    const cookies = { alice, ops };

    const acmeId = (await db.query<{ id: string }>("SELECT r.id FROM realms r JOIN organizations o ON o.id = r.org_id WHERE o.slug = 'acme'")).rows[0]!.id;
    const aliceId = (await db.query<{ id: string }>("SELECT id FROM users WHERE email = 'alice@acme.test'")).rows[0]!.id;
    const key = Buffer.from((await db.query<{ key: Buffer }>(`SELECT "key" FROM "realmgate_private"."realm_binding_key"`)).rows[0]!.key);
    const acmeBinding = () => realmBinding(key, acmeId);

    // The lifecycle VMs, through the API, on the real agents, before the fleet exists.
    const templateId = (await db.query<{ id: string }>("SELECT id FROM templates WHERE name = 'alpine-3-tiny'")).rows[0]!.id;
    completions = new Completions(await connect(launched.databaseUrl));
    const vms: { id: string; state: "stopped" | "running" }[] = [];
    for (let i = 0; i < LIFECYCLE_VMS; i++) {
      const created = await mutate<{ vmId: string; operationId: string }>(launched.web, alice, "vm.create", { name: `bench-${i}-${randomUUID().slice(0, 4)}`, templateId });
      if ((await completions.wait(created.operationId)).status !== "succeeded") throw new Error(`vm.create failed for ${created.vmId}`);
      vms.push({ id: created.vmId, state: "stopped" });
    }

    // Level 1: the small fleet (demo data and the bench's VMs), the baseline.
    const small = await level("small fleet", launched, cookies, completions, vms, { deepCursor: null, historyVm: vms[0]!.id, acmeRealmCursor: null });

    // Seeding.
    console.log("  seeding the fleet…");
    const seeded = await seed(db, acmeId, aliceId);
    console.log(`  seeded in ${seeded.seconds.toFixed(0)} s: ${Object.entries(seeded.counts).map(([t, n]) => `${t} ${n.toLocaleString("en")}`).join(", ")}`);
    console.log(rssLine(launched, "after seeding"));

    // What the figures look at: a deep cursor (the last VM of ~page 1,000 of Acme's list, in the
    // list's order), a seeded Acme VM with a history, and the realm just before Acme in the
    // operators' realm list (so the page holds the 100,000-VM realm).
    const listed = Number((await db.query<{ n: string }>("SELECT count(*) AS n FROM vms WHERE realm_id = $1 AND observed_state <> 'destroyed'", [acmeId])).rows[0]!.n);
    const deepOffset = Math.min(1_000 * PAGE, listed - PAGE - 1) - 1;
    const deepCursor = (await db.query<{ id: string }>(
      "SELECT id FROM vms WHERE realm_id = $1 AND observed_state <> 'destroyed' ORDER BY kind, created_at, id OFFSET $2 LIMIT 1",
      [acmeId, Math.max(0, deepOffset)],
    )).rows[0]!.id;
    const historyVm = (await db.query<{ vm_id: string }>(
      "SELECT vm_id FROM operations WHERE realm_id = $1 AND request_id LIKE 'seed-%' ORDER BY created_at OFFSET 1000 LIMIT 1",
      [acmeId],
    )).rows[0]?.vm_id ?? vms[0]!.id;
    const acmeRealmCursor = (await db.query<{ id: string }>(
      `SELECT id FROM realms WHERE (created_at, id) < (SELECT created_at, id FROM realms WHERE id = $1) ORDER BY created_at DESC, id DESC LIMIT 1`,
      [acmeId],
    )).rows[0]?.id ?? null;

    // At the database.
    console.log(`  at the database: hot queries (${SAMPLES} runs each)…`);
    capture = new Capture(launched.platformUrl);
    const cap = capture;
    const dbFigures: DbFigure[] = [];
    const tenantFigure = async (label: string, fn: (tx: Tx) => Promise<unknown>) =>
      dbFigures.push(await measureDb(tenant, label, "tenant", await cap.statements(fn), acmeBinding));
    const platformFigure = async (label: string, fn: (tx: Tx) => Promise<unknown>) =>
      dbFigures.push(await measureDb(platform, label, "platform", await cap.statements(fn), null));
    await tenantFigure("vm.list first page (listVmsInRealm)", (tx) => listVmsInRealm(tx, acmeId, { limit: PAGE }));
    await tenantFigure("vm.list deep page, ~page 1,000 (listVmsInRealm + cursor)", (tx) => listVmsInRealm(tx, acmeId, { limit: PAGE, cursor: deepCursor }));
    await tenantFigure("vm lookup by id (findVmInRealm)", (tx) => findVmInRealm(tx, acmeId, historyVm));
    await tenantFigure("lifecycle check: lockVm + findOpenOperationForVm", async (tx) => {
      await lockVm(tx, acmeId, historyVm);
      await findOpenOperationForVm(tx, acmeId, historyVm);
    });
    await tenantFigure("VM operation history (listOperationsForVm)", (tx) => listOperationsForVm(tx, acmeId, historyVm));
    await tenantFigure("audit trail page (listAuditPageForRealm)", (tx) => listAuditPageForRealm(tx, acmeId, { beforeId: null, limit: PAGE }));
    // A small realm's trail: its rows are few and old among everyone's.
    const smallRealm = (await db.query<{ id: string }>("SELECT r.id FROM realms r JOIN organizations o ON o.id = r.org_id WHERE o.slug = 'scale-1'")).rows[0]?.id;
    if (smallRealm)
      dbFigures.push(
        await measureDb(tenant, "audit trail page, a small old realm (listAuditPageForRealm)", "tenant",
          await cap.statements((tx) => listAuditPageForRealm(tx, smallRealm, { beforeId: null, limit: PAGE })), () => realmBinding(key, smallRealm)),
      );
    await platformFigure("operator realms, first page (unsafeListRealmBoundaries)", (tx) => unsafeListRealmBoundaries(tx, { limit: PAGE }));
    if (acmeRealmCursor)
      await platformFigure("operator realms, page with Acme (unsafeListRealmBoundaries)", (tx) => unsafeListRealmBoundaries(tx, { limit: PAGE, cursor: acmeRealmCursor }));
    await platformFigure("operator hosts (unsafeListHostOverview)", (tx) => unsafeListHostOverview(tx, { limit: PAGE }));
    await platformFigure("operator fleet map: hosts, their realms, broken walls (fleetMap)", (tx) => fleetMap(tx, { limit: 20 }));
    await platformFigure("operator activity plots, 24 h window (activity)", (tx) => activity(tx, { window: "24h" }));
    await platformFigure("operator organizations, first page (unsafeListOrganizations)", (tx) => unsafeListOrganizations(tx, { limit: PAGE }));
    await platformFigure("operator denials (unsafeListDenials)", (tx) => unsafeListDenials(tx, { limit: PAGE }));
    await platformFigure("operator alarms (unsafeListAlarms)", (tx) => unsafeListAlarms(tx, { limit: PAGE }));
    await platformFigure("placement: host capacity (unsafeListHostCapacity, every vm.create)", (tx) => unsafeListHostCapacity(tx));
    console.log(rssLine(launched, "after the database figures"));

    // Level 2: the big fleet, end to end.
    const big = await level(`${(VMS / 1_000_000).toLocaleString("en")}M fleet`, launched, cookies, completions, vms, { deepCursor, historyVm, acmeRealmCursor });

    // ---------------------------------------------------------------------------------------
    const ms = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : "-");
    const table = (rows: string[][]) => {
      const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
      for (const [i, row] of rows.entries()) {
        console.log(row.map((cell, j) => (j === 0 ? cell.padEnd(widths[j]!) : cell.padStart(widths[j]!))).join("  "));
        if (i === 0) console.log(widths.map((w) => "-".repeat(w)).join("  "));
      }
    };
    console.log("\nAt the database (statements of one repository call, round trips over loopback; tenant: realm-bound transaction)");
    table([
      ["query", "role", "stmts", "rows", "p50 ms", "p99 ms", "seq scan on hot table"],
      ...dbFigures.map((f) => [f.label, f.role, String(f.statements.length), String(f.rows), ms(f.timing.p50), ms(f.timing.p99), f.seqScans.length ? `YES: ${[...new Set(f.seqScans)].join(", ")}` : "no"]),
    ]);
    console.log(`\nEnd to end over HTTP (sequential, one client), small fleet vs ${big.name}`);
    const labels = [...new Set([...small.http.keys(), ...big.http.keys()])];
    const cell = (f: (Figure & { error?: string }) | undefined, key: "p50" | "p99") => (f ? (f.error ? "error" : ms(f[key])) : "-");
    table([
      ["figure", "small p50", "small p99", "big p50", "big p99", "big p99 ÷ small p99", "big bytes", "over 100 ms"],
      ...labels.map((label) => {
        const s = small.http.get(label);
        const b = big.http.get(label);
        return [
          label,
          cell(s, "p50"),
          cell(s, "p99"),
          cell(b, "p50"),
          cell(b, "p99"),
          s && b && !s.error && !b.error ? `${(b.p99 / s.p99).toFixed(1)}×` : "-",
          b && !b.error ? String(b.bytes) : "-",
          b && !b.error && b.p99 > 100 ? "YES" : "",
        ];
      }),
      ...[small, big].flatMap((l) => [
        [`vm.start/stop accepted (${l.name})`, "", "", ms(l.life.accepted.p50), ms(l.life.accepted.p99), "", "", ""],
        [`vm.start/stop completed (${l.name})`, "", "", ms(l.life.completed.p50), ms(l.life.completed.p99), "", "", ""],
      ]),
    ]);
    console.log(`  vm.start accepted p99, big fleet ÷ small fleet: ${(big.life.accepted.p99 / small.life.accepted.p99).toFixed(2)}×`);
    for (const l of [small, big]) console.log(`  ${l.name}: ${l.life.accepted.n} actions, ${l.life.refused} refused, ${l.life.failed} failed operations`);
    for (const [label, f] of [...small.http, ...big.http]) if (f.error) console.log(`  ${label}: ${f.error}`);
    console.log(`\nMemory\n${small.rss}\n${big.rss}`);
    console.log(`\nSeeding: ${seeded.seconds.toFixed(0)} s (${Object.entries(seeded.counts).map(([t, n]) => `${t} ${n.toLocaleString("en")}`).join(", ")})`);
    if (EXPLAIN) {
      console.log("\nEXPLAIN (ANALYZE, BUFFERS) of each statement");
      for (const f of dbFigures) console.log(`\n  ${f.label} [${f.role}]\n${f.plans.join("\n")}`);
    }
  } finally {
    await capture?.client.$disconnect().catch(() => undefined);
    await completions?.close().catch(() => undefined);
    for (const client of clients) await client.end().catch(() => undefined);
    if (launched) await stopLauncher(launched);
    if (process.env.BENCH_KEEP !== "1") rmSync(runDir, { recursive: true, force: true });
  }
  console.log(`\n  bench wall time ${((now() - started) / 1000).toFixed(0)} s on ${os.cpus().length} cores`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exit(1);
  },
);
