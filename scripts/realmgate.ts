import path from "node:path";
import { DEMO_ACCOUNTS, DEMO_PASSWORD, registerHosts, seedDemoData } from "../prisma/seed";
import { hostName, loadLauncherConfig, type LauncherConfig } from "../server/config";
import { deriveHostSecret } from "../server/contracts/signing";
import { createDb, PLATFORM_URL_ENV, TENANT_URL_ENV } from "../server/db/client";
import { assertPortFree, startEmbeddedPostgres, StartupError, type EmbeddedServer } from "../server/db/embedded";
import { assertSafeRoles, bootstrapRoles, databaseOf, DatabaseRoleError, isSuperuser, type DatabaseUrls } from "../server/db/roles";
import { migrate } from "../server/db/migrate";
import { applyQuotaDefaults } from "../server/services/quotas";
import { buildIfStale } from "./launcher/build";
import { Supervisor } from "./launcher/supervisor";

/**
 * `npm start` / `npm run dev`: the whole product in one command. PostgreSQL (embedded unless
 * DATABASE_URL is set) → migrations → host registration and demo data → one agent per simulated
 * Xen host → the worker → the Next.js server. Ctrl-C stops every child and the database.
 */

const mode = process.argv[2] === "dev" ? "dev" : "start";
const root = path.resolve(import.meta.dirname, "..");
const HOST_VCPUS = 32;
const HOST_MEMORY_MB = 65_536;

async function main(): Promise<void> {
  const startedAt = Date.now();
  let config: LauncherConfig;
  try {
    config = loadLauncherConfig(root);
  } catch (error) {
    // A bad setting (a port, REALMGATE_DEFAULT_QUOTA…) is the person's to fix: its message, no stack.
    throw new StartupError((error as Error).message);
  }
  await assertPortFree(config.webPort, "web server", "PORT");
  for (let i = 0; i < config.hostCount; i++) {
    await assertPortFree(config.agentBasePort + i, `agent ${hostName(i)}`, "REALMGATE_AGENT_BASE_PORT");
  }

  let pg: EmbeddedServer | null = null;
  if (!config.databaseUrl) {
    console.log(`Starting embedded PostgreSQL (data in ${path.relative(root, config.dataDir) || "."}/pg)…`);
    pg = await startEmbeddedPostgres({ dataDir: path.join(config.dataDir, "pg"), port: config.pgPort, password: config.postgresPassword, settings: config.pgSettings });
  }
  const supervisor = new Supervisor((name, code) => {
    console.error(`[${name}] exited with code ${code}; stopping Realmgate.`);
    void shutdown(1);
  });
  let shuttingDown = false;
  async function shutdown(code: number): Promise<void> {
    if (shuttingDown) return;
    shuttingDown = true;
    console.log("\nStopping Realmgate…");
    await supervisor.stopAll();
    await pg?.stop().catch(() => undefined);
    process.exit(code);
  }
  process.on("SIGINT", () => void shutdown(0));
  process.on("SIGTERM", () => void shutdown(0));

  try {
    // This process writes audit records too (the demo data): it signs them like the web tier.
    process.env.REALMGATE_AUDIT_SECRET = config.auditSecret;
    const urls = await databaseRoles(config, pg);
    const { applied } = await migrate(urls.owner);
    if (applied.length) console.log(`Applied migrations: ${applied.join(", ")}`);
    const db = createDb(urls.platform, { poolSize: 2 });
    const hosts = Array.from({ length: config.hostCount }, (_, i) => ({
      name: hostName(i),
      agentUrl: `http://127.0.0.1:${config.agentBasePort + i}`,
      vcpus: HOST_VCPUS,
      memoryMb: HOST_MEMORY_MB,
    }));
    await registerHosts(db, hosts);
    // Before the demo data: new realms (seeded ones included) get the configured quota.
    await applyQuotaDefaults(db, config.defaultQuota);
    if (await seedDemoData(db, config.categoryRange, { nextAuthSecret: config.nextAuthSecret })) console.log("Seeded demo data.");
    await db.$disconnect();

    const tsxNode = (file: string) => [process.execPath, ["--import", "tsx", path.join(root, file)]] as const;
    // Opt-in V8 CPU profiles (bench/lifecycle.bench.ts): with REALMGATE_CPU_PROF_DIR set, the web
    // server, the worker and the agents run with --cpu-prof and write
    // <dir>/{web,worker,agents}/*.cpuprofile when they exit (gracefully: each exits through
    // process.exit on SIGTERM; the agents share a directory, one file per process). Off by default.
    const cpuProfDir = process.env.REALMGATE_CPU_PROF_DIR;
    const cpuProf = (name: string) => (cpuProfDir ? ["--cpu-prof", `--cpu-prof-dir=${path.resolve(cpuProfDir, name)}`] : []);
    // Each process gets the database roles it needs and no other: the worker the platform role,
    // the web tier the tenant and platform roles; nobody but the launcher the owner.
    // The audit secret goes to the web tier and the worker only (never to an agent, never to the database).
    const { DATABASE_URL: _owner, [TENANT_URL_ENV]: _tenant, [PLATFORM_URL_ENV]: _platform, REALMGATE_AUDIT_SECRET: _audit, ...inherited } = process.env;
    const auditEnv = { REALMGATE_AUDIT_SECRET: config.auditSecret, REALMGATE_AUDIT_CHECKPOINT_DIR: config.auditCheckpointDir };
    const baseEnv = { ...inherited, [PLATFORM_URL_ENV]: urls.platform, NODE_ENV: (mode === "dev" ? "development" : "production") as "development" | "production" };
    hosts.forEach((host, i) => {
      const [command, args] = tsxNode("server/agent/main.ts");
      supervisor.start({
        name: `agent ${host.name}`,
        command,
        args: [...cpuProf("agents"), ...args],
        restart: true,
        // The agent gets only its own host's secret and nothing about the database.
        env: {
          PATH: process.env.PATH,
          NODE_ENV: baseEnv.NODE_ENV,
          REALMGATE_HOST_NAME: host.name,
          REALMGATE_AGENT_PORT: String(config.agentBasePort + i),
          REALMGATE_AGENT_SECRET: deriveHostSecret(config.agentMasterSecret, host.name),
          REALMGATE_HOST_STATE_DIR: path.join(config.dataDir, "hosts", host.name),
          REALMGATE_HOST_VCPUS: String(host.vcpus),
          REALMGATE_HOST_MEMORY_MB: String(host.memoryMb),
        },
      });
    });
    const [workerCommand, workerArgs] = tsxNode("server/worker/main.ts");
    supervisor.start({
      name: "worker",
      command: workerCommand,
      args: [...cpuProf("worker"), ...workerArgs],
      restart: true,
      env: { ...baseEnv, ...auditEnv, REALMGATE_AGENT_MASTER_SECRET: config.agentMasterSecret },
    });

    const webEnv = {
      ...baseEnv,
      [TENANT_URL_ENV]: urls.tenant,
      ...auditEnv,
      NEXTAUTH_SECRET: config.nextAuthSecret,
      // Behind a TLS proxy, the public https URL (README, "Running behind TLS").
      NEXTAUTH_URL: process.env.NEXTAUTH_URL || `http://localhost:${config.webPort}`,
      NEXT_TELEMETRY_DISABLED: "1",
    };
    if (mode === "start") buildIfStale(root, webEnv);
    // The web process serves the API routes itself and hands the rest to Next.js (server/web/main.ts).
    const [webCommand, webArgs] = tsxNode("server/web/main.ts");
    supervisor.start({
      name: "web",
      command: webCommand,
      args: [...cpuProf("web"), ...webArgs, mode, String(config.webPort), "127.0.0.1"],
      restart: false,
      env: webEnv,
    });
    await waitForHttp(`http://127.0.0.1:${config.webPort}/api/auth/csrf`, 120_000);
    printBanner(config.webPort, Date.now() - startedAt);
  } catch (error) {
    console.error(`\n${error instanceof Error ? error.message : String(error)}`);
    await shutdown(1);
  }
}

/**
 * The three database roles (server/db/roles.ts). On the embedded server, or when DATABASE_URL
 * is a superuser, the launcher creates them with passwords from the data directory's secrets;
 * otherwise DATABASE_URL is the owner role and the administrator gives the other two URLs.
 * Either way it refuses roles that would let the web tier escape row-level security.
 */
async function databaseRoles(config: LauncherConfig, pg: EmbeddedServer | null): Promise<DatabaseUrls> {
  let urls: DatabaseUrls;
  if (pg) urls = await bootstrapRoles(pg.url("postgres"), "realmgate", config.databasePasswords);
  else if (config.tenantDatabaseUrl && config.platformDatabaseUrl) {
    urls = { owner: config.databaseUrl!, tenant: config.tenantDatabaseUrl, platform: config.platformDatabaseUrl };
  } else if (await isSuperuser(config.databaseUrl!)) {
    urls = await bootstrapRoles(config.databaseUrl!, databaseOf(config.databaseUrl!), config.databasePasswords);
  } else {
    throw new StartupError(
      "DATABASE_URL is not a superuser, so Realmgate cannot create its database roles itself: " +
        "set REALMGATE_TENANT_DATABASE_URL and REALMGATE_PLATFORM_DATABASE_URL too (README: \"Database roles\").",
    );
  }
  try {
    await assertSafeRoles(urls);
  } catch (error) {
    throw error instanceof DatabaseRoleError ? new StartupError(error.message) : error;
  }
  return urls;
}

async function waitForHttp(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
      if (response.ok) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the web server did not answer at ${url} within ${timeoutMs / 1000} s`);
}

function printBanner(port: number, elapsedMs: number): void {
  const width = Math.max(...DEMO_ACCOUNTS.map((a) => a.email.length));
  console.log(`
Realmgate is running at http://localhost:${port}  (ready in ${(elapsedMs / 1000).toFixed(1)} s)

Demo accounts (password: ${DEMO_PASSWORD})
${DEMO_ACCOUNTS.map((a) => `  ${a.email.padEnd(width)}  ${a.org ? `${a.role} of ${a.org}` : a.role}${"alsoIn" in a ? `, ${a.alsoIn.role} of ${a.alsoIn.org}` : ""}`).join("\n")}

Press Ctrl-C to stop.`);
}

main().catch((error: unknown) => {
  console.error(error instanceof StartupError ? `\n${error.message}` : error);
  process.exit(1);
});
