import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../test/db";
import { realmBinding } from "./client";
import { createUser, setupPlatform, setupTenant } from "../test/fixtures";
import { auditKeys } from "../audit-chain/keys";
import { sealAuditBatch } from "../worker/audit-sealer";

/** Layer 2, straight against PostgreSQL: the tenant role sees and writes only the realm it set. */

let t: TestDatabase;
let client: pg.Client;
let a: Awaited<ReturnType<typeof setupTenant>>;
let b: Awaited<ReturnType<typeof setupTenant>>;
let key: Buffer;
let mgmtTemplateId: string;

beforeAll(async () => {
  t = await createTestDatabase();
  const platform = await setupPlatform(t.db);
  mgmtTemplateId = platform.mgmtTemplate.id;
  a = await setupTenant(t.db, "rls-a", platform.mgmtTemplate.id);
  b = await setupTenant(t.db, "rls-b", platform.mgmtTemplate.id);
  const ops = await createUser(t.db, "rls-ops", true);
  await t.db.breakGlassGrant.create({
    data: { realmId: b.realmId, id: randomUUID(), operatorId: ops.id, reason: "rls test fixture", expiresAt: new Date(Date.now() + 60_000) },
  });
  const bVm = await t.db.vm.findFirstOrThrow({ where: { realmId: b.realmId } });
  await t.db.disk.create({ data: { realmId: b.realmId, id: randomUUID(), name: "rls-disk", sizeGb: 1, vmId: bVm.id } });
  await t.db.vmSnapshot.create({ data: { realmId: b.realmId, id: randomUUID(), vmId: bVm.id, name: "rls-snap", status: "ready", vmState: "stopped", vcpus: 1, memoryMb: 512, sizeGb: 1 } });
  // A driver domain (issue 15 part 3) on the host of B's VM.
  const host = await t.db.host.findFirstOrThrow();
  const driver = await t.db.driverDomain.create({ data: { realmId: b.realmId, id: randomUUID(), name: "rls-driver", hostId: bVm.hostId ?? host.id } });
  const net = await t.db.network.create({ data: { realmId: b.realmId, id: randomUUID(), name: "rls-net" } });
  // An NDVM network with a rule and a flow test (issue 15 part 4).
  await t.db.networkNdvm.create({ data: { realmId: b.realmId, networkId: net.id, driverDomainId: driver.id } });
  await t.db.networkRule.create({ data: { realmId: b.realmId, id: randomUUID(), fromKind: "vm", fromId: bVm.id, toKind: "uplink", protocol: "any" } });
  await t.db.flowTest.create({ data: { realmId: b.realmId, id: randomUUID(), networkId: net.id, fromVmId: bVm.id, protocol: "icmp" } });
  await t.db.vmNetwork.create({ data: { realmId: b.realmId, vmId: bVm.id, networkId: net.id } });
  // A sharing agreement B proposed to nobody, and a test send over it (issue 15 part 5).
  const agreementId = randomUUID();
  await t.db.agreement.create({ data: { id: agreementId, realmId: b.realmId, sourceOrg: "rls-b", targetOrg: "nobody", targetVmName: "x", fromVmId: bVm.id, fromVmName: bVm.name, port: 7000, expiresAt: new Date(Date.now() + 60_000) } });
  await t.db.agreementTest.create({ data: { realmId: b.realmId, id: randomUUID(), agreementId } });
  await t.db.idempotencyKey.create({ data: { realmId: b.realmId, userId: b.members.owner.id, key: "rls-fixture", requestHash: "x" } });
  // A console session with a line of output, and a metrics sample (issue 14).
  const consoleId = randomUUID();
  await t.db.consoleSession.create({ data: { realmId: b.realmId, id: consoleId, vmId: bVm.id, openedById: b.members.owner.id } });
  await t.db.consoleIo.create({ data: { realmId: b.realmId, sessionId: consoleId, direction: "out", data: "rls fixture output\r\n" } });
  const zero = BigInt(0);
  await t.db.vmMetricSample.create({
    data: { realmId: b.realmId, vmId: bVm.id, at: new Date(), epoch: "rls", state: "running", vcpus: 1, cpuNs: zero, memoryKb: zero, memoryMaxKb: zero, diskReadBytes: zero, diskWriteBytes: zero, diskReadOps: zero, diskWriteOps: zero, netRxBytes: zero, netTxBytes: zero },
  });
  await t.db.invitation.create({
    data: { realmId: b.realmId, id: randomUUID(), email: "rls-invitee@test.local", role: "viewer", tokenHash: randomUUID(), createdById: b.members.owner.id, expiresAt: new Date(Date.now() + 60_000) },
  });
  await t.db.apiToken.create({
    data: {
      realmId: b.realmId,
      id: randomUUID(),
      lookupId: "rlsfixturelookup",
      orgId: (await t.db.realm.findUniqueOrThrow({ where: { id: b.realmId } })).orgId,
      userId: b.members.owner.id,
      name: "rls fixture",
      permissions: ["vm.read"],
      secretHash: "0".repeat(64),
      expiresAt: new Date(Date.now() + 60_000),
    },
  });
  // The audit events so far, sealed into their chains (worker/audit-sealer.ts).
  while ((await sealAuditBatch(t.db, auditKeys())).sealed > 0);
  key = Buffer.from((await t.db.$queryRaw<{ key: Uint8Array }[]>`SELECT key FROM realmgate_private.realm_binding_key`)[0]!.key);
  client = new pg.Client({ connectionString: t.urls.tenant });
  await client.connect();
});
afterAll(async () => {
  await client.end();
  await t.drop();
});

/** Runs statements in one transaction as the tenant role, optionally bound to a realm (as withRealm binds it); rolls back. */
async function asTenant<T>(realmId: string | null, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  await client.query("BEGIN");
  try {
    if (realmId) await client.query("SELECT set_config('realmgate.realm', $1, true)", [realmBinding(key, realmId)]);
    return await fn(client);
  } finally {
    await client.query("ROLLBACK");
  }
}

const TENANT_TABLES = ["realms", "vms", "operations", "audit_events", "audit_chain", "break_glass_grants", "idempotency_keys", "disks", "networks", "vm_networks", "realm_quotas", "invitations", "api_tokens", "console_sessions", "console_io", "vm_metric_samples", "vm_snapshots", "driver_domains", "network_ndvms", "network_rules", "flow_tests", "agreements", "agreement_tests"];

describe("row-level security", () => {
  it("binds every table that carries a realm id and the tenant role may touch, forced, for a role without BYPASSRLS", async () => {
    // Platform-only tables (retired_categories; realm_usage and host_realm_usage, the operators'
    // counts the database keeps) grant the tenant role nothing at all.
    const { rows } = await client.query<{ relname: string; relrowsecurity: boolean; relforcerowsecurity: boolean }>(
      `SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity FROM pg_class c
       WHERE c.relkind = 'r' AND c.relnamespace = 'public'::regnamespace
         AND (c.relname = 'realms' OR EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'realm_id'))
         AND (has_table_privilege(current_user, c.oid, 'SELECT, INSERT, UPDATE, DELETE')
              OR has_any_column_privilege(current_user, c.oid, 'SELECT, INSERT, UPDATE'))`,
    );
    const untouchable = await client.query<{ relname: string }>(
      `SELECT c.relname FROM pg_class c
       WHERE c.relkind = 'r' AND c.relnamespace = 'public'::regnamespace
         AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'realm_id')
         AND NOT has_table_privilege(current_user, c.oid, 'SELECT, INSERT, UPDATE, DELETE')
         AND NOT has_any_column_privilege(current_user, c.oid, 'SELECT, INSERT, UPDATE')`,
    );
    expect(untouchable.rows.map((r) => r.relname).sort()).toEqual(["host_realm_usage", "realm_usage", "retired_categories"]);
    expect(rows.map((r) => r.relname).sort()).toEqual([...TENANT_TABLES].sort());
    expect(rows.every((r) => r.relrowsecurity && r.relforcerowsecurity)).toBe(true);
    const role = await client.query(`SELECT rolbypassrls, rolsuper FROM pg_roles WHERE rolname = current_user`);
    expect(role.rows[0]).toEqual({ rolbypassrls: false, rolsuper: false });
  });

  it.each(TENANT_TABLES)("%s: no realm set → 0 rows", async (table) => {
    const total = await t.db.$queryRawUnsafe<{ n: bigint }[]>(`SELECT count(*) AS n FROM ${table}`);
    expect(Number(total[0]!.n)).toBeGreaterThan(0);
    const seen = await asTenant(null, (c) => c.query(`SELECT count(*)::int AS n FROM ${table}`));
    expect(seen.rows[0].n).toBe(0);
  });

  it("an agreement is visible to its two realms only, and neither side can move it to a third realm", async () => {
    const bVm = await t.db.vm.findFirstOrThrow({ where: { realmId: b.realmId } });
    const aVm = await t.db.vm.findFirstOrThrow({ where: { realmId: a.realmId } });
    const id = randomUUID();
    await t.db.agreement.create({ data: { id, realmId: b.realmId, peerRealmId: a.realmId, sourceOrg: "rls-b", targetOrg: "rls-a", targetVmName: aVm.name, fromVmId: bVm.id, fromVmName: bVm.name, port: 7000, expiresAt: new Date(Date.now() + 60_000) } });
    const third = await setupTenant(t.db, "rls-c", mgmtTemplateId);
    for (const [realmId, sees] of [[a.realmId, true], [b.realmId, true], [third.realmId, false]] as const) {
      const seen = await asTenant(realmId, (c) => c.query(`SELECT id FROM agreements WHERE id = $1`, [id]));
      expect(seen.rowCount, realmId).toBe(sees ? 1 : 0);
    }
    // The tenant may not write the channel's status or counters (the worker's), nor re-point the peer.
    await expect(asTenant(a.realmId, (c) => c.query(`UPDATE agreements SET delivered = 99 WHERE id = $1`, [id]))).rejects.toThrow(/permission denied/);
    await expect(asTenant(a.realmId, (c) => c.query(`UPDATE agreements SET peer_realm_id = $2 WHERE id = $1`, [id, third.realmId]))).rejects.toThrow(/permission denied/);
    // Only the peer (A) accepts: the proposer (B) cannot make its own proposal active, even in SQL.
    await expect(asTenant(b.realmId, (c) => c.query(`UPDATE agreements SET state = 'active', to_vm_id = $2 WHERE id = $1`, [id, aVm.id]))).rejects.toThrow(/only the peer realm accepts/);
    const accepted = await asTenant(a.realmId, (c) => c.query(`UPDATE agreements SET state = 'active', to_vm_id = $2 WHERE id = $1`, [id, aVm.id]));
    expect(accepted.rowCount).toBe(1);
    // The third realm cannot even see it to revoke it.
    const revoked = await asTenant(third.realmId, (c) => c.query(`UPDATE agreements SET state = 'revoked' WHERE id = $1`, [id]));
    expect(revoked.rowCount).toBe(0);
    await t.db.agreement.delete({ where: { id } });
  });

  it("realm A set → only A's rows", async () => {
    const seen = await asTenant(a.realmId, (c) => c.query<{ realm_id: string }>(`SELECT realm_id FROM vms`));
    expect(seen.rows.length).toBeGreaterThan(0);
    expect(seen.rows.every((r) => r.realm_id === a.realmId)).toBe(true);
    const realms = await asTenant(a.realmId, (c) => c.query<{ id: string }>(`SELECT id FROM realms`));
    expect(realms.rows).toEqual([{ id: a.realmId }]);
  });

  it("refuses an insert into another realm", async () => {
    await expect(
      asTenant(a.realmId, (c) =>
        c.query(`INSERT INTO vms (realm_id, id, name, vcpus, memory_mb) VALUES ($1, $2, 'intruder', 1, 128)`, [b.realmId, randomUUID()]),
      ),
    ).rejects.toThrow(/row-level security/);
  });

  it("cannot update, move or delete another realm's rows", async () => {
    const outcome = await asTenant(a.realmId, async (c) => ({
      update: (await c.query(`UPDATE vms SET name = 'taken' WHERE realm_id = $1`, [b.realmId])).rowCount,
      delete: (await c.query(`DELETE FROM operations WHERE realm_id = $1`, [b.realmId])).rowCount,
    }));
    expect(outcome).toEqual({ update: 0, delete: 0 });
    await expect(asTenant(a.realmId, (c) => c.query(`UPDATE vms SET realm_id = $1 WHERE realm_id = $2`, [b.realmId, a.realmId]))).rejects.toThrow(
      /row-level security|never change realm/,
    );
  });

  it("a disk or network cannot be attached to another realm's VM, even by the platform role (composite keys)", async () => {
    const aVm = await t.db.vm.findFirstOrThrow({ where: { realmId: a.realmId } });
    const bDisk = await t.db.disk.findFirstOrThrow({ where: { realmId: b.realmId } });
    await expect(t.db.$executeRaw`UPDATE disks SET vm_id = ${aVm.id}::uuid WHERE id = ${bDisk.id}::uuid`).rejects.toThrow(/foreign key|disks_realm_id_vm_id_fkey/);
    const bNet = await t.db.network.findFirstOrThrow({ where: { realmId: b.realmId } });
    await expect(
      t.db.$executeRaw`INSERT INTO vm_networks (realm_id, vm_id, network_id) VALUES (${b.realmId}::uuid, ${aVm.id}::uuid, ${bNet.id}::uuid)`,
    ).rejects.toThrow(/foreign key|vm_networks_realm_id_vm_id_fkey/);
  });

  it("an operation cannot point at another realm's VM, even for the platform role (composite key)", async () => {
    const bVm = await t.db.vm.findFirstOrThrow({ where: { realmId: b.realmId } });
    await expect(
      t.db.$executeRaw`INSERT INTO operations (realm_id, subject_realm_id, id, vm_id, action, request_id, deadline_at)
                       VALUES (${a.realmId}::uuid, ${a.realmId}::uuid, ${randomUUID()}::uuid, ${bVm.id}::uuid, 'start', 'x', now())`,
    ).rejects.toThrow(/foreign key|operations_realm_id_vm_id_fkey/);
  });

  it("keeps tenants off platform tables and the migration ledger", async () => {
    await expect(asTenant(a.realmId, (c) => c.query(`UPDATE hosts SET status = 'online'`))).rejects.toThrow(/permission denied/);
    await expect(asTenant(a.realmId, (c) => c.query(`SELECT * FROM "_prisma_migrations"`))).rejects.toThrow(/permission denied/);
  });

  it("console and metrics: the tenant role cannot write samples, move the relay's offset, or type into another realm's console", async () => {
    await expect(asTenant(a.realmId, (c) => c.query(`DELETE FROM vm_metric_samples`))).rejects.toThrow(/permission denied/);
    await expect(asTenant(a.realmId, (c) => c.query(`UPDATE console_sessions SET output_offset = 0`))).rejects.toThrow(/permission denied/);
    const bSession = await t.db.consoleSession.findFirstOrThrow({ where: { realmId: b.realmId } });
    await expect(
      asTenant(a.realmId, (c) => c.query(`INSERT INTO console_io (realm_id, session_id, direction, data) VALUES ($1, $2, 'in', 'reboot')`, [b.realmId, bSession.id])),
    ).rejects.toThrow(/row-level security/);
    const seen = await asTenant(a.realmId, (c) => c.query(`SELECT count(*)::int AS n FROM console_io`));
    expect(seen.rows[0].n).toBe(0);
  });

  it("keeps the audit trail append-only", async () => {
    await expect(asTenant(a.realmId, (c) => c.query(`DELETE FROM audit_events WHERE realm_id = $1`, [a.realmId]))).rejects.toThrow(/permission denied/);
  });
});
