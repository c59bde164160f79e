import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../test/db";
import { pairCount, type CategoryRange } from "./categories";
import { advanceDecommissioning } from "./offboarding";
import { createOrganization } from "./organizations";

/**
 * Retired forever: offboarding and re-onboarding at scale, 1,000 cycles, and no category pair is
 * ever handed out twice. A small range (48 categories: 1,128 pairs) makes the allocator's random
 * draws and its database-assisted draw both hit retired pairs often. No agents: a cycle is the
 * repository-level path (create; the management VM's create fails, as with every host gone;
 * decommission; the offboarding state machine's passes until the pair is retired).
 */

const RANGE: CategoryRange = { min: 200, max: 247 };
const CYCLES = 1_000;
let t: TestDatabase;
let templateId: string;

beforeAll(async () => {
  t = await createTestDatabase();
  await t.db.host.create({
    data: {
      id: randomUUID(),
      name: "h",
      agentUrl: "http://127.0.0.1:9",
      vcpus: 1_000_000,
      memoryMb: 1_000_000_000,
      status: "online",
    },
  });
  templateId = (
    await t.db.template.create({
      data: { id: randomUUID(), name: "m", description: "", vcpus: 1, memoryMb: 1, diskGb: 1 },
    })
  ).id;
});
afterAll(() => t.drop());

async function onboard() {
  return createOrganization(t.db, {
    name: "cycle",
    slug: `cycle-${randomUUID()}`,
    range: RANGE,
    managementTemplateId: templateId,
    actor: { userId: null, requestId: "retire-forever" },
    requireOnlineHost: false,
  });
}

async function offboard(realmId: string) {
  // The management VM was never built (its create failed): the teardown has nothing on any host.
  await t.db.operation.updateMany({ where: { realmId }, data: { status: "failed", finishedAt: new Date() } });
  await t.db.realm.update({ where: { id: realmId }, data: { status: "decommissioning" } });
  let step = await advanceDecommissioning(t.db, realmId);
  for (let pass = 0; step !== "decommissioned" && pass < 5; pass++) step = await advanceDecommissioning(t.db, realmId);
  expect(step).toBe("decommissioned");
}

describe("retired category pairs", () => {
  it(`offboarding and re-onboarding ${CYCLES.toLocaleString("en")} times reuses no pair`, async () => {
    const handedOut = new Set<string>();
    let reused = 0;
    let next = 0;
    const started = performance.now();
    // A few cycles at a time, as operators would: creations serialise on the placement lock.
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        while (next < CYCLES) {
          next++;
          const { realmId, category } = await onboard();
          const key = `${category.categoryLow},${category.categoryHigh}`;
          if (handedOut.has(key)) reused++;
          handedOut.add(key);
          await offboard(realmId);
        }
      }),
    );
    console.log(`retire-forever: ${CYCLES} cycles in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    expect(reused).toBe(0);
    expect(handedOut.size).toBe(CYCLES);
    expect(await t.db.retiredCategory.count()).toBe(CYCLES);
    expect(await t.db.realm.count({ where: { status: "decommissioned" } })).toBe(CYCLES);

    // The rest of the range is still free, and then the range is exhausted: never a retired pair.
    const rest = pairCount(RANGE) - CYCLES;
    for (let i = 0; i < rest; i++) {
      const { category } = await onboard();
      const key = `${category.categoryLow},${category.categoryHigh}`;
      expect(handedOut.has(key), `pair ${key} handed out again`).toBe(false);
      handedOut.add(key);
    }
    await expect(onboard()).rejects.toThrow(/the category range is exhausted/);
  }, 180_000);

  it("a retired pair cannot be un-retired or moved by the platform role", async () => {
    const [row] = await t.db.retiredCategory.findMany({ take: 1 });
    await expect(t.db.retiredCategory.deleteMany({ where: { realmId: row!.realmId } })).rejects.toThrow(
      /permission denied/,
    );
    await expect(
      t.db.retiredCategory.updateMany({ where: { realmId: row!.realmId }, data: { categoryLow: 0 } }),
    ).rejects.toThrow(/permission denied/);
  });
});
