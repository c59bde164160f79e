import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PLATFORM_URL_ENV } from "../db/client";
import { createTestDatabase, type TestDatabase } from "../test/db";
import { callerFor, createUser, setupPlatform, setupTenant, type Tenant } from "../test/fixtures";

/**
 * The operators' activity plots (operator.activity, issue 13): per time bucket of a window,
 * denials by layer, policy-drift alarms, operations with how they ended and their latency, and
 * the realms denied most; every bucket present (zeros included); earlier windows by `before`;
 * operators only. Rows are planted at known instants in a window of their own (2030).
 */

let t: TestDatabase;
let acme: Tenant;
let globex: Tenant;
let ops: { id: string };
const previousUrl = process.env[PLATFORM_URL_ENV];
const HOUR_END = new Date("2030-01-01T01:00:00.000Z");
const at = (minute: number, second = 0) => new Date(HOUR_END.getTime() - 3_600_000 + minute * 60_000 + second * 1000);

beforeAll(async () => {
  t = await createTestDatabase();
  process.env[PLATFORM_URL_ENV] = t.url;
  const platform = await setupPlatform(t.db);
  acme = await setupTenant(t.db, "acme", platform.mgmtTemplate.id);
  globex = await setupTenant(t.db, "globex", platform.mgmtTemplate.id);
  ops = await createUser(t.db, "activity-ops", true);

  const audit = (realm: Tenant | null, createdAt: Date, fields: { decision: "allow" | "deny"; layer: string; action?: string }) => ({
    realmId: realm?.realmId ?? null,
    actorId: null,
    action: fields.action ?? "vm.start",
    targetType: "vm",
    targetId: randomUUID(),
    decision: fields.decision,
    layer: fields.layer,
    reason: "planted",
    requestId: "activity-test",
    createdAt,
  });
  await t.db.auditEvent.createMany({
    data: [
      audit(acme, at(0, 5), { decision: "deny", layer: "trpc" }),
      audit(acme, at(0, 50), { decision: "deny", layer: "trpc" }),
      audit(acme, at(0, 59), { decision: "deny", layer: "hypervisor" }),
      audit(globex, at(10), { decision: "deny", layer: "database" }),
      audit(null, at(10, 1), { decision: "deny", layer: "auth" }),
      audit(globex, at(59, 59), { decision: "deny", layer: "something-new" }),
      audit(acme, at(10), { decision: "allow", layer: "trpc" }), // an allow is no denial
      audit(null, at(30), { decision: "allow", layer: "worker", action: "alarm.policy_drift" }),
      audit(null, at(30, 30), { decision: "deny", layer: "worker", action: "alarm.policy_drift" }),
      // Outside the window: the instant the window ends, and the hour before.
      audit(acme, HOUR_END, { decision: "deny", layer: "trpc" }),
      audit(acme, at(-1), { decision: "deny", layer: "trpc" }),
    ],
  });
  const vm = await t.db.vm.findFirstOrThrow({ where: { realmId: acme.realmId, kind: "management" } });
  const op = (createdAt: Date, status: "succeeded" | "failed", latencyMs: number | null) => ({
    realmId: acme.realmId,
    id: randomUUID(),
    vmId: vm.id,
    subjectRealmId: acme.realmId,
    action: "start",
    status,
    requestId: "activity-test",
    deadlineAt: new Date(createdAt.getTime() + 60_000),
    createdAt,
    finishedAt: latencyMs === null ? null : new Date(createdAt.getTime() + latencyMs),
  });
  await t.db.operation.createMany({
    data: [op(at(5), "succeeded", 10), op(at(5, 10), "succeeded", 20), op(at(5, 20), "succeeded", 30), op(at(5, 30), "failed", 1000), op(at(20), "succeeded", 40)],
  });
});
afterAll(async () => {
  if (previousUrl === undefined) delete process.env[PLATFORM_URL_ENV];
  else process.env[PLATFORM_URL_ENV] = previousUrl;
  await t?.drop();
});

const operator = () => callerFor(t, ops).operator;

describe("operator.activity", () => {
  it("buckets denials by layer, alarms and operations over the window, every bucket present", async () => {
    const a = await operator().activity({ window: "1h", before: HOUR_END });
    expect(a.from.toISOString()).toBe(at(0).toISOString());
    expect(a.to.toISOString()).toBe(HOUR_END.toISOString());
    expect(a.bucketSeconds).toBe(60);
    expect(a.buckets).toHaveLength(60);
    expect(a.buckets.map((b) => b.t.getTime())).toEqual(Array.from({ length: 60 }, (_, i) => at(i).getTime()));
    expect(a.buckets[0]!.denials).toEqual({ trpc: 2, database: 0, hypervisor: 1, worker: 0, auth: 0, other: 0 });
    expect(a.buckets[10]!.denials).toEqual({ trpc: 0, database: 1, hypervisor: 0, worker: 0, auth: 1, other: 0 });
    expect(a.buckets[59]!.denials.other).toBe(1);
    // The alarm denied at 30:30 is both an alarm and a worker denial.
    expect(a.buckets[30]).toMatchObject({ alarms: 2, denials: { worker: 1 } });
    expect(a.buckets[5]).toMatchObject({ accepted: 4, succeeded: 3, failed: 1, p50Ms: 25 });
    expect(a.buckets[5]!.p95Ms).toBeCloseTo(1000 - 0.05 * 3 * (1000 - 30), 0);
    expect(a.buckets[20]).toMatchObject({ accepted: 1, succeeded: 1, failed: 0, p50Ms: 40, p95Ms: 40 });
    expect(a.buckets[1]).toMatchObject({ accepted: 0, alarms: 0, p50Ms: null, denials: { trpc: 0, other: 0 } });
    expect(a.totals).toEqual({ denials: 7, alarms: 2, operations: 5, failed: 1 });
    expect(a.topDeniedRealms).toEqual([
      { realmId: acme.realmId, org: "acme", count: 3 },
      { realmId: globex.realmId, org: "globex", count: 2 },
      { realmId: null, org: null, count: 2 },
    ]);
  });

  it("pages back by `before` (the previous answer's `from`), with wider windows in wider buckets", async () => {
    const hour = await operator().activity({ window: "1h", before: HOUR_END });
    const earlier = await operator().activity({ window: "1h", before: hour.from });
    expect(earlier.to.toISOString()).toBe(hour.from.toISOString());
    expect(earlier.totals.denials).toBe(1); // the one planted a minute before the window
    const day = await operator().activity({ window: "24h", before: HOUR_END });
    expect(day.bucketSeconds).toBe(900);
    expect(day.buckets).toHaveLength(96);
    expect(day.totals.denials).toBe(8);
    // A `before` inside a bucket ends the window at that bucket's end.
    const mid = await operator().activity({ window: "1h", before: at(59, 30) });
    expect(mid.to.toISOString()).toBe(HOUR_END.toISOString());
  });

  it("refuses an unknown window naming the field, and is for operators only", async () => {
    await expect(operator().activity({ window: "2h" as never })).rejects.toMatchObject({ code: "BAD_REQUEST", message: expect.stringContaining("window must be one of 1h, 6h, 24h, 7d") });
    await expect(callerFor(t, acme.members.owner).operator.activity({ window: "1h" })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});
