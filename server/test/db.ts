import { randomBytes } from "node:crypto";
import pg from "pg";
import { inject } from "vitest";
import { createDb, type Db } from "../db/client";
import { ROLES, urlAs, type DatabaseUrls, type RolePasswords } from "../db/roles";

/**
 * A fresh, migrated database for one test file, cloned from the template. `db` is the platform
 * client (bypasses row-level security: test setup and assertions); `tenantDb` is what the web
 * tier's procedures get; `url` is the platform role's URL (the worker's), `urls` all three roles'.
 */
export type TestDatabase = RoleClients & { drop: () => Promise<void> };

export type RoleClients = { url: string; urls: DatabaseUrls; db: Db; tenantDb: Db };

/** The three roles' URLs for a database of the server at adminUrl. */
export function roleUrls(adminUrl: string, database: string, passwords: RolePasswords): DatabaseUrls {
  return {
    owner: urlAs(adminUrl, ROLES.owner, passwords.owner, database),
    tenant: urlAs(adminUrl, ROLES.tenant, passwords.tenant, database),
    platform: urlAs(adminUrl, ROLES.platform, passwords.platform, database),
  };
}

/** A platform and a tenant client, each logged in as its own role. */
export function roleClients(urls: DatabaseUrls, poolSize = 5): RoleClients {
  const db = createDb(urls.platform, { poolSize });
  return { url: urls.platform, urls, db, tenantDb: createDb(urls.tenant, { poolSize, keySource: db }) };
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const adminUrl = inject("pgAdminUrl");
  const name = `test_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name} TEMPLATE ${inject("templateDatabase")} OWNER ${ROLES.owner}`);
  await admin.end();
  const clients = roleClients(roleUrls(adminUrl, name, inject("pgRolePasswords")));
  const { db, tenantDb } = clients;
  return {
    ...clients,
    drop: async () => {
      await Promise.all([db.$disconnect(), tenantDb.$disconnect()]);
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

/** Creating a database from a template needs the template to have no other sessions. */
export async function emptyDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const adminUrl = inject("pgAdminUrl");
  const name = `empty_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

