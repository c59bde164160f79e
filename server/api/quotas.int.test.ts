import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withRealm } from "../db/client";
import { DomainError } from "../errors";
import { DEFAULT_QUOTA, type QuotaAmounts } from "../policy/quotas";
import { applyQuotaDefaults, parseQuotaSpec } from "../services/quotas";
import { createTestDatabase, roleClients, type RoleClients, type TestDatabase } from "../test/db";
import { callerFor, createUser, setupPlatform, setupTenant, type Tenant } from "../test/fixtures";

/**
 * Realm quotas through the real router and a real PostgreSQL: atomic reservation under
 * concurrency, the words of a refusal, operators' limits (audited) and the tenant's view.
 */

let t: TestDatabase;
let platform: Awaited<ReturnType<typeof setupPlatform>>;
let ops: { id: string };
let counter = 0;

beforeAll(async () => {
  t = await createTestDatabase();
  // Eight hosts of 16 vCPUs and 32 GiB: room for every test here; quotas are what refuse.
  platform = await setupPlatform(t.db, { agentUrls: Array.from({ length: 8 }, () => "http://127.0.0.1:9") });
  ops = await createUser(t.db, "quota-ops", true);
  // The documented defaults for new realms (the test template database is unlimited).
  await t.db.quotaDefaults.update({ where: { id: true }, data: DEFAULT_QUOTA });
});
afterAll(() => t.drop());

/** A fresh organization with the given limits (the rest: the defaults), set as an operator would. */
async function tenantWith(limits: Partial<QuotaAmounts>): Promise<Tenant & { name: string }> {
  const name = `quota-${++counter}`; // the organization's display name
  const tenant = await setupTenant(t.db, name, platform.mgmtTemplate.id);
  if (Object.keys(limits).length) await callerFor(t, ops).operator.quotas.set({ realmId: tenant.realmId, ...limits, reason: "test fixture limits" });
  return { ...tenant, name };
}

async function errorOf(promise: Promise<unknown>): Promise<TRPCError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TRPCError);
  return error as TRPCError;
}

const fieldOf = (error: TRPCError) => (error.cause instanceof DomainError ? error.cause.details.field : undefined);
const usage = (realmId: string) => t.db.realmQuota.findUniqueOrThrow({ where: { realmId } });
const guestCount = (realmId: string) => t.db.vm.count({ where: { realmId, kind: "guest", observedState: { not: "destroyed" } } });

describe("atomic reservation", () => {
  it("200 concurrent creates against a quota of 10 VMs yield exactly 10", async () => {
    const tenant = await tenantWith({ vms: 10 });
    // Its own pools, large enough that the quota, not connection waits, decides the outcome.
    const clients: RoleClients = roleClients(t.urls, 20);
    try {
      const caller = callerFor(clients, tenant.members.owner);
      const results = await Promise.allSettled(Array.from({ length: 200 }, (_, i) => caller.vm.create({ name: `burst-${i}`, templateId: platform.template.id })));
      const fulfilled = results.filter((r) => r.status === "fulfilled");
      const rejected = results.filter((r): r is PromiseRejectedResult => r.status === "rejected").map((r) => r.reason as TRPCError);
      expect(fulfilled).toHaveLength(10);
      expect(rejected).toHaveLength(190);
      for (const error of rejected) {
        expect(error.code).toBe("PRECONDITION_FAILED");
        expect(error.message).toBe(`${tenant.name} uses 10 of 10 VMs; this VM needs 1`);
      }
      expect(await guestCount(tenant.realmId)).toBe(10);
      expect(await usage(tenant.realmId)).toMatchObject({ usedVms: 10, usedVcpus: 10, usedMemoryMb: 10 * 512 });
    } finally {
      await Promise.all([clients.db.$disconnect(), clients.tenantDb.$disconnect()]);
    }
  });

  it("with quotas set, one tenant cannot fill every host and block other realms' creates", async () => {
    // The fleet has 128 vCPUs; realm A asks for 80 at once and may use 8 of them.
    const greedy = await tenantWith({ vcpus: 8 });
    const other = await tenantWith({});
    const greedyCaller = callerFor(t, greedy.members.owner);
    const results = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => greedyCaller.vm.create({ name: `greedy-${i}`, templateId: platform.template.id, vcpus: 4 })));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(2);
    for (const r of results.filter((r): r is PromiseRejectedResult => r.status === "rejected")) {
      expect((r.reason as TRPCError).message).toBe(`${greedy.name} uses 8 of 8 vCPUs; this VM needs 4`);
    }
    const otherCaller = callerFor(t, other.members.owner);
    for (let i = 0; i < 4; i++) await otherCaller.vm.create({ name: `fair-${i}`, templateId: platform.template.id, vcpus: 4 });
    expect(await guestCount(other.realmId)).toBe(4);
  });
});

describe("refusals name the quota, the usage and the limit", () => {
  it("vCPUs: on the vcpus field, and nothing is written", async () => {
    const tenant = await tenantWith({ vcpus: 3 });
    const caller = callerFor(t, tenant.members.owner);
    await caller.vm.create({ name: "two-cpus", templateId: platform.template.id, vcpus: 2 });
    const before = await t.db.vm.count();
    const error = await errorOf(caller.vm.create({ name: "two-more", templateId: platform.template.id, vcpus: 2 }));
    expect(error.code).toBe("PRECONDITION_FAILED");
    expect(error.message).toBe(`${tenant.name} uses 2 of 3 vCPUs; this VM needs 2`);
    expect(fieldOf(error)).toBe("vcpus");
    expect(error.cause).toMatchObject({ details: { quota: "vcpus", used: 2, limit: 3, need: 2 } });
    expect(await t.db.vm.count()).toBe(before);
    expect(await usage(tenant.realmId)).toMatchObject({ usedVcpus: 2, usedVms: 1 });
  });

  it("memory: on the memoryMb field", async () => {
    const tenant = await tenantWith({ memoryMb: 1024 });
    const caller = callerFor(t, tenant.members.owner);
    await caller.vm.create({ name: "half", templateId: platform.template.id, memoryMb: 768 });
    const error = await errorOf(caller.vm.create({ name: "too-much", templateId: platform.template.id, memoryMb: 512 }));
    expect(error.message).toBe(`${tenant.name} uses 768 of 1,024 MiB of memory; this VM needs 512 MiB`);
    expect(fieldOf(error)).toBe("memoryMb");
  });

  it("disk GiB: on the sizeGb field; deleting a disk gives its GiB back", async () => {
    const tenant = await tenantWith({ diskGb: 10 });
    const caller = callerFor(t, tenant.members.owner);
    const { diskId } = await caller.disk.create({ name: "six", sizeGb: 6 });
    const error = await errorOf(caller.disk.create({ name: "five", sizeGb: 5 }));
    expect(error.message).toBe(`${tenant.name} uses 6 of 10 GiB of disk; this disk needs 5 GiB`);
    expect(fieldOf(error)).toBe("sizeGb");
    expect(await t.db.disk.count({ where: { realmId: tenant.realmId } })).toBe(1);
    await caller.disk.delete({ diskId });
    expect(await usage(tenant.realmId)).toMatchObject({ usedDiskGb: 0 });
    await caller.disk.create({ name: "ten", sizeGb: 10 });
    expect(await usage(tenant.realmId)).toMatchObject({ usedDiskGb: 10 });
  });

  it("network count: on the name field; deleting a network gives it back", async () => {
    const tenant = await tenantWith({ networks: 1 });
    const caller = callerFor(t, tenant.members.owner);
    const { networkId } = await caller.network.create({ name: "only" });
    const error = await errorOf(caller.network.create({ name: "second" }));
    expect(error.message).toBe(`${tenant.name} uses 1 of 1 network; this network needs 1`);
    expect(fieldOf(error)).toBe("name");
    await caller.network.delete({ networkId });
    await caller.network.create({ name: "second" });
    expect(await usage(tenant.realmId)).toMatchObject({ usedNetworks: 1 });
  });

  it("a realm over one limit can still create what that limit does not cover", async () => {
    const tenant = await tenantWith({ vms: 0 });
    const caller = callerFor(t, tenant.members.owner);
    expect((await errorOf(caller.vm.create({ name: "none", templateId: platform.template.id }))).message).toBe(`${tenant.name} uses 0 of 0 VMs; this VM needs 1`);
    await caller.network.create({ name: "still-fine" });
    await caller.disk.create({ name: "still-fine", sizeGb: 1 });
  });

  it("the realm's management VM does not count against its quota", async () => {
    const tenant = await tenantWith({});
    expect(await t.db.vm.count({ where: { realmId: tenant.realmId, kind: "management" } })).toBe(1);
    expect(await usage(tenant.realmId)).toMatchObject({ usedVms: 0, usedVcpus: 0, usedMemoryMb: 0 });
  });
});

describe("operators set quotas; tenants see theirs", () => {
  it("a new realm gets the configured defaults", async () => {
    await t.db.quotaDefaults.update({ where: { id: true }, data: { vcpus: 7, memoryMb: 7_000, vms: 7, diskGb: 70, networks: 3 } });
    try {
      const tenant = await setupTenant(t.db, "quota-defaults", platform.mgmtTemplate.id);
      expect(await usage(tenant.realmId)).toMatchObject({ vcpus: 7, memoryMb: 7_000, vms: 7, diskGb: 70, networks: 3, usedVms: 0 });
    } finally {
      await t.db.quotaDefaults.update({ where: { id: true }, data: DEFAULT_QUOTA });
    }
  });

  it("every change is audited in the realm's trail with the operator and the reason; above the defaults it is an override", async () => {
    const tenant = await tenantWith({});
    const caller = callerFor(t, ops);
    const lowered = await caller.operator.quotas.set({ realmId: tenant.realmId, vms: 5, reason: "trial account: five VMs" });
    expect(lowered).toMatchObject({ override: false, limits: { ...DEFAULT_QUOTA, vms: 5 } });
    const raised = await caller.operator.quotas.set({ realmId: tenant.realmId, vcpus: 128, reason: "ticket 4711: batch workload" });
    expect(raised).toMatchObject({ override: true, limits: { ...DEFAULT_QUOTA, vms: 5, vcpus: 128 } });
    const trail = await t.db.auditEvent.findMany({ where: { realmId: tenant.realmId, targetType: "quota", reason: { not: "test fixture limits" } }, orderBy: { id: "asc" } });
    expect(trail).toMatchObject([
      { action: "quota.set", actorId: ops.id, decision: "allow", reason: "trial account: five VMs", details: { before: DEFAULT_QUOTA, changed: ["vms"], override: false } },
      { action: "quota.override", actorId: ops.id, decision: "allow", reason: "ticket 4711: batch workload", details: { changed: ["vcpus"], override: true } },
    ]);
    // The tenant sees its limits and usage (any member with realm.read, a viewer included).
    const seen = await callerFor(t, tenant.members.viewer).realm.quota();
    expect(seen).toMatchObject({ limits: { ...DEFAULT_QUOTA, vms: 5, vcpus: 128 }, used: { vms: 0, vcpus: 0 } });
    // And the operator sees every realm's.
    const all = await caller.operator.quotas.list({ limit: 200 });
    expect(all.defaults).toEqual(DEFAULT_QUOTA);
    expect(all.items.find((r) => r.realmId === tenant.realmId)).toMatchObject({ org: { name: tenant.name }, limits: { vms: 5 } });
  });

  it("a change needs a reason and at least one limit; an unknown realm is NOT_FOUND", async () => {
    const tenant = await tenantWith({});
    const caller = callerFor(t, ops);
    expect((await errorOf(caller.operator.quotas.set({ realmId: tenant.realmId, vms: 5, reason: "" }))).code).toBe("BAD_REQUEST");
    expect((await errorOf(caller.operator.quotas.set({ realmId: tenant.realmId, reason: "nothing to change" }))).code).toBe("BAD_REQUEST");
    expect((await errorOf(caller.operator.quotas.set({ realmId: tenant.realmId, vms: -1, reason: "negative limit" }))).code).toBe("BAD_REQUEST");
    expect((await errorOf(caller.operator.quotas.set({ realmId: crypto.randomUUID(), vms: 5, reason: "no such realm" }))).code).toBe("NOT_FOUND");
    expect(await usage(tenant.realmId)).toMatchObject({ vms: DEFAULT_QUOTA.vms });
  });

  it("tenants cannot set or list quotas, not even their owner: NOT_FOUND like any operator page", async () => {
    const tenant = await tenantWith({ vms: 2 });
    const owner = callerFor(t, tenant.members.owner);
    const set = await errorOf(owner.operator.quotas.set({ realmId: tenant.realmId, vms: 1000, reason: "give me more please" }));
    expect(set.code).toBe("NOT_FOUND");
    expect((await errorOf(owner.operator.quotas.list())).code).toBe("NOT_FOUND");
    expect(await usage(tenant.realmId)).toMatchObject({ vms: 2 });
  });

  it("a tenant's own SQL cannot raise its limits (the tenant role may write only the usage columns)", async () => {
    const tenant = await tenantWith({ vms: 2 });
    const attempt = withRealm(t.tenantDb, tenant.realmId, (tx) => tx.$executeRaw`UPDATE "realm_quotas" SET "vms" = 1000 WHERE "realm_id" = ${tenant.realmId}::uuid`);
    await expect(attempt).rejects.toThrow(/permission denied/);
    // Nor touch another realm's row: row-level security shows it none.
    const other = await tenantWith({});
    const touched = await withRealm(t.tenantDb, tenant.realmId, (tx) => tx.$executeRaw`UPDATE "realm_quotas" SET "used_vms" = 0 WHERE "realm_id" = ${other.realmId}::uuid`);
    expect(touched).toBe(0);
    expect(await usage(tenant.realmId)).toMatchObject({ vms: 2 });
  });
});

describe("configured defaults", () => {
  it("the launcher's write of REALMGATE_DEFAULT_QUOTA works as the platform role, and new realms get it", async () => {
    await applyQuotaDefaults(t.db, parseQuotaSpec("vcpus=6,vms=3"));
    try {
      const tenant = await setupTenant(t.db, "quota-configured", platform.mgmtTemplate.id);
      expect(await usage(tenant.realmId)).toMatchObject({ ...DEFAULT_QUOTA, vcpus: 6, vms: 3 });
    } finally {
      await applyQuotaDefaults(t.db, DEFAULT_QUOTA);
    }
  });
});
