import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PLATFORM_URL_ENV, withRealm } from "../db/client";
import { mintToken } from "../policy/api-tokens";
import { recordDecision } from "../repositories/audit";
import { createTestDatabase, type TestDatabase } from "../test/db";
import { expectCursorRefused, pageThrough, type Lister } from "../test/pages";
import { callerFor, createUser, restFor, setupPlatform, setupTenant, type Tenant } from "../test/fixtures";

/**
 * Every operator list pages with a cursor, and its counts come from the database (issue 12:
 * "Every list in the product paginates"; "the operator's realm and host overviews … aggregate
 * in SQL, paginate"): operator.realms, operator.hosts, organizations, quotas, tokens,
 * break-glass grants and conflict sets. For each: pages of 2 yield every item exactly once in
 * the documented order (rows of the same instant ordered by their unique tie-breaker, so a page
 * boundary neither skips nor repeats one); a made-up cursor, an id of another kind of object or
 * no id at all is refused naming `cursor`. The counts are checked against the rows themselves.
 */

let t: TestDatabase;
let platform: Awaited<ReturnType<typeof setupPlatform>>;
let tenants: Tenant[];
let ops: { id: string };
const previousUrl = process.env[PLATFORM_URL_ENV];
const SAME_TIME = new Date("2026-11-30T12:00:00.000Z");
const DAY = 86_400_000;

beforeAll(async () => {
  t = await createTestDatabase();
  process.env[PLATFORM_URL_ENV] = t.url;
  platform = await setupPlatform(t.db);
  // Three more hosts (hosts page by name).
  for (const name of ["zeta", "alpha", "mid"]) {
    await t.db.host.create({ data: { id: randomUUID(), name: `${name}-${randomUUID().slice(0, 6)}`, agentUrl: "http://127.0.0.1:9", vcpus: 8, memoryMb: 8192 } });
  }
  tenants = [];
  for (const slug of ["acme", "globex", "initech", "umbrella", "hooli"]) tenants.push(await setupTenant(t.db, slug, platform.mgmtTemplate.id));
  // Three realms and organizations of the same instant: the id decides their order.
  for (const tenant of tenants.slice(1, 4)) {
    await t.db.realm.update({ where: { id: tenant.realmId }, data: { createdAt: SAME_TIME } });
    await t.db.organization.update({ where: { id: tenant.orgId }, data: { createdAt: SAME_TIME } });
  }
  // Guests on the two hosts, some destroyed (they count nowhere), one not placed.
  const [acme, globex] = tenants as [Tenant, Tenant];
  const [h0, h1] = [platform.hosts[0]!, platform.hosts[1]!];
  const guests: [Tenant, string | null, string, number, number][] = [
    [acme, h0.id, "running", 2, 1024],
    [acme, h0.id, "stopped", 1, 512],
    [acme, h1.id, "running", 4, 2048],
    [acme, h0.id, "destroyed", 8, 8192],
    [acme, null, "stopped", 1, 256],
    [globex, h0.id, "running", 1, 512],
    [globex, h1.id, "destroyed", 2, 1024],
  ];
  for (const [i, [tenant, hostId, state, vcpus, memoryMb]] of guests.entries()) {
    await t.db.vm.create({
      data: { realmId: tenant.realmId, id: randomUUID(), name: `guest-${i}`, kind: "guest", vcpus, memoryMb, hostId, observedState: state as never, desiredState: state as never },
    });
  }
  // Break-glass grants, several of the same instant (each operator holds at most one live one).
  for (const [i, tenant] of tenants.entries()) {
    const operator = await createUser(t.db, `ops-${i}`, true);
    await t.db.breakGlassGrant.create({
      data: { realmId: tenant.realmId, id: randomUUID(), operatorId: operator.id, reason: `incident ${i}`, expiresAt: new Date(Date.now() + DAY), createdAt: i < 3 ? SAME_TIME : new Date(), ...(i % 2 ? { revokedAt: new Date() } : {}) },
    });
  }
  ops = await createUser(t.db, "ops", true);
  // Conflict sets, three of the same instant (the pair decides their order).
  const pairs: [number, number][] = [[0, 1], [0, 2], [1, 2], [2, 3], [3, 4]];
  for (const [i, [a, b]] of pairs.entries()) {
    const [low, high] = [tenants[a]!.realmId, tenants[b]!.realmId].sort() as [string, string];
    await t.db.realmConflict.create({ data: { realmLow: low, realmHigh: high, reason: `pair ${i}`, createdBy: ops.id, createdAt: i < 3 ? SAME_TIME : new Date() } });
  }
  // API tokens in two organizations, several of the same instant.
  for (const tenant of [acme, globex]) {
    for (let i = 0; i < 4; i++) {
      const { lookupId, secretHash } = mintToken();
      await t.db.apiToken.create({
        data: { realmId: tenant.realmId, id: randomUUID(), orgId: tenant.orgId, userId: tenant.members.owner.id, lookupId, secretHash, name: `tok-${i}`, permissions: ["vm.read"], expiresAt: new Date(Date.now() + DAY), createdAt: i < 3 ? SAME_TIME : new Date() },
      });
    }
  }
});
afterAll(async () => {
  if (previousUrl === undefined) delete process.env[PLATFORM_URL_ENV];
  else process.env[PLATFORM_URL_ENV] = previousUrl;
  await t?.drop();
});


type Key = { key: (number | string)[] };
const compare = (a: Key, b: Key) => {
  for (let i = 0; i < a.key.length; i++) if (a.key[i] !== b.key[i]) return a.key[i]! < b.key[i]! ? -1 : 1;
  return 0;
};

/** Paged by 2 equals the list in one page, every item once, strictly in (key…, tie-breaker) order. */
async function expectPagesCoverTheList<T>(list: Lister<T>, keyOf: (item: T) => Key & { id: string }, order: "asc" | "desc", minimum: number) {
  const whole = await list({ limit: 200 });
  expect(whole.nextCursor).toBeNull();
  expect(whole.items.length).toBeGreaterThanOrEqual(minimum);
  const { items, pages } = await pageThrough(list);
  const ids = items.map((item) => keyOf(item).id);
  expect(ids).toEqual(whole.items.map((item) => keyOf(item).id));
  expect(new Set(ids).size).toBe(ids.length);
  expect(pages).toBe(Math.ceil(whole.items.length / 2));
  for (let i = 1; i < items.length; i++) {
    const sign = compare(keyOf(items[i - 1]!), keyOf(items[i]!));
    expect(sign, `item ${i} is in order`).toBe(order === "asc" ? -1 : 1);
  }
}

const time = (d: Date) => d.getTime();
const operator = () => callerFor(t, ops).operator;

describe("every operator list pages with a cursor; counts come from the database", () => {
  it("operator.realms: oldest first, every realm once, guest counts and management VMs right; a made-up or foreign-kind cursor is refused", async () => {
    await expectPagesCoverTheList((input) => operator().realms(input), (r) => ({ key: [time(r.createdAt), r.id], id: r.id }), "asc", 5);
    const all = (await operator().realms({ limit: 200 })).items;
    for (const realm of all) {
      const live = await t.db.vm.count({ where: { realmId: realm.id, kind: "guest", observedState: { not: "destroyed" } } });
      expect(realm.guestCount, realm.org.slug).toBe(live);
      const mgmt = await t.db.vm.findFirstOrThrow({ where: { realmId: realm.id, kind: "management" } });
      expect(realm.managementVm, realm.org.slug).toMatchObject({ id: mgmt.id, observedState: mgmt.observedState });
    }
    expect(all.find((r) => r.id === tenants[0]!.realmId)!.guestCount).toBe(4);
    expect(all.find((r) => r.id === tenants[1]!.realmId)!.guestCount).toBe(1);
    expect(all.find((r) => r.id === tenants[2]!.realmId)!.guestCount).toBe(0);
    for (const cursor of [randomUUID(), tenants[0]!.orgId, platform.hosts[0]!.id, "not-a-cursor", ""]) {
      await expectCursorRefused(operator().realms({ limit: 2, cursor }), `realm cursor ${cursor}`);
    }
  });

  it("operator.hosts: by name, every host once; capacity used and domains counted per host as the rows say", async () => {
    await expectPagesCoverTheList((input) => operator().hosts(input), (h) => ({ key: [h.name, h.id], id: h.id }), "asc", 5);
    const hosts = (await operator().hosts({ limit: 200 })).items;
    const placed = await t.db.vm.findMany({ where: { hostId: { not: null }, observedState: { not: "destroyed" } } });
    for (const host of hosts) {
      const mine = placed.filter((v) => v.hostId === host.id);
      expect(host, host.name).toMatchObject({
        usedVcpus: mine.reduce((sum, v) => sum + v.vcpus, 0),
        usedMemoryMb: mine.reduce((sum, v) => sum + v.memoryMb, 0),
        vmCount: mine.length,
      });
    }
    // The fixed guests: host 0 holds acme's running and stopped ones and globex's (not the destroyed one).
    const h0 = hosts.find((h) => h.id === platform.hosts[0]!.id)!;
    const mgmtOnH0 = placed.filter((v) => v.hostId === h0.id && v.kind === "management");
    expect(h0.usedVcpus).toBe(2 + 1 + 1 + mgmtOnH0.reduce((sum, v) => sum + v.vcpus, 0));
    expect(hosts.filter((h) => h.vmCount === 0).length).toBeGreaterThanOrEqual(3);
    for (const cursor of [randomUUID(), tenants[0]!.realmId, "not-a-cursor"]) {
      await expectCursorRefused(operator().hosts({ limit: 2, cursor }), `host cursor ${cursor}`);
    }
  });

  it("host use and realm counts follow the VM rows whoever writes them (placed, resized, moved, destroyed, deleted); start and stop change nothing", async () => {
    const [acme] = tenants as [Tenant];
    /** Every realm's and organization's counts as the rows say (the counters must never drift). */
    const expectCountsOfRows = async (step: string) => {
      for (const realm of (await operator().realms({ limit: 200 })).items) {
        expect(realm.guestCount, `${step}: ${realm.org.slug}`).toBe(await t.db.vm.count({ where: { realmId: realm.id, kind: "guest", observedState: { not: "destroyed" } } }));
      }
      for (const org of (await operator().organizations.list({ limit: 200 })).items) {
        expect(org.vmCount, `${step}: ${org.slug}`).toBe(await t.db.vm.count({ where: { realmId: org.realmId, observedState: { not: "destroyed" } } }));
      }
    };
    const guests = async () => (await operator().realms({ limit: 200 })).items.find((r) => r.id === acme.realmId)!.guestCount;
    const before = await guests();
    const hostA = await t.db.host.create({ data: { id: randomUUID(), name: `use-a-${randomUUID().slice(0, 6)}`, agentUrl: "http://127.0.0.1:9", vcpus: 8, memoryMb: 8192 } });
    const hostB = await t.db.host.create({ data: { id: randomUUID(), name: `use-b-${randomUUID().slice(0, 6)}`, agentUrl: "http://127.0.0.1:9", vcpus: 8, memoryMb: 8192 } });
    const use = async () => {
      const hosts = (await operator().hosts({ limit: 200 })).items;
      const of = (id: string) => hosts.find((h) => h.id === id)!;
      return [hostA.id, hostB.id].map((id) => [of(id).usedVcpus, of(id).usedMemoryMb, of(id).vmCount]);
    };
    expect(await use()).toEqual([[0, 0, 0], [0, 0, 0]]);
    const vmId = randomUUID();
    await t.db.vm.create({ data: { realmId: acme.realmId, id: vmId, name: `use-${vmId.slice(0, 6)}`, vcpus: 2, memoryMb: 1024, hostId: hostA.id, observedState: "stopped" } });
    expect(await use()).toEqual([[2, 1024, 1], [0, 0, 0]]);
    expect(await guests()).toBe(before + 1);
    await expectCountsOfRows("created");
    const vm = { realmId_id: { realmId: acme.realmId, id: vmId } };
    for (const observedState of ["starting", "running", "stopping", "stopped"] as const) await t.db.vm.update({ where: vm, data: { observedState } });
    expect(await use()).toEqual([[2, 1024, 1], [0, 0, 0]]);
    await t.db.vm.update({ where: vm, data: { vcpus: 4, memoryMb: 2048 } });
    expect(await use()).toEqual([[4, 2048, 1], [0, 0, 0]]);
    await t.db.vm.update({ where: vm, data: { hostId: hostB.id } });
    expect(await use()).toEqual([[0, 0, 0], [4, 2048, 1]]);
    // The tenant role's own writes move it too (it holds no privilege on host_usage itself).
    await withRealm(t.tenantDb, acme.realmId, (tx) => tx.$executeRaw`UPDATE "vms" SET "observed_state" = 'destroyed' WHERE "id" = ${vmId}::uuid`);
    expect(await use()).toEqual([[0, 0, 0], [0, 0, 0]]);
    expect(await guests()).toBe(before);
    await expectCountsOfRows("destroyed by the tenant role");
    await t.db.vm.update({ where: vm, data: { vcpus: 8 } }); // a destroyed VM counts nowhere
    expect(await use()).toEqual([[0, 0, 0], [0, 0, 0]]);
    const second = randomUUID();
    await t.db.vm.create({ data: { realmId: acme.realmId, id: second, name: `use-${second.slice(0, 6)}`, vcpus: 1, memoryMb: 256, hostId: hostA.id, observedState: "running" } });
    expect(await use()).toEqual([[1, 256, 1], [0, 0, 0]]);
    expect(await guests()).toBe(before + 1);
    await t.db.vm.delete({ where: { realmId_id: { realmId: acme.realmId, id: second } } });
    expect(await use()).toEqual([[0, 0, 0], [0, 0, 0]]);
    expect(await guests()).toBe(before);
    // A VM created by the tenant role itself counts too.
    const third = randomUUID();
    await withRealm(t.tenantDb, acme.realmId, (tx) =>
      tx.$executeRaw`INSERT INTO "vms" ("realm_id", "id", "name", "vcpus", "memory_mb", "observed_state") VALUES (${acme.realmId}::uuid, ${third}::uuid, ${`use-${third.slice(0, 6)}`}, 1, 256, 'stopped')`,
    );
    expect(await guests()).toBe(before + 1);
    await expectCountsOfRows("created by the tenant role");
    await t.db.vm.delete({ where: { realmId_id: { realmId: acme.realmId, id: third } } });
    expect(await guests()).toBe(before);
    // Many rows in one statement (counted once per statement, grouped by realm and host).
    const bulk = tenants.slice(0, 3).flatMap((tenant, i) =>
      Array.from({ length: 5 }, (_, j) => ({
        realmId: tenant.realmId,
        id: randomUUID(),
        name: `bulk-${i}-${j}-${randomUUID().slice(0, 6)}`,
        vcpus: 1 + j,
        memoryMb: 128,
        hostId: j % 2 ? hostA.id : j === 4 ? null : hostB.id,
        observedState: j === 3 ? ("destroyed" as const) : ("stopped" as const),
      })),
    );
    await t.db.vm.createMany({ data: bulk });
    await expectCountsOfRows("bulk insert");
    expect(await use()).toEqual([[3 * 2, 3 * 128, 3], [3 * (1 + 3), 3 * 2 * 128, 6]]);
    await t.db.vm.deleteMany({ where: { id: { in: bulk.map((v) => v.id) } } });
    await expectCountsOfRows("bulk delete");
    expect(await use()).toEqual([[0, 0, 0], [0, 0, 0]]);
  });

  it("the tenant role can neither read nor forge a host's use or a realm's counts", async () => {
    const [acme] = tenants as [Tenant];
    const host = platform.hosts[0]!.id;
    await expect(withRealm(t.tenantDb, acme.realmId, (tx) => tx.$queryRaw`SELECT * FROM "host_usage"`)).rejects.toThrow(/permission denied/);
    await expect(withRealm(t.tenantDb, acme.realmId, (tx) => tx.$executeRaw`UPDATE "host_usage" SET "vcpus" = 0 WHERE "host_id" = ${host}::uuid`)).rejects.toThrow(/permission denied/);
    await expect(withRealm(t.tenantDb, acme.realmId, (tx) => tx.$executeRaw`INSERT INTO "host_usage" ("host_id", "vcpus") VALUES (gen_random_uuid(), 1)`)).rejects.toThrow(/permission denied/);
    await expect(withRealm(t.tenantDb, acme.realmId, (tx) => tx.$queryRaw`SELECT * FROM "realm_usage"`)).rejects.toThrow(/permission denied/);
    await expect(withRealm(t.tenantDb, acme.realmId, (tx) => tx.$executeRaw`UPDATE "realm_usage" SET "guests" = 0 WHERE "realm_id" = ${acme.realmId}::uuid`)).rejects.toThrow(/permission denied/);
  });

  it("operator.organizations.list: newest first, every organization once, members and VMs counted; get answers the same view", async () => {
    await expectPagesCoverTheList((input) => operator().organizations.list(input), (o) => ({ key: [time(o.createdAt), o.id], id: o.id }), "desc", 5);
    const orgs = (await operator().organizations.list({ limit: 200 })).items;
    for (const org of orgs) {
      expect(org.memberCount, org.slug).toBe(await t.db.membership.count({ where: { orgId: org.id } }));
      expect(org.vmCount, org.slug).toBe(await t.db.vm.count({ where: { realmId: org.realmId, observedState: { not: "destroyed" } } }));
      const { audit, ...detail } = await operator().organizations.get({ orgId: org.id });
      expect(audit.length).toBeGreaterThan(0);
      expect(detail).toEqual(org);
    }
    expect(orgs.find((o) => o.id === tenants[0]!.orgId)).toMatchObject({ memberCount: 4, vmCount: 5 });
    for (const cursor of [randomUUID(), tenants[0]!.realmId, "not-a-cursor"]) {
      await expectCursorRefused(operator().organizations.list({ limit: 2, cursor }), `organization cursor ${cursor}`);
    }
  });

  it("operator.quotas.list: realms oldest first, every realm once, with the defaults on every page", async () => {
    const realms = (await operator().realms({ limit: 200 })).items.map((r) => r.id);
    const { items, pages } = await pageThrough((input) => operator().quotas.list(input));
    expect(items.map((q) => q.realmId)).toEqual(realms);
    expect(pages).toBe(Math.ceil(realms.length / 2));
    const first = await operator().quotas.list({ limit: 2 });
    const second = await operator().quotas.list({ limit: 2, cursor: first.nextCursor! });
    expect(second.defaults).toEqual(first.defaults);
    expect(first.defaults).not.toBeNull();
    for (const q of items) {
      const row = await t.db.realmQuota.findUniqueOrThrow({ where: { realmId: q.realmId } });
      expect(q.used?.vms).toBe(row.usedVms);
    }
    for (const cursor of [randomUUID(), tenants[0]!.orgId, "not-a-cursor"]) {
      await expectCursorRefused(operator().quotas.list({ limit: 2, cursor }), `quota cursor ${cursor}`);
    }
  });

  it("operator.tokens.list: newest first, every realm's or one organization's; another organization's token does not page that one's list", async () => {
    await expectPagesCoverTheList((input) => operator().tokens.list(input), (k) => ({ key: [time(k.createdAt), k.id], id: k.id }), "desc", 8);
    const [acme, globex] = tenants as [Tenant, Tenant];
    await expectPagesCoverTheList((input) => operator().tokens.list({ ...input, orgId: acme.orgId }), (k) => ({ key: [time(k.createdAt), k.id], id: k.id }), "desc", 4);
    const acmeOnly = (await operator().tokens.list({ orgId: acme.orgId, limit: 200 })).items;
    expect(acmeOnly.every((k) => k.org.id === acme.orgId)).toBe(true);
    const globexToken = (await operator().tokens.list({ orgId: globex.orgId, limit: 1 })).items[0]!.id;
    await expectCursorRefused(operator().tokens.list({ orgId: acme.orgId, limit: 2, cursor: globexToken }), "another organization's token");
    expect((await operator().tokens.list({ limit: 2, cursor: globexToken })).items.length).toBeGreaterThan(0);
    for (const cursor of [randomUUID(), "not-a-cursor"]) await expectCursorRefused(operator().tokens.list({ limit: 2, cursor }), `token cursor ${cursor}`);
  });

  it("operator.breakGlass.list: newest first, every grant once (no longer only the last 50)", async () => {
    await expectPagesCoverTheList((input) => operator().breakGlass.list(input), (g) => ({ key: [time(g.createdAt), g.id], id: g.id }), "desc", 5);
    for (const cursor of [randomUUID(), tenants[0]!.realmId, "not-a-cursor"]) {
      await expectCursorRefused(operator().breakGlass.list({ limit: 2, cursor }), `grant cursor ${cursor}`);
    }
  });

  it("operator.conflicts.list: newest first, then by the pair; the cursor is an existing set's realmA/realmB", async () => {
    await expectPagesCoverTheList(
      (input) => operator().conflicts.list(input),
      (c) => ({ key: [time(c.createdAt), c.realmA, c.realmB], id: `${c.realmA}/${c.realmB}` }),
      "desc",
      5,
    );
    const [a, , , , e] = tenants as Tenant[];
    const [low, high] = [a!.realmId, e!.realmId].sort();
    for (const cursor of [`${low}/${high}`, `${high}/${low}`, a!.realmId, "not-a-cursor", `${low}/`]) {
      await expectCursorRefused(operator().conflicts.list({ limit: 2, cursor }), `conflict cursor ${cursor}`);
    }
  });

  it("over REST: ?limit and ?cursor page every operator list; a bad cursor is a 400 naming cursor; a tenant gets 404", async () => {
    const rest = restFor(t);
    const idOf = (item: { id?: string; realmId?: string; realmA?: string; realmB?: string }) => item.id ?? (item.realmA ? `${item.realmA}/${item.realmB}` : item.realmId);
    for (const path of ["/operator/realms", "/operator/hosts", "/operator/organizations", "/operator/quotas", "/operator/tokens", `/operator/tokens?orgId=${tenants[0]!.orgId}`, "/operator/break-glass", "/operator/conflicts"]) {
      const join = path.includes("?") ? "&" : "?";
      const whole = await rest("GET", `${path}${join}limit=200`, { user: ops });
      expect(whole.status, `${path}: ${JSON.stringify(whole.body)}`).toBe(200);
      expect(whole.body.items.length, path).toBeGreaterThanOrEqual(4);
      const ids: string[] = [];
      let cursor: string | null = null;
      do {
        const page = await rest("GET", `${path}${join}limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`, { user: ops });
        expect(page.status, `${path}: ${JSON.stringify(page.body)}`).toBe(200);
        ids.push(...page.body.items.map(idOf));
        cursor = page.body.nextCursor;
      } while (cursor);
      expect(ids, path).toEqual(whole.body.items.map(idOf));
      const refused = await rest("GET", `${path}${join}cursor=${randomUUID()}`, { user: ops });
      expect(refused, path).toMatchObject({ status: 400, body: { errors: { cursor: [expect.stringMatching(/^cursor is not valid/)] } } });
      expect((await rest("GET", path, { user: tenants[0]!.members.owner })).status, `${path} for a tenant`).toBe(404);
    }
  });
});

describe("the platform's network rules, denials, alarms and policy versions page with a cursor (they answered everything, or only the newest N)", () => {
  beforeAll(async () => {
    // Platform rules, three of the same instant (the id decides their order).
    for (let i = 0; i < 5; i++) {
      await t.db.platformNetworkRule.create({ data: { id: randomUUID(), name: `deny-smtp-${i}-${randomUUID().slice(0, 6)}`, address: null, protocol: "tcp", portFrom: 25, portTo: 25, createdAt: i < 3 ? SAME_TIME : new Date() } });
    }
    const event = (action: string, decision: "allow" | "deny") =>
      recordDecision(t.db, { realmId: tenants[0]!.realmId, actorId: null, action, targetType: "vm", targetId: null, decision, layer: "hypervisor", reason: "paging", requestId: `paging-${randomUUID()}` });
    for (let i = 0; i < 5; i++) await event("vm.start", "deny");
    for (let i = 0; i < 4; i++) await event("alarm.layer_disagreement", "deny");
    await event("vm.stop", "allow");
  });

  it("operator.networkRules.list: oldest first, every rule once; a made-up cursor, an id of another kind or garbage is refused", async () => {
    await expectPagesCoverTheList((input) => operator().networkRules.list(input), (r) => ({ key: [time(r.createdAt), r.id], id: r.id }), "asc", 5);
    for (const cursor of [randomUUID(), tenants[0]!.realmId, "not-a-cursor"]) {
      await expectCursorRefused(operator().networkRules.list({ limit: 2, cursor }), `platform rule cursor ${cursor}`);
    }
  });

  it("operator.denials and operator.alarms: newest first, every event once (no longer only the newest `limit`); an event of neither list, a made-up id or garbage is refused", async () => {
    await expectPagesCoverTheList((input) => operator().denials(input), (e) => ({ key: [Number(e.id)], id: e.id }), "desc", 9);
    await expectPagesCoverTheList((input) => operator().alarms(input), (e) => ({ key: [Number(e.id)], id: e.id }), "desc", 4);
    const denials = (await operator().denials({ limit: 200 })).items;
    expect(denials.every((e) => e.decision === "deny")).toBe(true);
    const alarms = (await operator().alarms({ limit: 200 })).items;
    expect(alarms.every((e) => e.action.startsWith("alarm."))).toBe(true);
    const allowed = (await t.db.auditEvent.findFirst({ where: { action: "vm.stop", reason: "paging" }, select: { id: true } }))!.id.toString();
    const notAnAlarm = denials.find((e) => !e.action.startsWith("alarm."))!.id;
    for (const cursor of [allowed, "999999999999", "99999999999999999999", "0", "-1", randomUUID(), "not-a-cursor"]) {
      await expectCursorRefused(operator().denials({ limit: 2, cursor }), `denial cursor ${cursor}`);
    }
    for (const cursor of [notAnAlarm, allowed, "999999999999"]) await expectCursorRefused(operator().alarms({ limit: 2, cursor }), `alarm cursor ${cursor}`);
  });

  it("operator.policy.versions: newest first, every version once (the overview carries only the newest 50); a made-up cursor or another kind of id is refused", async () => {
    await operator().policy.overview(); // the built-in version
    const top = (await t.db.flaskPolicy.aggregate({ _max: { version: true } }))._max.version ?? 0;
    for (let i = 1; i <= 4; i++) {
      await t.db.flaskPolicy.create({
        data: { id: randomUUID(), version: top + i, fileName: `paging-${i}.te`, format: "text", sha256: `${i}`.repeat(64).slice(0, 64), sizeBytes: 1, content: Buffer.from("x"), isValid: false, validation: { ok: false, checks: [] } },
      });
    }
    await expectPagesCoverTheList((input) => operator().policy.versions(input), (v) => ({ key: [v.version], id: v.id }), "desc", 5);
    expect((await operator().policy.versions({ limit: 1 })).items[0]!.version).toBe(top + 4);
    for (const cursor of [randomUUID(), tenants[0]!.realmId, "not-a-cursor"]) {
      await expectCursorRefused(operator().policy.versions({ limit: 2, cursor }), `policy cursor ${cursor}`);
    }
  });

  it("over REST: ?limit and ?cursor page GET /operator/network-rules, /operator/denials, /operator/alarms and /operator/policy/versions into {items, nextCursor}", async () => {
    const rest = restFor(t);
    for (const path of ["/operator/network-rules", "/operator/denials", "/operator/alarms", "/operator/policy/versions"]) {
      const whole = await rest("GET", `${path}?limit=200`, { user: ops });
      expect(whole.status, `${path}: ${JSON.stringify(whole.body)}`).toBe(200);
      expect(whole.body.nextCursor, path).toBeNull();
      const ids: string[] = [];
      let cursor: string | null = null;
      do {
        const page = await rest("GET", `${path}?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`, { user: ops });
        expect(page.status, `${path}: ${JSON.stringify(page.body)}`).toBe(200);
        ids.push(...page.body.items.map((item: { id: string }) => item.id));
        cursor = page.body.nextCursor;
      } while (cursor);
      expect(ids, path).toEqual(whole.body.items.map((item: { id: string }) => item.id));
      const refused = await rest("GET", `${path}?cursor=${randomUUID()}`, { user: ops });
      expect(refused, path).toMatchObject({ status: 400, body: { errors: { cursor: [expect.stringMatching(/^cursor is not valid/)] } } });
    }
  });
});
