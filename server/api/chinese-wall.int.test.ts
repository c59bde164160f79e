import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../test/db";
import { callerFor, createUser, setupPlatform, setupTenant, type Tenant } from "../test/fixtures";

/**
 * Issue 13, operator workbench: a Chinese Wall between realms that share a host now never
 * passes silently (refused with the co-located VMs and the plan; carried out as queued
 * migrations, or added as pending and shown as an alarm until the violation is gone); removing a
 * wall needs a reason, audited. Placement is steered by moving VM rows between the two hosts.
 */

let t: TestDatabase;
let platform: Awaited<ReturnType<typeof setupPlatform>>;
let acme: Tenant;
let globex: Tenant;
let initech: Tenant;
let ops: Awaited<ReturnType<typeof createUser>>;
let host0: string;
let host1: string;

const codeOf = (p: Promise<unknown>) => p.then(() => "OK", (e: unknown) => (e instanceof TRPCError ? e.code : String(e)));

/** Puts every live VM of the realm on the host, settled (running), nothing in flight. */
async function placeRealm(tenant: Tenant, hostId: string) {
  await t.db.operation.updateMany({ where: { realmId: tenant.realmId, status: { in: ["pending", "running", "retrying"] } }, data: { status: "succeeded" } });
  await t.db.vm.updateMany({ where: { realmId: tenant.realmId, observedState: { not: "destroyed" } }, data: { hostId, observedState: "running", desiredState: "running" } });
}

beforeAll(async () => {
  t = await createTestDatabase();
  platform = await setupPlatform(t.db);
  [host0, host1] = platform.hosts.map((h) => h.id) as [string, string];
  acme = await setupTenant(t.db, "acme", platform.mgmtTemplate.id);
  globex = await setupTenant(t.db, "globex", platform.mgmtTemplate.id);
  initech = await setupTenant(t.db, "initech", platform.mgmtTemplate.id);
  ops = await createUser(t.db, "ops", true);
  await (callerFor(t, acme.members.owner).vm.create({ name: "acme-web", templateId: platform.template.id }));
});
afterAll(() => t.drop());

beforeEach(async () => {
  // Every test starts from: Acme and Globex share host 0 (their management VMs, Acme's web VM
  // too), Initech runs on host 1, no walls, both hosts online with room.
  await t.db.realmConflict.deleteMany();
  await t.db.host.updateMany({ data: { status: "online", memoryMb: 32_768, vcpus: 16 } });
  await placeRealm(acme, host0);
  await placeRealm(globex, host0);
  await placeRealm(initech, host1);
});

const wall = (reason = "competitors: never co-located") => ({ realmA: acme.realmId, realmB: globex.realmId, reason });

describe("adding a wall between realms that share a host", () => {
  it("refuses a wall the fleet violates now, naming the co-located VMs and the plan, and stores nothing", async () => {
    const error = await callerFor(t, ops)
      .operator.conflicts.add(wall())
      .catch((e: TRPCError) => e);
    expect(error).toMatchObject({ code: "PRECONDITION_FAILED" });
    const message = (error as TRPCError).message;
    const host0Name = platform.hosts[0]!.name;
    expect(message).toContain(`acme's acme-web on ${host0Name}`);
    expect(message).toMatch(/management|mgmt/);
    expect(message).toContain("the plan: move globex's");
    expect(message).toContain(`to ${platform.hosts[1]!.name}`);
    expect(await t.db.realmConflict.count()).toBe(0);
    expect(await t.db.auditEvent.count({ where: { action: "acm.conflict.add" } })).toBe(0);

    // The same, structured, for the console: which VMs (realm, name, host) and which moves.
    const preview = await callerFor(t, ops).operator.conflicts.plan({ realmA: acme.realmId, realmB: globex.realmId });
    expect(preview.coLocated.map((v) => [v.org, v.name, v.host]).sort()).toEqual(
      [
        ["acme", "acme-web", host0Name],
        ...(await t.db.vm.findMany({ where: { realmId: { in: [acme.realmId, globex.realmId] }, kind: "management" }, include: { realm: { include: { org: true } } } })).map((v) => [
          v.realm.org.name,
          v.name,
          host0Name,
        ]),
      ].sort(),
    );
    // Globex has one VM there, Acme two: Globex's management VM moves, to the other host.
    expect(preview.plan).toMatchObject({ possible: true, reason: null });
    expect(preview.plan.moves).toEqual([expect.objectContaining({ org: "globex", kind: "management", fromHost: host0Name, toHost: platform.hosts[1]!.name })]);
  });

  it("carries out the plan in one action: the migrations are queued as ordinary operations, audited", async () => {
    const added = await callerFor(t, ops).operator.conflicts.add({ ...wall(), onViolation: "migrate" });
    expect(added).toMatchObject({ added: true, pending: false });
    expect(added.migrations).toHaveLength(1);
    const [move] = added.migrations;
    const op = await t.db.operation.findUniqueOrThrow({ where: { id: move!.operationId } });
    expect(op).toMatchObject({ action: "migrate", realmId: globex.realmId, subjectRealmId: globex.realmId, requestedById: ops.id, status: "pending", params: { destinationHostId: host1 } });
    expect((await t.db.vm.findUniqueOrThrow({ where: { id: move!.vmId } })).observedState).toBe("migrating");
    // Audited twice: the wall on the platform's trail (with what it queued), the move in Globex's own trail.
    const platformEvent = await t.db.auditEvent.findFirstOrThrow({ where: { action: "acm.conflict.add" }, orderBy: { createdAt: "desc" } });
    expect(platformEvent).toMatchObject({ realmId: null, actorId: ops.id, decision: "allow" });
    expect(platformEvent.reason).toMatch(/^added with 1 migration\(s\) queued to satisfy it: competitors/);
    expect(platformEvent.details).toMatchObject({ outcome: "migrate", migrations: [{ operationId: move!.operationId, vmId: move!.vmId }] });
    const realmEvent = await t.db.auditEvent.findFirstOrThrow({ where: { realmId: globex.realmId, action: "vm.migrate" } });
    expect(realmEvent).toMatchObject({ actorId: ops.id, targetId: move!.vmId });
    expect(realmEvent.reason).toContain("Chinese Wall");

    // Until the worker moved it, the wall is violated (an alarm); once it has, it is not.
    expect((await callerFor(t, ops).operator.conflicts.violations()).items).toHaveLength(1);
    await t.db.operation.update({ where: { id: move!.operationId }, data: { status: "succeeded" } });
    await t.db.vm.update({ where: { id: move!.vmId }, data: { hostId: host1, observedState: "running" } });
    expect((await callerFor(t, ops).operator.conflicts.violations()).items).toEqual([]);
  });

  it("adds a wall as pending when asked: stored, audited, an alarm naming the VMs until they no longer share a host", async () => {
    const migrationsBefore = await t.db.operation.count({ where: { action: "migrate" } });
    const added = await callerFor(t, ops).operator.conflicts.add({ ...wall(), onViolation: "pending" });
    expect(added).toMatchObject({ added: true, pending: true, migrations: [] });
    expect(added.coLocated.length).toBeGreaterThanOrEqual(3);
    expect(await t.db.operation.count({ where: { action: "migrate" } })).toBe(migrationsBefore);
    const event = await t.db.auditEvent.findFirstOrThrow({ where: { action: "acm.conflict.add" }, orderBy: { createdAt: "desc" } });
    expect(event.reason).toMatch(/^added as pending, violated now \(.*acme-web.*\): competitors/);
    expect(event.details).toMatchObject({ outcome: "pending" });

    const alarms = await callerFor(t, ops).operator.conflicts.violations();
    expect(alarms.items).toEqual([
      expect.objectContaining({ reason: "competitors: never co-located", coLocated: expect.arrayContaining([expect.objectContaining({ name: "acme-web", host: platform.hosts[0]!.name })]) }),
    ]);
    // Placement honours the pending wall at once: a new Globex VM never lands next to Acme.
    const { vmId } = await callerFor(t, globex.members.owner).vm.create({ name: "globex-new", templateId: platform.template.id });
    expect((await t.db.vm.findUniqueOrThrow({ where: { id: vmId } })).hostId).toBe(host1);
    await t.db.vm.update({ where: { id: vmId }, data: { observedState: "destroyed" } });

    // The violation goes away (Globex moved): so does the alarm.
    await placeRealm(globex, host1);
    expect((await callerFor(t, ops).operator.conflicts.violations()).items).toEqual([]);
  });

  it("a plan respects every other wall: Globex (the cheaper side) may not join Initech, so Acme's VMs move", async () => {
    await callerFor(t, ops).operator.conflicts.add({ realmA: globex.realmId, realmB: initech.realmId, reason: "globex and initech: rivals" });
    const preview = await callerFor(t, ops).operator.conflicts.plan({ realmA: acme.realmId, realmB: globex.realmId });
    expect(preview.plan.possible).toBe(true);
    expect(preview.plan.moves.map((m) => [m.org, m.toHost])).toEqual([
      ["acme", platform.hosts[1]!.name],
      ["acme", platform.hosts[1]!.name],
    ]);
    // With Acme walled off from Initech too, nobody can move: said so, naming both attempts.
    await callerFor(t, ops).operator.conflicts.add({ realmA: acme.realmId, realmB: initech.realmId, reason: "acme and initech: rivals" });
    const none = await callerFor(t, ops).operator.conflicts.plan({ realmA: acme.realmId, realmB: globex.realmId });
    expect(none.plan.possible).toBe(false);
    expect(none.plan.reason).toMatch(/moving globex's VMs off .*Chinese Wall.*; moving acme's VMs off .*Chinese Wall/);
  });

  it("says when no plan exists (no other host has room), refuses to carry one out, and still allows pending", async () => {
    await t.db.host.update({ where: { id: host1 }, data: { status: "unreachable" } });
    const preview = await callerFor(t, ops).operator.conflicts.plan({ realmA: acme.realmId, realmB: globex.realmId });
    expect(preview.plan).toEqual({ possible: false, reason: expect.stringContaining("no other online host to move to"), moves: [] });
    const refusal = await callerFor(t, ops)
      .operator.conflicts.add(wall())
      .catch((e: TRPCError) => e);
    expect((refusal as TRPCError).message).toContain("no plan satisfies it");
    const carried = await callerFor(t, ops)
      .operator.conflicts.add({ ...wall(), onViolation: "migrate" })
      .catch((e: TRPCError) => e);
    expect(carried).toMatchObject({ code: "PRECONDITION_FAILED" });
    expect(await t.db.realmConflict.count()).toBe(0);
    expect((await callerFor(t, ops).operator.conflicts.add({ ...wall(), onViolation: "pending" })).pending).toBe(true);
  });

  it("a wall between realms that share no host is added at once, not pending", async () => {
    await placeRealm(globex, host1);
    expect(await callerFor(t, ops).operator.conflicts.add(wall())).toMatchObject({ added: true, pending: false, coLocated: [], migrations: [] });
    expect((await callerFor(t, ops).operator.conflicts.violations()).items).toEqual([]);
  });
});

describe("the alarms", () => {
  it("page by realm pair with a cursor: every violated wall once; a made-up cursor is refused", async () => {
    await placeRealm(initech, host0);
    const caller = callerFor(t, ops).operator.conflicts;
    for (const [a, b] of [
      [acme, globex],
      [acme, initech],
      [globex, initech],
    ] as const) {
      await caller.add({ realmA: a.realmId, realmB: b.realmId, reason: "rivals: never co-located", onViolation: "pending" });
    }
    const first = await caller.violations({ limit: 2 });
    expect(first.items).toHaveLength(2);
    const second = await caller.violations({ limit: 2, cursor: first.nextCursor! });
    expect(second.nextCursor).toBeNull();
    const pairs = [...first.items, ...second.items].map((w) => `${w.realmA}/${w.realmB}`);
    expect(new Set(pairs).size).toBe(3);
    expect(pairs).toEqual([...pairs].sort());
    expect(await codeOf(caller.violations({ cursor: "not-a-pair" }))).toBe("BAD_REQUEST");
  });
});

describe("removing a wall", () => {
  it("needs a reason of at least 10 characters, and records it in the platform's trail", async () => {
    await placeRealm(globex, host1);
    await callerFor(t, ops).operator.conflicts.add(wall());
    const pair = { realmA: globex.realmId, realmB: acme.realmId };
    const caller = callerFor(t, ops).operator.conflicts;
    // @ts-expect-error: the reason is required
    expect(await codeOf(caller.remove(pair))).toBe("BAD_REQUEST");
    expect(await codeOf(caller.remove({ ...pair, reason: "because" }))).toBe("BAD_REQUEST");
    expect(await t.db.realmConflict.count()).toBe(1);
    await caller.remove({ ...pair, reason: "merger closed: no longer rivals" });
    expect(await t.db.realmConflict.count()).toBe(0);
    const event = await t.db.auditEvent.findFirstOrThrow({ where: { action: "acm.conflict.remove" } });
    expect(event).toMatchObject({ realmId: null, actorId: ops.id, reason: "conflict set removed: merger closed: no longer rivals" });
    expect(await codeOf(caller.remove({ ...pair, reason: "merger closed: no longer rivals" }))).toBe("NOT_FOUND");
  });
});

describe("operators only", () => {
  it("a tenant's owner gets not found for walls, plans and alarms, whatever the realms", async () => {
    const owner = callerFor(t, acme.members.owner).operator.conflicts;
    expect(await codeOf(owner.add({ ...wall(), onViolation: "pending" }))).toBe("NOT_FOUND");
    expect(await codeOf(owner.plan({ realmA: acme.realmId, realmB: globex.realmId }))).toBe("NOT_FOUND");
    expect(await codeOf(owner.violations())).toBe("NOT_FOUND");
    expect(await t.db.realmConflict.count()).toBe(0);
  });
});
