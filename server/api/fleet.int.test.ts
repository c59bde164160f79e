import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PLATFORM_URL_ENV, withRealm } from "../db/client";
import { createTestDatabase, type TestDatabase } from "../test/db";
import { callerFor, createUser, setupPlatform, setupTenant, type Tenant } from "../test/fixtures";
import { expectCursorRefused, pageThrough } from "../test/pages";

/**
 * The operators' fleet map (operator.fleet, issue 13): which realm runs where. Its per-host,
 * per-realm sums (host_realm_usage) are kept by triggers on vms and must equal the VM rows
 * after every kind of write, by any role; broken Chinese Walls are the conflict pairs whose two
 * realms share a host; hosts page by cursor; only operators see it.
 */

let t: TestDatabase;
let platform: Awaited<ReturnType<typeof setupPlatform>>;
let acme: Tenant;
let globex: Tenant;
let ops: { id: string };
const previousUrl = process.env[PLATFORM_URL_ENV];

beforeAll(async () => {
  t = await createTestDatabase();
  process.env[PLATFORM_URL_ENV] = t.url;
  platform = await setupPlatform(t.db);
  acme = await setupTenant(t.db, "acme", platform.mgmtTemplate.id);
  globex = await setupTenant(t.db, "globex", platform.mgmtTemplate.id);
  ops = await createUser(t.db, "fleet-ops", true);
});
afterAll(async () => {
  if (previousUrl === undefined) delete process.env[PLATFORM_URL_ENV];
  else process.env[PLATFORM_URL_ENV] = previousUrl;
  await t?.drop();
});

const operator = () => callerFor(t, ops).operator;

/** host_realm_usage must equal the VM rows it sums, for every host and realm. */
async function expectUsageOfRows(step: string): Promise<void> {
  const kept = await t.db.$queryRaw<{ key: string; vms: number; vcpus: bigint; memory: bigint; management: number }[]>`
    SELECT "host_id" || '/' || "realm_id" AS "key", "vms", "vcpus", "memory_mb" AS "memory", "management" FROM "host_realm_usage" ORDER BY 1`;
  const counted = await t.db.$queryRaw<
    { key: string; vms: number; vcpus: bigint; memory: bigint; management: number }[]
  >`
    SELECT "host_id" || '/' || "realm_id" AS "key", count(*)::int AS "vms", sum("vcpus")::bigint AS "vcpus", sum("memory_mb")::bigint AS "memory",
           (count(*) FILTER (WHERE "kind" = 'management'))::int AS "management"
      FROM "vms" WHERE "host_id" IS NOT NULL AND "observed_state" <> 'destroyed' GROUP BY "host_id", "realm_id" ORDER BY 1`;
  expect(kept, step).toEqual(counted);
}

const vmRow = (tenant: Tenant, hostId: string | null, extra: Record<string, unknown> = {}) => ({
  realmId: tenant.realmId,
  id: randomUUID(),
  name: `fleet-${randomUUID().slice(0, 8)}`,
  vcpus: 2,
  memoryMb: 1024,
  hostId,
  observedState: "stopped" as const,
  ...extra,
});

describe("operator.fleet", () => {
  it("keeps each host's per-realm use equal to the VM rows through every kind of write, by any role", async () => {
    const [h0, h1] = [platform.hosts[0]!.id, platform.hosts[1]!.id];
    await expectUsageOfRows("start");
    const a = vmRow(acme, h0);
    await t.db.vm.create({ data: a });
    await expectUsageOfRows("created");
    const key = { realmId_id: { realmId: acme.realmId, id: a.id } };
    for (const observedState of ["starting", "running", "stopping", "stopped"] as const)
      await t.db.vm.update({ where: key, data: { observedState } });
    await t.db.vm.update({ where: key, data: { vcpus: 6, memoryMb: 3072 } });
    await expectUsageOfRows("resized");
    await t.db.vm.update({ where: key, data: { hostId: h1 } });
    await expectUsageOfRows("moved");
    await t.db.vm.update({ where: key, data: { hostId: null } });
    await expectUsageOfRows("unplaced");
    await t.db.vm.update({ where: key, data: { hostId: h0 } });
    // The tenant role's own writes count too (it holds no privilege on the table itself).
    await withRealm(
      t.tenantDb,
      acme.realmId,
      (tx) => tx.$executeRaw`UPDATE "vms" SET "observed_state" = 'destroyed' WHERE "id" = ${a.id}::uuid`,
    );
    await expectUsageOfRows("destroyed by the tenant role");
    await t.db.vm.delete({ where: key });
    await expectUsageOfRows("deleted");
    // Many rows in one statement, across realms and hosts, some destroyed, some unplaced.
    const bulk = [acme, globex].flatMap((tenant) =>
      Array.from({ length: 6 }, (_, j) =>
        vmRow(tenant, j % 3 === 0 ? null : j % 2 ? h0 : h1, {
          vcpus: 1 + j,
          observedState: j === 4 ? "destroyed" : "running",
        }),
      ),
    );
    await t.db.vm.createMany({ data: bulk });
    await expectUsageOfRows("bulk insert");
    await t.db.vm.deleteMany({ where: { id: { in: bulk.slice(0, 7).map((v) => v.id) } } });
    await expectUsageOfRows("bulk delete");
    await t.db.vm.deleteMany({ where: { id: { in: bulk.map((v) => v.id) } } });
    await expectUsageOfRows("all gone");
    // A pair with no VM left leaves no row behind.
    expect(await t.db.hostRealmUsage.count({ where: { vms: { lte: 0 } } })).toBe(0);
  });

  it("maps which realm runs where, with management VMs, capacity use and the Chinese Walls broken on each host", async () => {
    const [h0, h1] = [platform.hosts[0]!.id, platform.hosts[1]!.id];
    const mgmt = async (tenant: Tenant) =>
      (await t.db.vm.findFirstOrThrow({ where: { realmId: tenant.realmId, kind: "management" } })).id;
    await t.db.vm.update({
      where: { realmId_id: { realmId: acme.realmId, id: await mgmt(acme) } },
      data: { hostId: h0, observedState: "running" },
    });
    await t.db.vm.update({
      where: { realmId_id: { realmId: globex.realmId, id: await mgmt(globex) } },
      data: { hostId: h1, observedState: "running" },
    });
    const acmeGuests = [vmRow(acme, h0), vmRow(acme, h0), vmRow(acme, h1)];
    await t.db.vm.createMany({ data: acmeGuests });

    let map = await operator().fleet({ limit: 20 });
    const host = (id: string) => map.items.find((h) => h.id === id)!;
    expect(host(h0).realms.map((r) => [r.orgSlug, r.vms, r.management])).toEqual([
      [expect.stringMatching(/^acme-/), 3, true],
    ]);
    expect(
      host(h1)
        .realms.map((r) => [r.orgName, r.vms, r.management])
        .sort(),
    ).toEqual([
      ["acme", 1, false],
      ["globex", 1, true],
    ]);
    const mgmtVcpus = (await t.db.vm.findFirstOrThrow({ where: { realmId: acme.realmId, kind: "management" } })).vcpus;
    expect(host(h0).realms[0]).toMatchObject({ realmId: acme.realmId, orgId: acme.orgId, vcpus: 2 * 2 + mgmtVcpus });
    expect(host(h0).moreRealms).toBe(0);
    expect(host(h0).usedVcpus).toBe(2 * 2 + mgmtVcpus);
    expect(host(h0).violations).toEqual([]);
    expect(host(h1).violations).toEqual([]);

    // A wall between the two realms: broken on h1, where both run, and nowhere else.
    const [realmLow, realmHigh] = [acme.realmId, globex.realmId].sort() as [string, string];
    await t.db.realmConflict.create({ data: { realmLow, realmHigh, reason: "competitors", createdBy: ops.id } });
    map = await operator().fleet({ limit: 20 });
    expect(host(h1).violations).toEqual([
      {
        realmLow,
        realmHigh,
        lowOrg: realmLow === acme.realmId ? "acme" : "globex",
        highOrg: realmHigh === acme.realmId ? "acme" : "globex",
      },
    ]);
    expect(host(h0).violations).toEqual([]);
    // Moving acme's guest off h1 mends it.
    await t.db.vm.update({
      where: { realmId_id: { realmId: acme.realmId, id: acmeGuests[2]!.id } },
      data: { hostId: h0 },
    });
    map = await operator().fleet({ limit: 20 });
    expect(host(h1).violations).toEqual([]);
    await expectUsageOfRows("map");
  });

  it("pages hosts by cursor and refuses a made-up one", async () => {
    for (const name of ["alpha", "omega", "mid"]) {
      await t.db.host.create({
        data: {
          id: randomUUID(),
          name: `${name}-${randomUUID().slice(0, 6)}`,
          agentUrl: "http://127.0.0.1:9",
          vcpus: 8,
          memoryMb: 8192,
        },
      });
    }
    const all = await t.db.host.findMany({ orderBy: [{ name: "asc" }, { id: "asc" }], select: { id: true } });
    const paged = await pageThrough((input) => operator().fleet(input));
    expect(paged.items.map((h) => h.id)).toEqual(all.map((h) => h.id));
    for (const cursor of [randomUUID(), acme.realmId, "nope"])
      await expectCursorRefused(operator().fleet({ limit: 2, cursor }), `cursor ${cursor}`);
  });

  it("is for operators only, and the tenant role can neither read nor forge the sums", async () => {
    await expect(callerFor(t, acme.members.owner).operator.fleet({ limit: 5 })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    await expect(
      withRealm(t.tenantDb, acme.realmId, (tx) => tx.$queryRaw`SELECT * FROM "host_realm_usage"`),
    ).rejects.toThrow(/permission denied/);
    await expect(
      withRealm(
        t.tenantDb,
        acme.realmId,
        (tx) => tx.$executeRaw`UPDATE "host_realm_usage" SET "vms" = 0 WHERE "realm_id" = ${acme.realmId}::uuid`,
      ),
    ).rejects.toThrow(/permission denied/);
  });
});
