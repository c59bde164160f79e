import { randomBytes, randomUUID } from "node:crypto";
import { cpSync, mkdtempSync, readdirSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, expect, it } from "vitest";
import { inject } from "vitest";
import { MIGRATIONS_DIR, migrate } from "./migrate";
import { bootstrapRoles, type DatabaseUrls } from "./roles";

/**
 * The quotas migration on a database that already has realms, run as the owner role (subject to
 * FORCE ROW LEVEL SECURITY, as in production): every realm gets its row, with its current usage
 * (guest VMs not destroyed, disks, networks; never the management VM), limits of at least that
 * usage, and row-level security forced again afterwards.
 */

const QUOTAS = "20261201050000_quotas";
const database = `quota_backfill_${randomBytes(4).toString("hex")}`;
let urls: DatabaseUrls;

afterAll(async () => {
  const admin = new pg.Client({ connectionString: inject("pgAdminUrl") });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  await admin.end();
});

async function sql<T extends pg.QueryResultRow>(url: string, text: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end();
  }
}

it("backfills every existing realm's usage and keeps it within its limits", async () => {
  urls = await bootstrapRoles(inject("pgAdminUrl"), database, inject("pgRolePasswords"));
  const before = mkdtempSync(path.join(os.tmpdir(), "realmgate-before-quotas-"));
  for (const name of readdirSync(MIGRATIONS_DIR).filter((n) => n < QUOTAS && !n.endsWith(".toml"))) {
    cpSync(path.join(MIGRATIONS_DIR, name), path.join(before, name), { recursive: true });
  }
  await migrate(urls.owner, before);

  // Two realms with VMs, disks and networks, written by the platform role as the product would.
  const [template, host] = [randomUUID(), randomUUID()];
  await sql(urls.platform, `INSERT INTO templates (id, name, description, vcpus, memory_mb, disk_gb) VALUES ($1, 'small', 't', 1, 512, 4)`, [template]);
  await sql(urls.platform, `INSERT INTO hosts (id, name, agent_url, vcpus, memory_mb) VALUES ($1, 'h', 'http://127.0.0.1:9', 64, 131072)`, [host]);
  const realms: string[] = [];
  for (const [i, slug] of ["busy", "idle"].entries()) {
    const [org, realm] = [randomUUID(), randomUUID()];
    await sql(urls.platform, `INSERT INTO organizations (id, slug, name) VALUES ($1, $2, $2)`, [org, slug]);
    await sql(urls.platform, `INSERT INTO realms (id, org_id, category_low, category_high) VALUES ($1, $2, $3, $4)`, [realm, org, 2 * i, 2 * i + 1]);
    await sql(urls.platform, `INSERT INTO vms (realm_id, id, name, kind, template_id, vcpus, memory_mb, host_id, observed_state) VALUES ($1, $2, 'mgmt', 'management', $3, 1, 256, $4, 'running')`, [realm, randomUUID(), template, host]);
    realms.push(realm);
  }
  const [busy, idle] = realms as [string, string];
  const vm = (name: string, vcpus: number, memoryMb: number, state: string) =>
    sql(urls.platform, `INSERT INTO vms (realm_id, id, name, kind, template_id, vcpus, memory_mb, host_id, observed_state) VALUES ($1, $2, $3, 'guest', $4, $5, $6, $7, $8)`, [busy, randomUUID(), name, template, vcpus, memoryMb, host, state]);
  await vm("big", 40, 2048, "running"); // above the default 32 vCPUs
  await vm("failed", 2, 1024, "failed"); // holds its share until destroyed
  await vm("gone", 8, 8192, "destroyed"); // holds nothing
  await sql(urls.platform, `INSERT INTO disks (realm_id, id, name, size_gb) VALUES ($1, $2, 'd1', 30), ($1, $3, 'd2', 12)`, [busy, randomUUID(), randomUUID()]);
  await sql(urls.platform, `INSERT INTO networks (realm_id, id, name) VALUES ($1, $2, 'n1')`, [busy, randomUUID()]);

  await migrate(urls.owner);

  const rows = await sql<Record<string, number | string>>(urls.platform, `SELECT * FROM realm_quotas ORDER BY realm_id`);
  const of = (realm: string) => rows.find((r) => r.realm_id === realm);
  expect(of(busy)).toMatchObject({
    used_vcpus: 42,
    used_memory_mb: 3072,
    used_vms: 2,
    used_disk_gb: 42,
    used_networks: 1,
    vcpus: 42, // raised to what it already used: nobody is over quota on day one
    memory_mb: 65536,
    vms: 20,
    disk_gb: 500,
    networks: 10,
  });
  expect(of(idle)).toMatchObject({ used_vcpus: 0, used_memory_mb: 0, used_vms: 0, used_disk_gb: 0, used_networks: 0, vcpus: 32, vms: 20 });

  const forced = await sql<{ relname: string; relforcerowsecurity: boolean }>(
    urls.platform,
    `SELECT relname, relforcerowsecurity FROM pg_class WHERE relname IN ('vms', 'disks', 'networks', 'realms', 'realm_quotas') AND relnamespace = 'public'::regnamespace`,
  );
  expect(forced).toHaveLength(5);
  expect(forced.every((r) => r.relforcerowsecurity)).toBe(true);
});
