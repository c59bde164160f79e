import { chmodSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { randomBytes } from "node:crypto";
import { startEmbeddedPostgres } from "../db/embedded";
import { migrate } from "../db/migrate";
import { bootstrapRoles, type RolePasswords } from "../db/roles";
import { liftDefaultQuotas } from "./quotas";
import { freePort } from "./ports";

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
    /** The database roles' passwords (server/db/roles.ts), created once per test run. */
    pgRolePasswords: RolePasswords;
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
    const server = await startEmbeddedPostgres({ dataDir: path.join(dir, "pg"), port: await freePort(), password: randomBytes(16).toString("hex") });
    adminUrl = server.url("postgres");
    stop = server.stop;
  }
  const admin = new (await import("pg")).default.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${TEMPLATE_DATABASE} WITH (FORCE)`);
  await admin.end();
  const passwords = { owner: randomBytes(16).toString("hex"), tenant: randomBytes(16).toString("hex"), platform: randomBytes(16).toString("hex") };
  const urls = await bootstrapRoles(adminUrl, TEMPLATE_DATABASE, passwords);
  await migrate(urls.owner);
  await liftDefaultQuotas(urls.owner);
  project.provide("pgAdminUrl", adminUrl);
  project.provide("pgRolePasswords", passwords);
  project.provide("templateDatabase", TEMPLATE_DATABASE);
  project.provide("scratchDir", scratchDir);
  return async () => {
    await stop?.();
    rmSync(dir, { recursive: true, force: true });
  };
}
