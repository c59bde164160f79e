import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createTestDatabase, type TestDatabase } from "../test/db";
import { setupPlatform, setupTenant } from "../test/fixtures";
import type * as client from "./client";
import { sql, statement, transaction, withRealm } from "./client";

/**
 * The transactions server/db/client.ts runs itself on the driver's connection, with Prisma's
 * transaction client riding on it (issue 12). What must hold: each transaction has its own
 * connection and sees only its own realm, even when many run at once and Prisma would batch their
 * reads; a failure leaves nothing behind; a read-only transaction writes nothing.
 */

let t: TestDatabase;
let acme: Awaited<ReturnType<typeof setupTenant>>;
let globex: Awaited<ReturnType<typeof setupTenant>>;
beforeAll(async () => {
  t = await createTestDatabase();
  const platform = await setupPlatform(t.db);
  acme = await setupTenant(t.db, "tx-acme", platform.mgmtTemplate.id);
  globex = await setupTenant(t.db, "tx-globex", platform.mgmtTemplate.id);
});
afterAll(() => t?.drop());

const realmOf = statement("test_realm_of_mgmt", `SELECT "realm_id" FROM "vms" WHERE "kind" = 'management'`);

describe("transactions on the driver's connection", () => {
  it("many concurrent realm transactions each see their own realm only (Prisma's batched reads included)", async () => {
    const mgmt = await t.db.vm.findMany({ where: { kind: "management", realmId: { in: [acme.realmId, globex.realmId] } }, select: { id: true, realmId: true } });
    const byRealm = new Map(mgmt.map((vm) => [vm.realmId, vm.id]));
    const runs = Array.from({ length: 60 }, (_, i) => {
      const realmId = i % 2 ? acme.realmId : globex.realmId;
      const otherVm = byRealm.get(i % 2 ? globex.realmId : acme.realmId)!;
      return withRealm(t.tenantDb, realmId, async (tx) => {
        // findUnique calls made in the same tick are what Prisma batches into one query.
        const [own, foreign, raw] = await Promise.all([
          tx.vm.findUnique({ where: { realmId_id: { realmId, id: byRealm.get(realmId)! } }, select: { realmId: true } }),
          tx.vm.findFirst({ where: { id: otherVm }, select: { id: true } }),
          sql<{ realm_id: string }>(tx, realmOf, []),
        ]);
        return { realmId, own: own?.realmId, foreign, raw: raw.map((r) => r.realm_id) };
      });
    });
    for (const result of await Promise.all(runs)) {
      expect(result.own).toBe(result.realmId);
      expect(result.foreign).toBeNull();
      expect(result.raw).toEqual([result.realmId]);
    }
  });

  it("an error rolls back what Prisma and the driver wrote in the transaction", async () => {
    const name = `rolled-back-${randomUUID().slice(0, 6)}`;
    const failing = transaction(t.db, async (tx) => {
      await tx.network.create({ data: { realmId: acme.realmId, id: randomUUID(), name } });
      await sql(tx, statement("test_insert_network", `INSERT INTO "networks" ("realm_id", "id", "name") VALUES ($1, $2, $3)`), [acme.realmId, randomUUID(), `${name}-2`]);
      throw new Error("boom");
    });
    await expect(failing).rejects.toThrow("boom");
    expect(await t.db.network.count({ where: { name: { startsWith: name } } })).toBe(0);
  });

  it("a read-only realm transaction cannot write", async () => {
    const attempt = withRealm(t.tenantDb, acme.realmId, (tx) => tx.network.create({ data: { realmId: acme.realmId, id: randomUUID(), name: "ro" } }), { readOnly: true });
    await expect(attempt).rejects.toThrow(/read-only transaction/);
    expect(await t.db.network.count({ where: { realmId: acme.realmId, name: "ro" } })).toBe(0);
  });

  it("Prisma's transaction starts only when the procedure uses Prisma, once, on our connection", async () => {
    const pid = statement("test_backend_pid", "SELECT pg_backend_pid() AS pid");
    const started = vi.spyOn(t.tenantDb, "$transaction");
    try {
      // Statements on the driver only: no Prisma transaction at all.
      await withRealm(t.tenantDb, acme.realmId, (tx) => sql(tx, realmOf, []));
      expect(started).not.toHaveBeenCalled();
      // Prisma's API, twice and at once: one transaction, on the connection the driver's statements use.
      const [own, viaPrisma, count] = await withRealm(t.tenantDb, acme.realmId, async (tx) => {
        const own = (await sql<{ pid: number }>(tx, pid, []))[0]!.pid;
        const [rows, n] = await Promise.all([tx.$queryRaw<{ pid: number }[]>`SELECT pg_backend_pid() AS pid`, tx.vm.count()]);
        return [own, rows[0]!.pid, n];
      });
      expect(started).toHaveBeenCalledTimes(1);
      expect(viaPrisma).toBe(own);
      expect(count).toBeGreaterThan(0);
    } finally {
      started.mockRestore();
    }
  });

  it("a Prisma transaction on the base client inside ours runs on a connection of its own, as it always did", async () => {
    const pid = statement("test_backend_pid", "SELECT pg_backend_pid() AS pid");
    const [ours, theirs] = await transaction(t.db, async (tx) => {
      const own = (await sql<{ pid: number }>(tx, pid, []))[0]!.pid;
      // Prisma's implicit transaction for a nested write goes the same way.
      const other = await t.db.$transaction(async (inner) => (await inner.$queryRaw<{ pid: number }[]>`SELECT pg_backend_pid() AS pid`)[0]!.pid);
      return [own, other];
    });
    expect(theirs).not.toBe(ours);
  });

  it("two copies of this module (the web process loads it twice) share the transactions of each other's clients", async () => {
    // A second module instance, as Next's bundle is beside the API's: the clients here were made
    // by the first copy, and a pooled connection goes back and forth between the two.
    const second = (await import(/* @vite-ignore */ `./client.ts?copy=${Date.now()}`)) as typeof client;
    expect(second.withRealm).not.toBe(withRealm);
    for (let i = 0; i < 20; i++) {
      const run = i % 2 ? withRealm : second.withRealm;
      const realmId = i % 3 ? acme.realmId : globex.realmId;
      const seen = await run(t.tenantDb, realmId, (tx) => tx.vm.findMany({ where: { kind: "management" }, select: { realmId: true } }), { readOnly: i % 4 === 0 });
      expect(seen.map((vm) => vm.realmId)).toEqual([realmId]);
    }
  });

  it("code that outlives its transaction never reaches that connection again", async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let leftRunning!: Promise<[string, string]>;
    await withRealm(t.tenantDb, acme.realmId, async (tx) => {
      // Started inside the transaction (its async context), resumed after it ended.
      leftRunning = (async () => {
        await gate;
        const viaTx = await sql(tx, realmOf, []).then(
          () => "ran",
          (error: Error) => error.message,
        );
        // Prisma's own transaction here starts on a connection of its own, not the old one.
        const viaPrisma = await t.tenantDb.$transaction(async () => "ran").catch((error: Error) => error.message);
        return [viaTx, viaPrisma];
      })();
    });
    // Another transaction may hold the old connection meanwhile.
    const other = withRealm(t.tenantDb, globex.realmId, async (tx) => {
      release();
      return sql<{ realm_id: string }>(tx, realmOf, []);
    });
    expect(await leftRunning).toEqual(["a statement on a transaction that has ended", "ran"]);
    expect((await other).map((r) => r.realm_id)).toEqual([globex.realmId]);
  });

  it("prepared statements are still planned for their own values (a cached generic plan can be wrong for a big realm)", async () => {
    const show = statement("test_plan_cache_mode", "SELECT current_setting('plan_cache_mode') AS mode");
    expect(await sql(t.db, show, [])).toEqual([{ mode: "force_custom_plan" }]);
    expect(await withRealm(t.tenantDb, acme.realmId, (tx) => sql(tx, show, []))).toEqual([{ mode: "force_custom_plan" }]);
  });

  it("the pool's connections come back after many transactions, failed ones included", async () => {
    for (let i = 0; i < 30; i++) {
      await transaction(t.db, async () => {
        if (i % 3 === 0) throw new Error("fail");
      }).catch(() => undefined);
      await withRealm(t.tenantDb, acme.realmId, (tx) => sql(tx, realmOf, []), { readOnly: true });
    }
    // A pool of 5 (server/test/db.ts): a leak would have exhausted it long before.
    expect(await transaction(t.db, (tx) => sql<{ one: number }>(tx, statement("test_one", "SELECT 1 AS one"), []))).toEqual([{ one: 1 }]);
  });
});
