import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../test/db";
import { createUser, setupPlatform, setupTenant, type Tenant } from "../test/fixtures";
import { realmBinding } from "./client";
import { assertSafeRoles, DatabaseRoleError } from "./roles";

/**
 * Layer 2 against an attacker who already owns layer 1: arbitrary SQL as the web tier's tenant
 * role (realmgate_app), on its own connection. Each test is one attack from the security review
 * (issue 10, "the database layer must hold against arbitrary SQL from the tenant role").
 */

let t: TestDatabase;
let a: Tenant;
let b: Tenant;
let key: Buffer;
let opsId: string;
const clients: pg.Client[] = [];

async function tenantClient(): Promise<pg.Client> {
  const c = new pg.Client({ connectionString: t.urls.tenant });
  await c.connect();
  clients.push(c);
  return c;
}

/** One transaction as the tenant role, bound as withRealm binds it (or with the given binding); rolled back. */
async function asTenant<T>(binding: { realmId: string } | { raw: Record<string, string> } | null, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = await tenantClient();
  await c.query("BEGIN");
  try {
    if (binding && "realmId" in binding) await c.query("SELECT set_config('realmgate.realm', $1, true)", [realmBinding(key, binding.realmId)]);
    if (binding && "raw" in binding) for (const [name, value] of Object.entries(binding.raw)) await c.query("SELECT set_config($1, $2, true)", [name, value]);
    return await fn(c);
  } finally {
    await c.query("ROLLBACK").catch(() => undefined);
  }
}

const count = async (c: pg.Client, sql: string, params: unknown[] = []) => (await c.query<{ n: number }>(`SELECT count(*)::int AS n FROM (${sql}) s`, params)).rows[0]!.n;

beforeAll(async () => {
  t = await createTestDatabase();
  const platform = await setupPlatform(t.db);
  a = await setupTenant(t.db, "tr-a", platform.mgmtTemplate.id);
  b = await setupTenant(t.db, "tr-b", platform.mgmtTemplate.id);
  opsId = (await createUser(t.db, "tr-ops", true)).id;
  key = Buffer.from((await t.db.$queryRaw<{ key: Uint8Array }[]>`SELECT key FROM realmgate_private.realm_binding_key`)[0]!.key);
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.end().catch(() => undefined)));
  await t?.drop();
});

describe("1. the tenant role cannot become another role", () => {
  it.each([
    ["SET ROLE postgres", /permission denied|must be member/],
    ["SET ROLE realmgate_platform", /permission denied|must be member/],
    ["SET ROLE realmgate_owner", /permission denied|must be member/],
    ["SET SESSION AUTHORIZATION postgres", /permission denied/],
    ["SET LOCAL session_replication_role = replica", /permission denied/],
    ["ALTER TABLE audit_events DISABLE TRIGGER ALL", /must be owner/],
    ["ALTER TABLE vms DISABLE ROW LEVEL SECURITY", /must be owner/],
  ])("%s is refused", async (statement, error) => {
    await expect(asTenant(null, (c) => c.query(statement))).rejects.toThrow(error);
  });

  it("logs in as a role that is no superuser, has no BYPASSRLS and is a member of no role", async () => {
    const c = await tenantClient();
    const { rows } = await c.query(
      `SELECT rolname, rolsuper, rolbypassrls, (SELECT count(*)::int FROM pg_auth_members m WHERE m.member = r.oid) AS memberships FROM pg_roles r WHERE rolname = current_user`,
    );
    expect(rows[0]).toEqual({ rolname: "realmgate_app", rolsuper: false, rolbypassrls: false, memberships: 0 });
  });

  it("the launcher refuses a tenant connection that is a superuser, the owner, or the platform role", async () => {
    await expect(assertSafeRoles({ tenant: t.urls.tenant, platform: t.urls.platform })).resolves.toBeUndefined();
    const admin = new URL(inject("pgAdminUrl"));
    admin.pathname = new URL(t.urls.tenant).pathname;
    await expect(assertSafeRoles({ tenant: admin.toString(), platform: t.urls.platform })).rejects.toThrow(/superuser/);
    await expect(assertSafeRoles({ tenant: t.urls.owner, platform: t.urls.platform })).rejects.toThrow(/owns the database/);
    await expect(assertSafeRoles({ tenant: t.urls.platform, platform: t.urls.platform })).rejects.toThrow(/BYPASSRLS/);
    await expect(assertSafeRoles({ tenant: t.urls.tenant, platform: admin.toString() })).rejects.toThrow(DatabaseRoleError);
  });
});

describe("2. the tenant role reads only what its realm needs", () => {
  it("password hashes cannot be read at all, bound or not", async () => {
    await expect(asTenant(null, (c) => c.query("SELECT email, password_hash FROM users"))).rejects.toThrow(/permission denied/);
    await expect(asTenant({ realmId: a.realmId }, (c) => c.query("SELECT password_hash FROM users"))).rejects.toThrow(/permission denied/);
    await expect(asTenant({ realmId: a.realmId }, (c) => c.query("SELECT * FROM users"))).rejects.toThrow(/permission denied/);
  });

  it("users, organizations and memberships: none unbound, only the realm's own when bound", async () => {
    const unbound = await asTenant(null, async (c) => ({
      users: await count(c, "SELECT id FROM users"),
      orgs: await count(c, "SELECT id FROM organizations"),
      members: await count(c, "SELECT user_id FROM memberships"),
    }));
    expect(unbound).toEqual({ users: 0, orgs: 0, members: 0 });
    const bound = await asTenant({ realmId: a.realmId }, async (c) => ({
      users: (await c.query<{ id: string }>("SELECT id FROM users ORDER BY id")).rows.map((r) => r.id),
      orgs: (await c.query<{ id: string }>("SELECT id FROM organizations")).rows.map((r) => r.id),
      members: (await c.query<{ org_id: string }>("SELECT org_id FROM memberships")).rows.map((r) => r.org_id),
    }));
    const aMembers = [...new Set(Object.values(a.members).map((m) => m.id))].sort();
    expect(bound.users).toEqual(aMembers);
    expect(bound.orgs).toEqual([a.orgId]);
    expect(new Set(bound.members)).toEqual(new Set([a.orgId]));
  });

  it("hosts: only those running the realm's VMs, name and status only; no Chinese Wall rows", async () => {
    await t.db.host.create({ data: { id: randomUUID(), name: "tr-empty-host", agentUrl: "http://127.0.0.1:1", vcpus: 1, memoryMb: 1 } });
    const aVm = await t.db.vm.findFirstOrThrow({ where: { realmId: a.realmId } });
    const bVm = await t.db.vm.findFirstOrThrow({ where: { realmId: b.realmId } });
    const hosts = await t.db.host.findMany({ select: { id: true } });
    await t.db.vm.update({ where: { realmId_id: { realmId: a.realmId, id: aVm.id } }, data: { hostId: hosts[0]!.id } });
    await t.db.vm.update({ where: { realmId_id: { realmId: b.realmId, id: bVm.id } }, data: { hostId: hosts[1]!.id } });
    const seen = await asTenant({ realmId: a.realmId }, (c) => c.query<{ id: string }>("SELECT id, name, status FROM hosts"));
    expect(seen.rows.map((r) => r.id)).toEqual([hosts[0]!.id]);
    await expect(asTenant({ realmId: a.realmId }, (c) => c.query("SELECT agent_url FROM hosts"))).rejects.toThrow(/permission denied/);
    await expect(asTenant({ realmId: a.realmId }, (c) => c.query("SELECT * FROM realm_conflicts"))).rejects.toThrow(/permission denied/);
  });
});

describe("3. the realm binding cannot be chosen from SQL", () => {
  const realmRows = (c: pg.Client) => c.query<{ id: string }>("SELECT id FROM realms").then((r) => r.rows.map((x) => x.id));

  it("a binding the web tier signed shows its realm", async () => {
    expect(await asTenant({ realmId: a.realmId }, realmRows)).toEqual([a.realmId]);
  });

  it.each([
    ["the old plain setting realmgate.realm_id", () => ({ "realmgate.realm_id": b.realmId })],
    ["a bare realm id", () => ({ "realmgate.realm": b.realmId })],
    ["another realm's id with A's signature", () => ({ "realmgate.realm": realmBinding(key, a.realmId).replace(a.realmId, b.realmId) })],
    ["a forged signature", () => ({ "realmgate.realm": `${b.realmId}.${Math.floor(Date.now() / 1000) + 60}.${"0".repeat(64)}` })],
    ["a signature under another key", () => ({ "realmgate.realm": realmBinding(Buffer.alloc(32, 7), b.realmId) })],
    ["an expired binding", () => ({ "realmgate.realm": realmBinding(key, b.realmId, Date.now() - 10 * 60_000) })],
    ["an extended expiry", () => ({ "realmgate.realm": realmBinding(key, b.realmId).replace(/\.(\d+)\./, (_, s) => `.${Number(s) + 1}.`) })],
    // Only a signed binding is parsed: these fail the signature, never a cast.
    ["a malformed realm and expiry", () => ({ "realmgate.realm": `not-a-uuid.soon.${"0".repeat(64)}` })],
    ["a signed binding with a fourth part", () => ({ "realmgate.realm": `${realmBinding(key, b.realmId)}.extra` })],
    ["a signed binding cut short", () => ({ "realmgate.realm": realmBinding(key, b.realmId).split(".").slice(0, 2).join(".") })],
  ])("%s binds nothing: 0 rows, and writes are refused", async (_, setting) => {
    expect(await asTenant({ raw: setting() }, realmRows)).toEqual([]);
    expect(await asTenant({ raw: setting() }, (c) => count(c, "SELECT id FROM vms"))).toBe(0);
    await expect(
      asTenant({ raw: setting() }, (c) => c.query(`INSERT INTO vms (realm_id, id, name, vcpus, memory_mb) VALUES ($1, $2, 'intruder', 1, 128)`, [b.realmId, randomUUID()])),
    ).rejects.toThrow(/row-level security/);
  });

  it("the key, its hash function and the channel names cannot be read or called", async () => {
    await expect(asTenant(null, (c) => c.query("SELECT key FROM realmgate_private.realm_binding_key"))).rejects.toThrow(/permission denied/);
    await expect(asTenant(null, (c) => c.query("SELECT realmgate_private.hmac_hex('x')"))).rejects.toThrow(/permission denied/);
    await expect(asTenant(null, (c) => c.query("SELECT realmgate_realm_channel($1)", [b.realmId]))).rejects.toThrow(/permission denied/);
    await expect(asTenant(null, (c) => c.query("SELECT realmgate_access_channel()"))).rejects.toThrow(/permission denied/);
    await expect(asTenant(null, (c) => c.query("SELECT pg_notify(realmgate_access_channel(), 'x')"))).rejects.toThrow(/permission denied/);
  });
});

describe("4. notifications do not leak across realms", () => {
  it("a tenant session hears nothing of another realm's changes, and cannot notify another realm", async () => {
    const eavesdropper = await tenantClient();
    const heard: string[] = [];
    eavesdropper.on("notification", (n) => heard.push(`${n.channel}:${n.payload}`));
    // The old shared channel, and every name it could guess from what it can read.
    await eavesdropper.query("LISTEN realmgate_events");
    await eavesdropper.query(`LISTEN "realmgate_realm_${b.realmId}"`);
    const bChannel = (await t.db.$queryRaw<{ c: string }[]>`SELECT realmgate_realm_channel(${b.realmId}::uuid) AS c`)[0]!.c;
    const platformListener = new pg.Client({ connectionString: t.urls.platform });
    await platformListener.connect();
    clients.push(platformListener);
    const platformHeard: string[] = [];
    platformListener.on("notification", (n) => platformHeard.push(n.payload ?? ""));
    await platformListener.query(`LISTEN "${bChannel}"`);

    // Realm B changes (as the web tier would notify it, in B's own transaction).
    await asTenant({ realmId: b.realmId }, async (c) => {
      await c.query("SELECT realmgate_notify_realm($1, $2, false)", [b.realmId, JSON.stringify({ realmId: b.realmId, kind: "vm" })]);
      await c.query("COMMIT");
    });
    // A tries to notify B's channel from A's transaction.
    await expect(
      asTenant({ realmId: a.realmId }, (c) => c.query("SELECT realmgate_notify_realm($1, $2, false)", [b.realmId, JSON.stringify({ realmId: b.realmId, kind: "vm" })])),
    ).rejects.toThrow(/only its own realm/);
    await new Promise((r) => setTimeout(r, 300));
    expect(platformHeard).toEqual([JSON.stringify({ realmId: b.realmId, kind: "vm" })]);
    expect(heard).toEqual([]);
  });
});

describe("5. the audit trail is append-only by privilege", () => {
  it.each([
    ["UPDATE audit_events SET reason = 'rewritten'"],
    ["DELETE FROM audit_events"],
    ["TRUNCATE audit_events"],
  ])("%s: permission denied for the tenant and the platform role", async (statement) => {
    await expect(asTenant({ realmId: a.realmId }, (c) => c.query(statement))).rejects.toThrow(/permission denied/);
    const platform = new pg.Client({ connectionString: t.urls.platform });
    await platform.connect();
    clients.push(platform);
    await expect(platform.query(statement)).rejects.toThrow(/permission denied/);
  });
});

describe("6. an operation acting as another realm needs a break-glass grant", () => {
  const insert = (c: pg.Client | { query: pg.Client["query"] }, args: { realm: string; subject: string; vm: string; grant?: string | null; by?: string | null }) =>
    c.query(
      `INSERT INTO operations (realm_id, subject_realm_id, id, vm_id, action, request_id, deadline_at, requested_by_id, break_glass_grant_id, status)
       VALUES ($1, $2, $3, $4, 'start', 'tr', now() + interval '1 minute', $5, $6, 'succeeded')`,
      [args.realm, args.subject, randomUUID(), args.vm, args.by ?? null, args.grant ?? null],
    );
  let platform: pg.Client;
  let bVm: string;
  beforeAll(async () => {
    platform = new pg.Client({ connectionString: t.urls.platform });
    await platform.connect();
    clients.push(platform);
    bVm = (await t.db.vm.findFirstOrThrow({ where: { realmId: b.realmId } })).id;
  });

  const grant = async (realmId: string, operatorId: string, opts: { expired?: boolean; revoked?: boolean } = {}) => {
    const id = randomUUID();
    await t.db.breakGlassGrant.create({ data: { id, realmId, operatorId, reason: "tenant-role test grant", expiresAt: new Date(Date.now() + 60_000) } });
    if (opts.revoked) await t.db.breakGlassGrant.update({ where: { id }, data: { revokedAt: new Date() } });
    if (opts.expired) await t.db.$executeRaw`UPDATE break_glass_grants SET created_at = now() - interval '2 hours', expires_at = now() - interval '1 hour' WHERE id = ${id}::uuid`;
    return id;
  };

  it("even the platform role cannot insert one without a grant", async () => {
    await expect(insert(platform, { realm: b.realmId, subject: a.realmId, vm: bVm, by: opsId })).rejects.toThrow(/break-glass grant/);
  });

  it("a revoked, expired, foreign-realm or someone else's grant does not count; a live one on the VM's realm does", async () => {
    const revoked = await grant(b.realmId, opsId, { revoked: true });
    await expect(insert(platform, { realm: b.realmId, subject: a.realmId, vm: bVm, by: opsId, grant: revoked })).rejects.toThrow(/break-glass grant/);
    const expired = await grant(b.realmId, opsId, { expired: true });
    await expect(insert(platform, { realm: b.realmId, subject: a.realmId, vm: bVm, by: opsId, grant: expired })).rejects.toThrow(/break-glass grant/);
    const onA = await grant(a.realmId, opsId);
    await expect(insert(platform, { realm: b.realmId, subject: a.realmId, vm: bVm, by: opsId, grant: onA })).rejects.toThrow(/break-glass grant/);
    await t.db.breakGlassGrant.update({ where: { id: onA }, data: { revokedAt: new Date() } });
    const live = await grant(b.realmId, opsId);
    await expect(insert(platform, { realm: b.realmId, subject: a.realmId, vm: bVm, by: a.members.owner.id, grant: live })).rejects.toThrow(/break-glass grant/);
    await expect(insert(platform, { realm: b.realmId, subject: a.realmId, vm: bVm, by: opsId, grant: live })).resolves.toMatchObject({ rowCount: 1 });
    await t.db.breakGlassGrant.update({ where: { id: live }, data: { revokedAt: new Date() } });
  });
});

describe("7. one active break-glass grant per operator", () => {
  it("concurrent requests produce exactly one active grant; after revocation a new one is allowed", async () => {
    const op = await createUser(t.db, "tr-racer", true);
    const attempts = await Promise.allSettled(
      Array.from({ length: 6 }, (_, i) =>
        t.db.breakGlassGrant.create({
          data: { id: randomUUID(), realmId: i % 2 ? a.realmId : b.realmId, operatorId: op.id, reason: "concurrent break-glass", expiresAt: new Date(Date.now() + 60_000) },
        }),
      ),
    );
    expect(attempts.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const active = await t.db.breakGlassGrant.findMany({ where: { operatorId: op.id, revokedAt: null, expiresAt: { gt: new Date() } } });
    expect(active).toHaveLength(1);
    await t.db.breakGlassGrant.update({ where: { id: active[0]!.id }, data: { revokedAt: new Date() } });
    await expect(
      t.db.breakGlassGrant.create({ data: { id: randomUUID(), realmId: a.realmId, operatorId: op.id, reason: "after revocation", expiresAt: new Date(Date.now() + 60_000) } }),
    ).resolves.toBeTruthy();
  });
});
