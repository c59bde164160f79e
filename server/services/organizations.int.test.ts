import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../test/db";
import { createUser } from "../test/fixtures";
import { DEFAULT_CATEGORY_RANGE, pairCount, type CategoryRange } from "./categories";
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

  it("refuses to change a realm's category, even by a direct UPDATE", async () => {
    const owner = await createUser(t.db, "immutable");
    const { realmId } = await create(DEFAULT_CATEGORY_RANGE, owner);
    await expect(t.db.$executeRaw`UPDATE realms SET category_high = category_high + 0, category_low = category_low - 0 WHERE id = ${realmId}::uuid`).resolves.toBe(1);
    await expect(t.db.$executeRaw`UPDATE realms SET category_high = 1023, category_low = 0 WHERE id = ${realmId}::uuid`).rejects.toThrow(/immutable/);
    await expect(t.db.$executeRaw`UPDATE vms SET realm_id = gen_random_uuid() WHERE realm_id = ${realmId}::uuid`).rejects.toThrow(/never change realm/);
  });
});
