import { chmodSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { ensureDatabase, startEmbeddedPostgres } from "../db/embedded";
import { migrate } from "../db/migrate";
import { freePort } from "./processes";

/**
 * Integration tests run against a real PostgreSQL: an embedded server in a temporary directory
 * (or TEST_DATABASE_ADMIN_URL for an existing server), with a migrated template database that
 * each test file clones into a database of its own. Test files make their temporary directories
 * (agent state, the agent bundle) under scratchDir, which goes with the run: a test worker that
 * is killed rather than exiting leaves nothing behind in /tmp.
 */

declare module "vitest" {
  export interface ProvidedContext {
    pgAdminUrl: string;
    templateDatabase: string;
    scratchDir: string;
  }
}

export const TEMPLATE_DATABASE = "realmgate_template";

export default async function setup(project: TestProject) {
  let adminUrl = process.env.TEST_DATABASE_ADMIN_URL;
  let stop: (() => Promise<void>) | undefined;
  const dir = mkdtempSync(path.join(os.tmpdir(), "realmgate-it-"));
  const scratchDir = path.join(dir, "tmp");
  mkdirSync(scratchDir);
  if (!adminUrl) {
    chmodSync(dir, 0o755); // as root, PostgreSQL runs as the postgres user and must reach it
    const server = await startEmbeddedPostgres({ dataDir: path.join(dir, "pg"), port: await freePort() });
    adminUrl = server.url("postgres");
    stop = server.stop;
  }
  const url = new URL(adminUrl);
  url.pathname = `/${TEMPLATE_DATABASE}`;
  const admin = new (await import("pg")).default.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${TEMPLATE_DATABASE} WITH (FORCE)`);
  await admin.end();
  await ensureDatabase(adminUrl, TEMPLATE_DATABASE);
  await migrate(url.toString());
  project.provide("pgAdminUrl", adminUrl);
  project.provide("templateDatabase", TEMPLATE_DATABASE);
  project.provide("scratchDir", scratchDir);
  return async () => {
    await stop?.();
    rmSync(dir, { recursive: true, force: true });
  };
}
