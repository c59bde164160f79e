import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Prisma } from "../generated/prisma/client";
import { createTestDatabase, type TestDatabase } from "../test/db";
import type { AuditFilter } from "./audit-filter";
import { trailQuery } from "./audit-trail";

/**
 * A realm's trail filtered on decision or layer must be found through the indexes made for it
 * (migration audit_trail_filters), and no filtered page (actor and target too) may read
 * audit_events sequentially: on a realm with many events that is what an attacker flooding the
 * trail, or just a busy realm, would make every filtered page cost.
 */

let t: TestDatabase;
const realm = randomUUID();
const actor = randomUUID();

beforeAll(async () => {
  t = await createTestDatabase();
  const owner = new pg.Client({ connectionString: t.urls.owner });
  await owner.connect();
  try {
    await owner.query("BEGIN");
    await owner.query("ALTER TABLE audit_events NO FORCE ROW LEVEL SECURITY");
    // 60,000 roots over three realms (mostly allowed, through tRPC), and an outcome phase for every tenth.
    await owner.query(
      `INSERT INTO audit_events (realm_id, actor_id, action, target_type, target_id, decision, layer, reason, request_id, created_at)
       SELECT (ARRAY[$1::uuid, gen_random_uuid(), gen_random_uuid()])[1 + i % 3], CASE WHEN i % 97 = 0 THEN $2::uuid ELSE gen_random_uuid() END,
              'vm.start', 'vm', 'vm-' || (i % 5000), CASE WHEN i % 211 = 0 THEN 'deny' ELSE 'allow' END::"Decision",
              CASE WHEN i % 307 = 0 THEN 'hypervisor' ELSE 'trpc' END, 'r', 'q-' || i, now() - (i || ' ms')::interval
       FROM generate_series(1, 60000) AS i`,
      [realm, actor],
    );
    await owner.query(
      `INSERT INTO audit_events (realm_id, actor_id, action, target_type, target_id, decision, layer, reason, request_id, created_at, parent_id, phase)
       SELECT realm_id, actor_id, action, target_type, target_id, CASE WHEN id % 7 = 0 THEN 'deny' ELSE 'allow' END::"Decision", 'worker', 'r', request_id, created_at, id,
              CASE WHEN id % 7 = 0 THEN 'failed' ELSE 'applied' END
       FROM audit_events WHERE id % 10 = 0`,
    );
    await owner.query("ALTER TABLE audit_events FORCE ROW LEVEL SECURITY");
    await owner.query("COMMIT");
    await owner.query("ANALYZE audit_events");
  } finally {
    await owner.end();
  }
}, 120_000);

afterAll(async () => {
  await t?.drop();
});

type PlanNode = { "Node Type": string; "Relation Name"?: string; "Index Name"?: string; "Index Cond"?: string; Filter?: string; Plans?: PlanNode[] };
const nodes = (n: PlanNode): PlanNode[] => [n, ...(n.Plans ?? []).flatMap(nodes)];

async function plan(filter: AuditFilter, page = { limit: 50 }): Promise<PlanNode[]> {
  const rows = await t.db.$queryRaw<{ "QUERY PLAN": [{ Plan: PlanNode }] }[]>(Prisma.sql`EXPLAIN (FORMAT JSON) ${trailQuery(filter, page, false)}`);
  return nodes(rows[0]!["QUERY PLAN"][0].Plan);
}

describe("a realm's filtered trail page", () => {
  it.each<[string, AuditFilter]>([
    ["denials", { decision: "deny" }],
    ["allowed actions", { decision: "allow" }],
    ["one layer", { layer: "hypervisor" }],
    ["the worker's layer (phases only)", { layer: "worker" }],
    ["denials in one layer", { decision: "deny", layer: "trpc" }],
    ["one actor", { actor }],
    ["one target", { target: "vm-42" }],
    ["one actor's denials", { actor, decision: "deny" }],
  ])("filter_on_%s_never_scans_audit_events", async (_name, filter) => {
    const plan1 = await plan({ realmId: realm, ...filter });
    const scans = plan1.filter((n) => n["Relation Name"] === "audit_events");
    expect(scans.length).toBeGreaterThan(0);
    expect(scans.filter((n) => n["Node Type"] === "Seq Scan")).toEqual([]);
    // A decision or layer filter walks the indexes made for it (roots, phases), not the realm's events.
    if (filter.decision || filter.layer) {
      const used = new Set(plan1.map((n) => n["Index Name"]).filter(Boolean));
      const wanted = [filter.decision ? "decision" : null, filter.layer ? "layer" : null].filter(Boolean).flatMap((k) => [`audit_events_root_${k}_idx`, `audit_events_phase_${k}_idx`]);
      expect(wanted.some((name) => used.has(name)), `uses one of ${wanted.join(", ")}; used ${[...used].join(", ")}`).toBe(true);
    }
    // The next page (a keyset cursor) too.
    const plan2 = await plan({ realmId: realm, ...filter }, { limit: 50, before: 40_000n } as never);
    expect(plan2.filter((n) => n["Relation Name"] === "audit_events" && n["Node Type"] === "Seq Scan")).toEqual([]);
  });
});
