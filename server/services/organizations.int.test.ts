import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { transaction, withRealm } from "../db/client";
import { hostLockKey, lockHost } from "../repositories/hosts";
import { createTestDatabase, type TestDatabase } from "../test/db";
import { createUser } from "../test/fixtures";
import { waitFor } from "../test/processes";
import { DEFAULT_CATEGORY_RANGE, pairCount, type CategoryRange } from "./categories";
import { requestVmCreate } from "./lifecycle";
import { createOrganization } from "./organizations";

/** Realm categories: unique across the fleet under concurrency, and a clear error when exhausted. */

let t: TestDatabase;
let templateId: string;

beforeAll(async () => {
  t = await createTestDatabase();
  await t.db.host.create({ data: { id: randomUUID(), name: "big", agentUrl: "http://127.0.0.1:9", vcpus: 100_000, memoryMb: 100_000_000, status: "online" } });
  templateId = (await t.db.template.create({ data: { id: randomUUID(), name: "mgmt", description: "", vcpus: 1, memoryMb: 256, diskGb: 1 } })).id;
});
afterAll(() => t.drop());

async function create(range: CategoryRange, owner: { id: string }) {
  return createOrganization(t.db, {
    name: "org",
    slug: `org-${randomUUID()}`,
    ownerUserId: owner.id,
    range,
    managementTemplateId: templateId,
    actor: { userId: owner.id, requestId: "test" },
  });
}

/** Runs tasks with at most `width` in flight. */
async function pool<T>(count: number, width: number, task: (i: number) => Promise<T>): Promise<T[]> {
  const results: T[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < count) {
        const i = next++;
        results[i] = await task(i);
      }
    }),
  );
  return results;
}

describe("realm category allocation", () => {
  it("1,000 concurrent organization creations get 1,000 distinct category pairs", async () => {
    const owner = await createUser(t.db, "many");
    const created = await pool(1_000, 24, () => create(DEFAULT_CATEGORY_RANGE, owner));
    const pairs = new Set(created.map((c) => `${c.category.categoryLow},${c.category.categoryHigh}`));
    expect(pairs.size).toBe(1_000);
    const rows = await t.db.$queryRaw<{ n: bigint; d: bigint }[]>`
      SELECT count(*) AS n, count(DISTINCT (category_low, category_high)) AS d FROM realms`;
    expect(rows[0]!.n).toBe(rows[0]!.d);
    expect(created.every((c) => c.category.categoryLow < c.category.categoryHigh)).toBe(true);
    // Every realm got its management VM.
    expect(await t.db.vm.count({ where: { kind: "management" } })).toBe(await t.db.realm.count());
  }, 300_000);

  it("says the range is exhausted instead of reusing a category", async () => {
    const small = await createTestDatabase();
    try {
      await small.db.host.create({ data: { id: randomUUID(), name: "h", agentUrl: "http://127.0.0.1:9", vcpus: 1_000, memoryMb: 1_000_000, status: "online" } });
      const mgmt = await small.db.template.create({ data: { id: randomUUID(), name: "m", description: "", vcpus: 1, memoryMb: 1, diskGb: 1 } });
      const owner = await createUser(small.db, "small");
      const range = { min: 100, max: 107 };
      const make = () =>
        createOrganization(small.db, {
          name: "o",
          slug: `o-${randomUUID()}`,
          ownerUserId: owner.id,
          range,
          managementTemplateId: mgmt.id,
          actor: { userId: owner.id, requestId: "t" },
        });
      // Filling the range to the last pair forces the database-assisted draw; repeat to be sure.
      for (let i = 0; i < pairCount(range); i++) await make();
      await expect(make()).rejects.toThrow(/the category range is exhausted \(28 realms\)/);
      expect(await small.db.realm.count()).toBe(28);
      expect(await small.db.organization.count()).toBe(28);
    } finally {
      await small.drop();
    }
  }, 120_000);

  it("never hands out a retired pair, even one no realm holds any more", async () => {
    const small = await createTestDatabase();
    try {
      await small.db.host.create({ data: { id: randomUUID(), name: "h", agentUrl: "http://127.0.0.1:9", vcpus: 1_000, memoryMb: 1_000_000, status: "online" } });
      const mgmt = await small.db.template.create({ data: { id: randomUUID(), name: "m", description: "", vcpus: 1, memoryMb: 1, diskGb: 1 } });
      const owner = await createUser(small.db, "retired");
      const range = { min: 200, max: 202 }; // three pairs
      const make = () =>
        createOrganization(small.db, { name: "o", slug: `o-${randomUUID()}`, range, managementTemplateId: mgmt.id, actor: { userId: owner.id, requestId: "t" } });
      const first = await make();
      // Another pair is recorded as retired (as if its realm's row had been archived elsewhere).
      const all = [{ categoryLow: 200, categoryHigh: 201 }, { categoryLow: 200, categoryHigh: 202 }, { categoryLow: 201, categoryHigh: 202 }];
      const free = all.filter((p) => p.categoryLow !== first.category.categoryLow || p.categoryHigh !== first.category.categoryHigh);
      await small.db.retiredCategory.create({ data: { ...free[0]!, realmId: first.realmId } });
      const second = await make();
      expect(second.category).toEqual(free[1]);
      await expect(make()).rejects.toThrow(/the category range is exhausted \(2 realms\)/);
      expect(await small.db.realm.count({ where: free[0]! })).toBe(0);
    } finally {
      await small.drop();
    }
  }, 120_000);

  it("refuses to change a realm's category, even by a direct UPDATE", async () => {
    const owner = await createUser(t.db, "immutable");
    const { realmId } = await create(DEFAULT_CATEGORY_RANGE, owner);
    await expect(t.db.$executeRaw`UPDATE realms SET category_high = category_high + 0, category_low = category_low - 0 WHERE id = ${realmId}::uuid`).resolves.toBe(1);
    await expect(t.db.$executeRaw`UPDATE realms SET category_high = 1023, category_low = 0 WHERE id = ${realmId}::uuid`).rejects.toThrow(/immutable/);
    await expect(t.db.$executeRaw`UPDATE vms SET realm_id = gen_random_uuid() WHERE realm_id = ${realmId}::uuid`).rejects.toThrow(/never change realm/);
  });
});

/**
 * Placement without the fleet-wide lock (issue 12): creations on different hosts no longer wait
 * for each other, so these race them on purpose. Each database here is its own fleet.
 */
describe("placement under racing creations", () => {
  async function fleet(hosts: { name: string; vcpus: number; memoryMb: number }[]) {
    const f = await createTestDatabase();
    const ids: string[] = [];
    for (const h of hosts) {
      const id = randomUUID();
      ids.push(id);
      await f.db.host.create({ data: { id, agentUrl: "http://127.0.0.1:9", status: "online", ...h } });
    }
    const mgmt = await f.db.template.create({ data: { id: randomUUID(), name: "mgmt", description: "", vcpus: 1, memoryMb: 256, diskGb: 1 } });
    const guest = await f.db.template.create({ data: { id: randomUUID(), name: "tiny", description: "", vcpus: 1, memoryMb: 256, diskGb: 1 } });
    const owner = await createUser(f.db, "racer");
    const onboard = (requireOnlineHost = true) =>
      createOrganization(f.db, {
        name: "racer",
        slug: `racer-${randomUUID()}`,
        range: DEFAULT_CATEGORY_RANGE,
        managementTemplateId: mgmt.id,
        actor: { userId: owner.id, requestId: "race" },
        requireOnlineHost,
      });
    /** What is placed on each host, summed from the VM rows themselves (not the kept counters). */
    const placed = () =>
      f.db.$queryRaw<{ host: string; vcpus: number; memory_mb: number; cap_vcpus: number; cap_memory_mb: number }[]>`
        SELECT h.name AS host, COALESCE(sum(v.vcpus), 0)::int AS vcpus, COALESCE(sum(v.memory_mb), 0)::int AS memory_mb,
               h.vcpus AS cap_vcpus, h.memory_mb AS cap_memory_mb
          FROM hosts h LEFT JOIN vms v ON v.host_id = h.id AND v.observed_state <> 'destroyed'
         GROUP BY h.id ORDER BY h.name`;
    return { f, ids, guest, owner, onboard, placed };
  }

  it("racing onboardings never over-commit a host or hold a category pair twice: the last free places go to exactly as many creations", async () => {
    // Room for 5 management VMs (256 MiB each) per host: 10 places for 120 creations racing 40 at a time.
    const { f, onboard, placed } = await fleet([
      { name: "h1", vcpus: 64, memoryMb: 5 * 256 + 100 },
      { name: "h2", vcpus: 64, memoryMb: 5 * 256 + 100 },
    ]);
    try {
      const outcomes = await pool(120, 40, () => onboard().then(() => "created", (error: Error) => error.message));
      const created = outcomes.filter((o) => o === "created").length;
      expect(created).toBe(10);
      // The others are refused by placement, and leave nothing behind.
      for (const o of outcomes.filter((o) => o !== "created")) expect(o).toMatch(/cannot place the VM: no online host has 1 vCPU and 256 MiB free \(capacity\)/);
      for (const h of await placed()) {
        expect(h.memory_mb, h.host).toBeLessThanOrEqual(h.cap_memory_mb);
        expect(h.memory_mb, h.host).toBe(5 * 256);
      }
      expect(await f.db.realm.count()).toBe(10);
      expect(await f.db.organization.count()).toBe(10);
      expect(await f.db.vm.count({ where: { kind: "management", hostId: null } })).toBe(0);
      const [pairs] = await f.db.$queryRaw<{ n: bigint; d: bigint }[]>`SELECT count(*) AS n, count(DISTINCT (category_low, category_high)) AS d FROM realms`;
      expect(pairs!.n).toBe(pairs!.d);
      // The counters the database keeps agree with the rows.
      const usage = await f.db.hostUsage.findMany();
      expect(usage.reduce((s, u) => s + Number(u.memoryMb), 0)).toBe(10 * 256);
    } finally {
      await f.drop();
    }
  }, 120_000);

  it("racing onboardings and guest creations share a host's last places without over-committing it", async () => {
    // One host: 4 places. Two realms exist (2 places taken); 16 onboardings and 16 guests race for the last 2.
    const { f, guest, onboard, placed } = await fleet([{ name: "solo", vcpus: 64, memoryMb: 4 * 256 + 100 }]);
    try {
      const a = await onboard();
      const b = await onboard();
      const guestOf = (realmId: string, i: number) =>
        withRealm(f.tenantDb, realmId, (tx) =>
          requestVmCreate(tx, f.db, { realmId, name: `g-${i}`, templateId: guest.id, actor: { userId: null, requestId: "race" }, rule: "test" }),
        );
      const outcomes = await Promise.all([
        ...Array.from({ length: 16 }, () => onboard().then(() => "ok", (e: Error) => e.message)),
        ...Array.from({ length: 16 }, (_, i) => guestOf(i % 2 ? a.realmId : b.realmId, i).then(() => "ok", (e: Error) => e.message)),
      ]);
      expect(outcomes.filter((o) => o === "ok")).toHaveLength(2);
      const [solo] = await placed();
      expect(solo!.memory_mb).toBe(4 * 256);
    } finally {
      await f.drop();
    }
  }, 120_000);

  it("an onboarding's COMMIT waits for a guest placement holding the same host: both take one lock", async () => {
    const { f, ids, onboard } = await fleet([{ name: "only", vcpus: 64, memoryMb: 100_000 }]);
    try {
      const key = hostLockKey(ids[0]!) >>> 0; // pg_locks shows the key as an unsigned oid
      const waiting = () =>
        f.db.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND classid = 72707369 AND objid = ${key}::oid`;
      let onboarding: Promise<unknown> | undefined;
      await transaction(f.db, async (tx) => {
        await lockHost(tx, ids[0]!, true);
        onboarding = onboard();
        await waitFor(async () => (await waiting())[0]!.n === 1n, "the onboarding's COMMIT waiting on the host's lock");
      });
      await onboarding;
      expect((await waiting())[0]!.n).toBe(0n);
      expect(await f.db.vm.count({ where: { kind: "management", hostId: ids[0]! } })).toBe(1);
    } finally {
      await f.drop();
    }
  }, 60_000);

  it("two walled-off realms racing guests onto the one host they could share never both land there", async () => {
    // "shared" holds both realms' management VMs, so the wall rules it out for either; "free" is
    // the only host each may use, and only until the other lands there.
    const { f, ids, guest, onboard } = await fleet([
      { name: "shared", vcpus: 64, memoryMb: 1_000_000 },
      { name: "free", vcpus: 64, memoryMb: 1_000_000 },
    ]);
    try {
      await f.db.host.update({ where: { id: ids[1]! }, data: { status: "unreachable" } });
      const pairs = [];
      for (let i = 0; i < 8; i++) pairs.push([await onboard(), await onboard()] as const);
      await f.db.host.update({ where: { id: ids[1]! }, data: { status: "online" } });
      const operator = await createUser(f.db, "wall-op");
      for (const [x, y] of pairs) {
        const [low, high] = x.realmId < y.realmId ? [x.realmId, y.realmId] : [y.realmId, x.realmId];
        await f.db.realmConflict.create({ data: { realmLow: low, realmHigh: high, reason: "rivals", createdBy: operator.id } });
      }
      const guestOf = (realmId: string) =>
        withRealm(f.tenantDb, realmId, (tx) =>
          requestVmCreate(tx, f.db, { realmId, name: "rival-guest", templateId: guest.id, actor: { userId: null, requestId: "race" }, rule: "test" }),
        ).then(
          () => "placed",
          (e: Error) => e.message,
        );
      for (const [x, y] of pairs) {
        const [rx, ry] = await Promise.all([guestOf(x.realmId), guestOf(y.realmId)]);
        // Exactly one lands on "free"; the other finds its rival on every host.
        expect([rx, ry].filter((r) => r === "placed"), `${rx} / ${ry}`).toHaveLength(1);
        expect([rx, ry].find((r) => r !== "placed")).toMatch(/Chinese Wall: a conflicting realm runs on every candidate host/);
      }
      // No host runs two realms of one conflict set (the management VMs on "shared" predate the walls).
      const together = await f.db.$queryRaw<{ n: bigint }[]>`
        SELECT count(*) AS n FROM realm_conflicts c
          JOIN vms a ON a.realm_id = c.realm_low AND a.kind = 'guest'
          JOIN vms b ON b.realm_id = c.realm_high AND b.kind = 'guest' AND b.host_id = a.host_id`;
      expect(together[0]!.n).toBe(0n);
    } finally {
      await f.drop();
    }
  }, 120_000);
});
