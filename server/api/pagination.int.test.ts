import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PLATFORM_URL_ENV } from "../db/client";
import { mintToken } from "../policy/api-tokens";
import { ROLE_GRANTS } from "../policy/permissions";
import { createTestDatabase, type TestDatabase } from "../test/db";
import { expectCursorRefused, pageThrough, type Lister } from "../test/pages";
import { callerFor, createUser, restFor, setupPlatform, setupTenant, type Tenant } from "../test/fixtures";
import { liftDefaultQuotas } from "../test/quotas";

/**
 * Every realm list pages with a cursor (issue 11: "Lists paginate with a cursor"): disks,
 * networks, API tokens, members, invitations and templates. For each: pages of 2 yield every
 * item exactly once, in the list's documented order (rows created in the same millisecond are
 * ordered by id, so no row is skipped or repeated at a page boundary); a cursor naming another
 * realm's row, a made-up id, or no id at all is refused naming `cursor` — it never pages
 * through (or says anything about) another realm's rows.
 */

let t: TestDatabase;
let platform: Awaited<ReturnType<typeof setupPlatform>>;
let acme: Tenant;
let globex: Tenant;
let rest: ReturnType<typeof restFor>;
const previousUrl = process.env[PLATFORM_URL_ENV];

/** One instant for several rows: the tie-breaker (the id) decides their order. */
const SAME_TIME = new Date("2026-11-30T12:00:00.000Z");
const LATER = new Date("2026-11-30T12:00:00.001Z");
const DAY = 86_400_000;

beforeAll(async () => {
  t = await createTestDatabase();
  process.env[PLATFORM_URL_ENV] = t.url;
  platform = await setupPlatform(t.db);
  acme = await setupTenant(t.db, "acme", platform.mgmtTemplate.id);
  globex = await setupTenant(t.db, "globex", platform.mgmtTemplate.id);
  await liftDefaultQuotas(t.urls.owner);
  rest = restFor(t);

  // Rows written directly (platform client), several in the same millisecond.
  for (const [tenant, count] of [[acme, 5], [globex, 1]] as const) {
    for (let i = 0; i < count; i++) {
      const createdAt = i < 3 ? SAME_TIME : LATER;
      await t.db.disk.create({ data: { realmId: tenant.realmId, id: randomUUID(), name: `disk-${i}`, sizeGb: 1, createdAt } });
      await t.db.network.create({ data: { realmId: tenant.realmId, id: randomUUID(), name: `net-${i}`, createdAt } });
      await t.db.invitation.create({
        data: {
          realmId: tenant.realmId,
          id: randomUUID(),
          email: `invitee-${i}-${randomUUID().slice(0, 6)}@test.local`,
          role: "viewer",
          tokenHash: randomUUID(),
          createdById: tenant.members.owner.id,
          expiresAt: new Date(Date.now() + DAY),
          createdAt,
        },
      });
      for (const member of [tenant.members.owner, tenant.members.admin]) {
        const { lookupId, secretHash } = mintToken();
        await t.db.apiToken.create({
          data: { realmId: tenant.realmId, id: randomUUID(), orgId: tenant.orgId, userId: member.id, lookupId, secretHash, name: `tok-${i}`, permissions: ["vm.read"], expiresAt: new Date(Date.now() + DAY), createdAt },
        });
      }
    }
  }
  // Members: setupTenant's four, and three more who joined in the same millisecond.
  for (let i = 0; i < 3; i++) {
    const user = await createUser(t.db, `acme-extra-${i}`);
    await t.db.membership.create({ data: { orgId: acme.orgId, userId: user.id, role: "viewer", createdAt: SAME_TIME } });
  }
  // Templates are platform-wide: setupPlatform's two and three more.
  for (const name of ["tpl-c", "tpl-a", "tpl-b"]) {
    await t.db.template.create({ data: { id: randomUUID(), name: `${name}-${randomUUID().slice(0, 6)}`, description: "paging", vcpus: 1, memoryMb: 256, diskGb: 1 } });
  }
});
afterAll(async () => {
  if (previousUrl === undefined) delete process.env[PLATFORM_URL_ENV];
  else process.env[PLATFORM_URL_ENV] = previousUrl;
  await t?.drop();
});



const time = (d: Date) => d.getTime();
/** Whether a comes strictly before b in (key, id) order, ascending or descending. */
function before(a: { key: number | string; id: string }, b: { key: number | string; id: string }, order: "asc" | "desc"): boolean {
  const sign = order === "asc" ? 1 : -1;
  if (a.key !== b.key) return (a.key < b.key ? -1 : 1) * sign < 0;
  return (a.id < b.id ? -1 : 1) * sign < 0;
}

/**
 * The list paged by 2 equals the list in one page (every item once), has more than one page,
 * and is strictly ordered by (key, id): a stable total order, so a page boundary between two
 * rows of the same instant neither skips nor repeats one.
 */
async function expectPagesCoverTheList<T>(list: Lister<T>, keyOf: (item: T) => { key: number | string; id: string }, order: "asc" | "desc", minimum: number) {
  const whole = await list({ limit: 200 });
  expect(whole.nextCursor).toBeNull();
  expect(whole.items.length).toBeGreaterThanOrEqual(minimum);
  const { items, pages } = await pageThrough(list);
  const ids = items.map((item) => keyOf(item).id);
  expect(ids).toEqual(whole.items.map((item) => keyOf(item).id));
  expect(new Set(ids).size).toBe(ids.length);
  expect(pages).toBe(Math.ceil(whole.items.length / 2));
  for (let i = 1; i < items.length; i++) expect(before(keyOf(items[i - 1]!), keyOf(items[i]!), order), `item ${i} is in order`).toBe(true);
}

describe("every realm list pages with a cursor", () => {
  it("disk.list: oldest first, every disk once; another realm's disk, a made-up id or garbage as cursor is refused", async () => {
    const owner = callerFor(t, acme.members.owner);
    await expectPagesCoverTheList((input) => owner.disk.list(input), (d) => ({ key: time(d.createdAt), id: d.id }), "asc", 5);
    const foreign = (await callerFor(t, globex.members.owner).disk.list()).items[0]!.id;
    for (const cursor of [foreign, randomUUID(), "not-a-cursor", ""]) await expectCursorRefused(owner.disk.list({ limit: 2, cursor }), `disk cursor ${cursor}`);
  });

  it("network.list: oldest first, every network once; a foreign or made-up cursor is refused", async () => {
    const owner = callerFor(t, acme.members.owner);
    await expectPagesCoverTheList((input) => owner.network.list(input), (n) => ({ key: time(n.createdAt), id: n.id }), "asc", 5);
    const foreign = (await callerFor(t, globex.members.owner).network.list()).items[0]!.id;
    for (const cursor of [foreign, randomUUID(), "not-a-cursor"]) await expectCursorRefused(owner.network.list({ limit: 2, cursor }), `network cursor ${cursor}`);
  });

  it("token.list: newest first, own and (all) everyone's; another member's token does not page one's own list, another realm's never", async () => {
    const owner = callerFor(t, acme.members.owner);
    await expectPagesCoverTheList((input) => owner.token.list({ ...input, all: false }), (k) => ({ key: time(k.createdAt), id: k.id }), "desc", 5);
    await expectPagesCoverTheList((input) => owner.token.list({ ...input, all: true }), (k) => ({ key: time(k.createdAt), id: k.id }), "desc", 10);
    const mine = (await owner.token.list({ all: false, limit: 200 })).items;
    expect(mine.every((k) => k.userId === acme.members.owner.id)).toBe(true);
    const everyone = (await owner.token.list({ all: true, limit: 200 })).items;
    const admins = everyone.find((k) => k.userId === acme.members.admin.id)!.id;
    await expectCursorRefused(owner.token.list({ all: false, limit: 2, cursor: admins }), "another member's token as the cursor of one's own list");
    expect((await owner.token.list({ all: true, limit: 2, cursor: admins })).items.length).toBeGreaterThan(0);
    const foreign = (await callerFor(t, globex.members.owner).token.list({ all: true })).items[0]!.id;
    for (const cursor of [foreign, randomUUID(), "not-a-cursor"]) {
      await expectCursorRefused(owner.token.list({ all: true, limit: 2, cursor }), `token cursor ${cursor}`);
    }
  });

  it("realm.members.list: oldest membership first, every member once; the cursor is a user id of this organization only", async () => {
    const viewer = callerFor(t, acme.members.viewer);
    await expectPagesCoverTheList((input) => viewer.realm.members.list(input), (m) => ({ key: time(m.since), id: m.userId }), "asc", 7);
    for (const cursor of [globex.members.owner.id, randomUUID(), "not-a-cursor"]) {
      await expectCursorRefused(viewer.realm.members.list({ limit: 2, cursor }), `member cursor ${cursor}`);
    }
  });

  it("realm.invitations.list: newest first, every pending invitation once; a foreign or made-up cursor is refused", async () => {
    const admin = callerFor(t, acme.members.admin);
    await expectPagesCoverTheList((input) => admin.realm.invitations.list(input), (i) => ({ key: time(i.createdAt), id: i.id }), "desc", 5);
    const foreign = (await callerFor(t, globex.members.owner).realm.invitations.list()).items[0]!.id;
    for (const cursor of [foreign, randomUUID(), "not-a-cursor"]) {
      await expectCursorRefused(admin.realm.invitations.list({ limit: 2, cursor }), `invitation cursor ${cursor}`);
    }
  });

  it("an invitation revoked since its page was read still marks where the next page starts", async () => {
    const admin = callerFor(t, acme.members.admin);
    const first = await admin.realm.invitations.list({ limit: 2 });
    const cursor = first.nextCursor!;
    const expected = (await admin.realm.invitations.list({ limit: 2, cursor })).items.map((i) => i.id);
    await t.db.invitation.update({ where: { id: cursor }, data: { revokedAt: new Date() } });
    try {
      expect((await admin.realm.invitations.list({ limit: 2, cursor })).items.map((i) => i.id)).toEqual(expected);
    } finally {
      await t.db.invitation.update({ where: { id: cursor }, data: { revokedAt: null } });
    }
  });

  it("template.list: by name, every template once; a made-up cursor is refused", async () => {
    const viewer = callerFor(t, acme.members.viewer);
    await expectPagesCoverTheList((input) => viewer.template.list(input), (p) => ({ key: p.name, id: p.id }), "asc", 5);
    for (const cursor of [randomUUID(), "not-a-cursor"]) await expectCursorRefused(viewer.template.list({ limit: 2, cursor }), `template cursor ${cursor}`);
  });

  it("over REST: ?limit and ?cursor page GET /disks, /networks, /tokens, /members, /invitations and /templates; a bad cursor is a 400 naming cursor", async () => {
    const { token } = await callerFor(t, acme.members.owner).token.create({ name: "pager", permissions: [...ROLE_GRANTS.owner] as never, expiresInDays: 1 });
    const foreignDisk = (await callerFor(t, globex.members.owner).disk.list()).items[0]!.id;
    for (const path of ["/disks", "/networks", "/tokens", "/tokens?all=true", "/members", "/invitations", "/templates"]) {
      const join = path.includes("?") ? "&" : "?";
      const whole = await rest("GET", `${path}${join}limit=200`, { token });
      expect(whole.status, `${path}: ${JSON.stringify(whole.body)}`).toBe(200);
      const ids: string[] = [];
      let cursor: string | null = null;
      do {
        const page = await rest("GET", `${path}${join}limit=2${cursor ? `&cursor=${cursor}` : ""}`, { token });
        expect(page.status, `${path}: ${JSON.stringify(page.body)}`).toBe(200);
        ids.push(...page.body.items.map((item: { id?: string; userId?: string }) => item.id ?? item.userId));
        cursor = page.body.nextCursor;
      } while (cursor);
      expect(ids, path).toEqual(whole.body.items.map((item: { id?: string; userId?: string }) => item.id ?? item.userId));
      for (const bad of [foreignDisk, "not-a-cursor"]) {
        const refused = await rest("GET", `${path}${join}cursor=${bad}`, { token });
        expect(refused, `${path} with cursor ${bad}`).toMatchObject({ status: 400, body: { errors: { cursor: [expect.stringMatching(/^cursor is not valid/)] } } });
      }
    }
    // Above the maximum page size: refused in words, naming limit.
    expect(await rest("GET", "/disks?limit=201", { token })).toMatchObject({ status: 400, body: { errors: { limit: [expect.stringMatching(/at most 200/)] } } });
  });
});

describe("the lists that answered everything (or their newest N) page with a cursor too", () => {
  let acmeVm: string;
  let acmeOtherVm: string;
  let globexVm: string;
  let rules: string[];
  const foreign: { operation: string; snapshot: string; driverDomain: string; ndvmNetwork: string; rule: string } = { operation: "", snapshot: "", driverDomain: "", ndvmNetwork: "", rule: "" };
  const at = (ms: number) => new Date(SAME_TIME.getTime() - 60_000 + ms);

  async function vmOf(tenant: Tenant, name: string): Promise<string> {
    const { vmId } = await callerFor(t, tenant.members.owner).vm.create({ name, templateId: platform.template.id });
    await t.db.operation.updateMany({ where: { realmId: tenant.realmId, vmId }, data: { status: "succeeded" } });
    await t.db.vm.update({ where: { realmId_id: { realmId: tenant.realmId, id: vmId } }, data: { observedState: "stopped" } });
    return vmId;
  }
  async function operationOn(tenant: Tenant, vmId: string, createdAt: Date): Promise<string> {
    const id = randomUUID();
    await t.db.operation.create({ data: { realmId: tenant.realmId, id, vmId, subjectRealmId: tenant.realmId, action: "start", status: "succeeded", requestId: `paging-${id}`, deadlineAt: new Date(createdAt.getTime() + 60_000), createdAt } });
    return id;
  }
  async function snapshotOf(tenant: Tenant, vmId: string, name: string, createdAt: Date): Promise<string> {
    const id = randomUUID();
    await t.db.vmSnapshot.create({ data: { realmId: tenant.realmId, id, vmId, name, status: "ready", vmState: "stopped", vcpus: 1, memoryMb: 512, sizeGb: 1, createdAt } });
    return id;
  }
  async function driverDomainOf(tenant: Tenant, name: string, createdAt: Date): Promise<string> {
    const id = randomUUID();
    // "failed": a row only (no worker runs here).
    await t.db.driverDomain.create({ data: { realmId: tenant.realmId, id, name, hostId: platform.hosts[0]!.id, state: "failed", stateReason: "paging", createdAt } });
    return id;
  }
  async function networkOf(tenant: Tenant, name: string): Promise<string> {
    const id = randomUUID();
    await t.db.network.create({ data: { realmId: tenant.realmId, id, name } });
    return id;
  }

  beforeAll(async () => {
    acmeVm = await vmOf(acme, "paged");
    acmeOtherVm = await vmOf(acme, "other");
    globexVm = await vmOf(globex, "theirs");
    // Five of each, three of the same instant (the id decides their order).
    const when = (i: number) => (i < 3 ? at(0) : at(i));
    for (let i = 0; i < 5; i++) {
      await operationOn(acme, acmeVm, when(i));
      await snapshotOf(acme, acmeVm, `snap-${i}`, when(i));
      await driverDomainOf(acme, `dd-${i}`, when(i));
    }
    foreign.operation = await operationOn(globex, globexVm, at(0));
    foreign.snapshot = await snapshotOf(globex, globexVm, "theirs", at(0));
    foreign.driverDomain = await driverDomainOf(globex, "their-dd", at(0));

    // NDVMs: ndvm-1 serves two networks (and reports the same counters on both rows: counted
    // once), ndvm-2 one; a realm rule counted on both NDVMs; globex's NDVM counts nothing here.
    rules = [];
    const from = await networkOf(acme, "ndvm-net-0");
    for (let i = 0; i < 5; i++) {
      const id = randomUUID();
      await t.db.networkRule.create({ data: { realmId: acme.realmId, id, fromKind: "network", fromId: from, toKind: "uplink", toId: null, protocol: "tcp", portFrom: 8000 + i, portTo: 8000 + i, createdAt: when(i) } });
      rules.push(id);
    }
    const [d1, d2] = [await driverDomainOf(acme, "ndvm-1", at(10)), await driverDomainOf(acme, "ndvm-2", at(11))];
    const c1 = { flask: { allowed: 0, denied: 2 }, ndvm: { allowed: 0, denied: 1 }, "realm:default": { allowed: 0, denied: 5 }, "platform:p1": { allowed: 1, denied: 3 }, [`realm:${rules[0]}`]: { allowed: 3, denied: 0 } };
    const c2 = { flask: { allowed: 0, denied: 1 }, "realm:default": { allowed: 0, denied: 2 }, "platform:p2": { allowed: 0, denied: 4 }, [`realm:${rules[4]}`]: { allowed: 7, denied: 0 }, [`realm:${rules[0]}`]: { allowed: 1, denied: 0 } };
    const ndvmNets = [from, await networkOf(acme, "ndvm-net-1"), await networkOf(acme, "ndvm-net-2"), await networkOf(acme, "ndvm-net-3"), await networkOf(acme, "ndvm-net-4")];
    for (const [i, networkId] of ndvmNets.entries()) {
      await t.db.networkNdvm.create({ data: { realmId: acme.realmId, networkId, driverDomainId: i < 4 ? d1 : d2, counters: i < 4 ? c1 : c2, createdAt: when(i) } });
    }
    foreign.ndvmNetwork = await networkOf(globex, "their-ndvm-net");
    await t.db.networkNdvm.create({ data: { realmId: globex.realmId, networkId: foreign.ndvmNetwork, driverDomainId: foreign.driverDomain, counters: { flask: { allowed: 0, denied: 100 } } } });
    foreign.rule = randomUUID();
    await t.db.networkRule.create({ data: { realmId: globex.realmId, id: foreign.rule, fromKind: "vm", fromId: globexVm, toKind: "uplink", toId: null, protocol: "udp", portFrom: null, portTo: null } });
  });

  it("vm.history: newest first, every operation of the VM once; another realm's operation, another VM's, a made-up id or garbage as cursor is refused", async () => {
    const owner = callerFor(t, acme.members.owner);
    await expectPagesCoverTheList((input) => owner.vm.history({ vmId: acmeVm, ...input }), (o) => ({ key: time(o.createdAt), id: o.id }), "desc", 6);
    const otherVms = await operationOn(acme, acmeOtherVm, at(0));
    for (const cursor of [foreign.operation, otherVms, randomUUID(), "not-a-cursor"]) {
      await expectCursorRefused(owner.vm.history({ vmId: acmeVm, limit: 2, cursor }), `operation cursor ${cursor}`);
    }
  });

  it("vm.snapshots: newest first, every snapshot once; another realm's snapshot or a made-up one as cursor is refused", async () => {
    const owner = callerFor(t, acme.members.owner);
    await expectPagesCoverTheList((input) => owner.vm.snapshots({ vmId: acmeVm, ...input }), (s) => ({ key: time(s.createdAt), id: s.id }), "desc", 5);
    for (const cursor of [foreign.snapshot, randomUUID(), "not-a-cursor"]) {
      await expectCursorRefused(owner.vm.snapshots({ vmId: acmeVm, limit: 2, cursor }), `snapshot cursor ${cursor}`);
    }
  });

  it("backend.list: the platform's two backends on the first page, then every driver domain once, oldest first; another realm's driver domain as cursor is refused", async () => {
    const viewer = callerFor(t, acme.members.viewer);
    const first = await viewer.backend.list({ limit: 2 });
    expect(first.items.map((b) => [b.kind, b.id === null])).toEqual([
      ["platform-storage", true],
      ["platform-network", true],
      ["driver-domain", false],
      ["driver-domain", false],
    ]);
    expect((await viewer.backend.list({ limit: 2, cursor: first.nextCursor! })).items.every((b) => b.kind === "driver-domain")).toBe(true);
    const drivers: Lister<{ id: string | null; name: string }> = (input) => viewer.backend.list(input).then((page) => ({ ...page, items: page.items.filter((b) => b.kind === "driver-domain") }));
    const expected = await t.db.driverDomain.findMany({ where: { realmId: acme.realmId }, orderBy: [{ createdAt: "asc" }, { id: "asc" }], select: { id: true } });
    expect(expected.length).toBeGreaterThanOrEqual(7);
    const { items, pages } = await pageThrough(drivers);
    expect(items.map((b) => b.id)).toEqual(expected.map((d) => d.id));
    expect(pages).toBe(Math.ceil(expected.length / 2));
    expect((await drivers({ limit: 200 })).items.map((b) => b.name)).not.toContain("their-dd");
    for (const cursor of [foreign.driverDomain, randomUUID(), "not-a-cursor"]) await expectCursorRefused(viewer.backend.list({ limit: 2, cursor }), `backend cursor ${cursor}`);
  });

  it("network.ndvms: oldest first, every NDVM network once; another realm's NDVM network or a made-up id as cursor is refused", async () => {
    const viewer = callerFor(t, acme.members.viewer);
    const expected = await t.db.networkNdvm.findMany({ where: { realmId: acme.realmId }, orderBy: [{ createdAt: "asc" }, { networkId: "asc" }], select: { networkId: true } });
    expect(expected).toHaveLength(5);
    expect((await viewer.network.ndvms({ limit: 200 })).items.map((n) => n.networkId)).toEqual(expected.map((n) => n.networkId));
    const { items, pages } = await pageThrough((input) => viewer.network.ndvms(input));
    expect(items.map((n) => n.networkId)).toEqual(expected.map((n) => n.networkId));
    expect(pages).toBe(3);
    for (const cursor of [foreign.ndvmNetwork, acmeVm, randomUUID(), "not-a-cursor"]) await expectCursorRefused(viewer.network.ndvms({ limit: 2, cursor }), `ndvm cursor ${cursor}`);
  });

  it("network.rules: evaluation order, every rule once, each with its counters; another realm's rule or a made-up id as cursor is refused", async () => {
    const viewer = callerFor(t, acme.members.viewer);
    await expectPagesCoverTheList((input) => viewer.network.rules(input), (r) => ({ key: time(r.createdAt), id: r.id }), "asc", 5);
    const counters = new Map((await pageThrough((input) => viewer.network.rules(input))).items.map((r) => [r.id, r.counters]));
    expect(counters.get(rules[0]!)).toEqual({ allowed: 4, denied: 0 }); // 3 from ndvm-1 (once, though on four rows) + 1 from ndvm-2
    expect(counters.get(rules[4]!)).toEqual({ allowed: 7, denied: 0 }); // on the last page
    expect(counters.get(rules[2]!)).toEqual({ allowed: 0, denied: 0 });
    for (const cursor of [foreign.rule, randomUUID(), "not-a-cursor"]) await expectCursorRefused(viewer.network.rules({ limit: 2, cursor }), `rule cursor ${cursor}`);
  });

  it("network.rules: the aggregates do not depend on the page asked (the same on every page, over every NDVM of the realm and no other realm's)", async () => {
    const viewer = callerFor(t, acme.members.viewer);
    const expected = { defaultDeny: { allowed: 0, denied: 7 }, layers: { flask: { allowed: 0, denied: 3 }, topology: { allowed: 0, denied: 1 }, platform: { allowed: 1, denied: 7 } } };
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await viewer.network.rules({ limit: 2, cursor });
      expect({ defaultDeny: page.defaultDeny, layers: page.layers }, `page ${pages}`).toEqual(expected);
      cursor = page.nextCursor ?? undefined;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
  });

  it("over REST: ?limit and ?cursor page the VM's operations and snapshots, /backends, /networks/ndvms and /network-rules into {items, nextCursor}; a foreign cursor is a 400 naming cursor", async () => {
    const { token } = await callerFor(t, acme.members.owner).token.create({ name: "pager-2", permissions: [...ROLE_GRANTS.owner] as never, expiresInDays: 1 });
    const cases: [string, string][] = [
      [`/vms/${acmeVm}/operations`, foreign.operation],
      [`/vms/${acmeVm}/snapshots`, foreign.snapshot],
      ["/backends", foreign.driverDomain],
      ["/networks/ndvms", foreign.ndvmNetwork],
      ["/network-rules", foreign.rule],
    ];
    const idOf = (item: { id?: string | null; networkId?: string }) => item.id ?? item.networkId ?? null;
    for (const [path, foreignId] of cases) {
      const whole = await rest("GET", `${path}?limit=200`, { token });
      expect(whole.status, `${path}: ${JSON.stringify(whole.body)}`).toBe(200);
      expect(whole.body.nextCursor, path).toBeNull();
      const ids: (string | null)[] = [];
      let cursor: string | null = null;
      do {
        const page = await rest("GET", `${path}?limit=2${cursor ? `&cursor=${cursor}` : ""}`, { token });
        expect(page.status, `${path}: ${JSON.stringify(page.body)}`).toBe(200);
        ids.push(...page.body.items.map(idOf));
        cursor = page.body.nextCursor;
      } while (cursor);
      expect(ids, path).toEqual(whole.body.items.map(idOf));
      const refused = await rest("GET", `${path}?cursor=${foreignId}`, { token });
      expect(refused, `${path} with another realm's cursor`).toMatchObject({ status: 400, body: { errors: { cursor: [expect.stringMatching(/^cursor is not valid/)] } } });
    }
  });
});
