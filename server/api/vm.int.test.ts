import { randomUUID } from "node:crypto";
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../test/db";
import { callerFor, createUser, setupPlatform, setupTenant } from "../test/fixtures";

/** The VM procedures through the real router and a real PostgreSQL. */

let t: TestDatabase;
let platform: Awaited<ReturnType<typeof setupPlatform>>;
let acme: Awaited<ReturnType<typeof setupTenant>>;
let globex: Awaited<ReturnType<typeof setupTenant>>;

beforeAll(async () => {
  t = await createTestDatabase();
  platform = await setupPlatform(t.db);
  acme = await setupTenant(t.db, "acme", platform.mgmtTemplate.id);
  globex = await setupTenant(t.db, "globex", platform.mgmtTemplate.id);
});
afterAll(() => t.drop());

async function errorOf(promise: Promise<unknown>): Promise<TRPCError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TRPCError);
  return error as TRPCError;
}

const settle = (realmId: string, vmId: string, state: "stopped" | "running") =>
  t.db.$transaction([
    t.db.operation.updateMany({ where: { realmId, vmId, status: { in: ["pending", "running", "retrying"] } }, data: { status: "succeeded" } }),
    t.db.vm.update({ where: { realmId_id: { realmId, id: vmId } }, data: { observedState: state } }),
  ]);

describe("vm.create", () => {
  it("writes the VM, its create operation and the audit record together", async () => {
    const caller = callerFor(t, acme.members.owner);
    const { vmId, operationId } = await caller.vm.create({ name: "app-1", templateId: platform.template.id });
    const vm = await t.db.vm.findUniqueOrThrow({ where: { realmId_id: { realmId: acme.realmId, id: vmId } } });
    expect(vm).toMatchObject({ observedState: "creating", desiredState: "stopped", vcpus: 1, memoryMb: 512 });
    expect(vm.hostId).not.toBeNull();
    const op = await t.db.operation.findUniqueOrThrow({ where: { id: operationId } });
    expect(op).toMatchObject({ realmId: acme.realmId, vmId, action: "create", status: "pending", requestedById: acme.members.owner.id });
    const audit = await t.db.auditEvent.findMany({ where: { realmId: acme.realmId, targetId: vmId } });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ action: "vm.create", decision: "allow", layer: "trpc" });
  });

  it.each([
    [{ name: "Bad Name" }, "name", /must start with a letter/],
    [{ name: "x".repeat(64) }, "name", /at most 63/],
    [{ memoryMb: 1 }, "memoryMb", /at least 128/],
    [{ memoryMb: 512.5 }, "memoryMb", /whole number/],
    [{ vcpus: 0 }, "vcpus", /at least 1/],
    [{ vcpus: 65 }, "vcpus", /at most 64/],
    [{ templateId: "not-a-uuid" }, "templateId", /valid id/],
  ])("rejects %j with a field error on %s and writes nothing", async (override, field, message) => {
    const before = await t.db.vm.count();
    const error = await errorOf(callerFor(t, acme.members.owner).vm.create({ name: "ok-name", templateId: platform.template.id, ...override }));
    expect(error.code).toBe("BAD_REQUEST");
    const issues = JSON.parse(error.message) as { path: string[]; message: string }[];
    expect(issues.some((i) => i.path[0] === field && message.test(i.message))).toBe(true);
    expect(await t.db.vm.count()).toBe(before);
  });

  it("refuses mass assignment of realmId or category", async () => {
    const error = await errorOf(
      callerFor(t, acme.members.owner).vm.create({ name: "sneaky", templateId: platform.template.id, realmId: globex.realmId } as never),
    );
    expect(error.code).toBe("BAD_REQUEST");
    expect(await t.db.vm.count({ where: { name: "sneaky" } })).toBe(0);
  });

  it("refuses a duplicate name in the same realm, naming the field", async () => {
    const caller = callerFor(t, acme.members.owner);
    await caller.vm.create({ name: "dup", templateId: platform.template.id });
    const error = await errorOf(caller.vm.create({ name: "dup", templateId: platform.template.id }));
    expect(error).toMatchObject({ code: "BAD_REQUEST", message: "name: a VM with this name already exists in your realm" });
  });

  it("allows the same name in another realm", async () => {
    // Its own name, taken in acme first: the test does not lean on the duplicate test's "dup".
    const inAcme = await callerFor(t, acme.members.owner).vm.create({ name: "twin", templateId: platform.template.id });
    const inGlobex = await callerFor(t, globex.members.owner).vm.create({ name: "twin", templateId: platform.template.id });
    const twins = await t.db.vm.findMany({ where: { name: "twin" }, select: { id: true, realmId: true } });
    expect(twins).toEqual(
      expect.arrayContaining([
        { id: inAcme.vmId, realmId: acme.realmId },
        { id: inGlobex.vmId, realmId: globex.realmId },
      ]),
    );
    expect(twins).toHaveLength(2);
  });

  it("forbids create for operator and viewer, records the denial", async () => {
    // Counted from here: other tests' denials in this realm are not this test's.
    const deniedCreates = () => t.db.auditEvent.count({ where: { realmId: acme.realmId, decision: "deny", action: "vm.create" } });
    const before = await deniedCreates();
    for (const role of ["operator", "viewer"] as const) {
      const error = await errorOf(callerFor(t, acme.members[role]).vm.create({ name: `by-${role}`, templateId: platform.template.id }));
      expect(error.code).toBe("FORBIDDEN");
      expect(error.message).toBe(`your role (${role}) does not allow vm.create`);
    }
    expect((await deniedCreates()) - before).toBe(2);
  });

  it("says which constraint refused placement when every host is full", async () => {
    const error = await errorOf(
      callerFor(t, acme.members.owner).vm.create({ name: "huge", templateId: platform.template.id, memoryMb: 262_144 }),
    );
    expect(error.code).toBe("PRECONDITION_FAILED");
    expect(error.message).toMatch(/cannot place the VM: no online host has 1 vCPU and 262144 MiB free \(capacity\)/);
  });
});

describe("lifecycle actions", () => {
  it("start from stopped writes an operation; a second action conflicts naming it", async () => {
    const caller = callerFor(t, acme.members.operator);
    const { vmId } = await callerFor(t, acme.members.owner).vm.create({ name: "life-1", templateId: platform.template.id });
    await settle(acme.realmId, vmId, "stopped");
    const { operationId } = await caller.vm.start({ vmId });
    expect((await caller.vm.get({ vmId })).observedState).toBe("starting");
    const error = await errorOf(caller.vm.stop({ vmId }));
    expect(error.code).toBe("CONFLICT");
    expect(error.message).toContain(operationId);
  });

  it("an action invalid for the state is PRECONDITION_FAILED with the state", async () => {
    const { vmId } = await callerFor(t, acme.members.owner).vm.create({ name: "life-2", templateId: platform.template.id });
    await settle(acme.realmId, vmId, "stopped");
    const error = await errorOf(callerFor(t, acme.members.owner).vm.stop({ vmId }));
    expect(error).toMatchObject({ code: "PRECONDITION_FAILED", message: "cannot stop a VM that is stopped (allowed when running or paused)" });
  });

  it("two concurrent starts: exactly one operation", async () => {
    const { vmId } = await callerFor(t, acme.members.owner).vm.create({ name: "race-1", templateId: platform.template.id });
    await settle(acme.realmId, vmId, "stopped");
    const caller = callerFor(t, acme.members.owner);
    const results = await Promise.allSettled([caller.vm.start({ vmId }), caller.vm.start({ vmId }), caller.vm.start({ vmId })]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(await t.db.operation.count({ where: { vmId, action: "start" } })).toBe(1);
  });

  it("viewer cannot start; FORBIDDEN names the permission", async () => {
    const { vmId } = await callerFor(t, acme.members.owner).vm.create({ name: "life-3", templateId: platform.template.id });
    await settle(acme.realmId, vmId, "stopped");
    const error = await errorOf(callerFor(t, acme.members.viewer).vm.start({ vmId }));
    expect(error).toMatchObject({ code: "FORBIDDEN", message: "your role (viewer) does not allow vm.start" });
  });
});

describe("realm boundary", () => {
  it("another realm's VM answers exactly like a missing one, with no side effect", async () => {
    const { vmId: foreignVm } = await callerFor(t, globex.members.owner).vm.create({ name: "secret", templateId: platform.template.id });
    await settle(globex.realmId, foreignVm, "stopped");
    const acmeOwner = callerFor(t, acme.members.owner);
    const opsBefore = await t.db.operation.count();
    for (const call of [
      (id: string) => acmeOwner.vm.get({ vmId: id }),
      (id: string) => acmeOwner.vm.start({ vmId: id }),
      (id: string) => acmeOwner.vm.destroy({ vmId: id }),
      (id: string) => acmeOwner.vm.history({ vmId: id }),
    ]) {
      const foreign = await errorOf(call(foreignVm));
      const missing = await errorOf(call(randomUUID()));
      expect({ code: foreign.code, message: foreign.message }).toEqual({ code: "NOT_FOUND", message: "VM not found" });
      expect({ code: missing.code, message: missing.message }).toEqual({ code: foreign.code, message: foreign.message });
    }
    expect(await t.db.operation.count()).toBe(opsBefore);
    expect((await acmeOwner.vm.list()).items.some((vm) => vm.id === foreignVm)).toBe(false);
  });

  it("the owner is not over-blocked: sees and acts on its own VMs", async () => {
    // A VM of its own (not one an earlier test happened to leave behind), and an action on it.
    const owner = callerFor(t, acme.members.owner);
    const { vmId } = await owner.vm.create({ name: "own-1", templateId: platform.template.id });
    await settle(acme.realmId, vmId, "stopped");
    const { items: list } = await owner.vm.list();
    expect(list.length).toBeGreaterThan(0);
    expect(list.every((vm) => vm.realmId === acme.realmId)).toBe(true);
    expect(list.some((vm) => vm.id === vmId)).toBe(true);
    const { operationId } = await owner.vm.start({ vmId });
    expect(await t.db.operation.findUniqueOrThrow({ where: { id: operationId } })).toMatchObject({ realmId: acme.realmId, vmId, action: "start" });
    expect((await owner.vm.get({ vmId })).observedState).toBe("starting");
  });

  it("vm.list pages with a cursor: every VM once, in order; a foreign or made-up cursor is refused like a bad one", async () => {
    const owner = callerFor(t, acme.members.owner);
    for (const name of ["page-a", "page-b", "page-c"]) await owner.vm.create({ name, templateId: platform.template.id });
    const all = (await owner.vm.list({ limit: 200 })).items.map((vm) => vm.id);
    const paged: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await owner.vm.list({ limit: 2, cursor });
      expect(page.items.length).toBeLessThanOrEqual(2);
      paged.push(...page.items.map((vm) => vm.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(paged).toEqual(all);
    const foreign = (await callerFor(t, globex.members.owner).vm.list()).items[0]!.id;
    for (const bad of [foreign, randomUUID(), "not-a-cursor"]) {
      const error = await errorOf(owner.vm.list({ cursor: bad }));
      expect(error.code).toBe("BAD_REQUEST");
      expect(error.message).toBe("cursor is not valid: start again from the first page");
    }
  });

  it("vm.list pages through VMs created in the same millisecond: none skipped or repeated (keyset on kind, created_at, id)", async () => {
    const owner = callerFor(t, acme.members.owner);
    const same = new Date("2026-01-01T00:00:00.000Z");
    for (const name of ["tie-a", "tie-b", "tie-c", "tie-d", "tie-e"]) {
      const { vmId } = await owner.vm.create({ name, templateId: platform.template.id });
      await t.db.vm.updateMany({ where: { id: vmId }, data: { createdAt: same } });
    }
    const all = (await owner.vm.list({ limit: 200 })).items.map((vm) => vm.id);
    for (const limit of [1, 2, 3]) {
      const paged: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await owner.vm.list({ limit, cursor });
        paged.push(...page.items.map((vm) => vm.id));
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      expect(paged).toEqual(all);
    }
  });

  it("realm.get reports the caller's own category and management VM", async () => {
    const realm = await callerFor(t, acme.members.viewer).realm.get();
    expect(realm.category).toBe(`s0:c${acme.category.categoryLow},c${acme.category.categoryHigh}`);
    expect(realm.managementLabel).toBe(`system_u:system_r:realm_mgmt_t:${realm.category}`);
    expect(realm.managementVm?.kind).toBe("management");
  });
});

describe("sessions and operators", () => {
  it("no session is UNAUTHORIZED", async () => {
    expect((await errorOf(callerFor(t, null).vm.list())).code).toBe("UNAUTHORIZED");
  });

  it("a stale session epoch is UNAUTHORIZED", async () => {
    const user = await createUser(t.db, "epoch");
    const caller = callerFor(t, user);
    expect((await caller.session.me()).id).toBe(user.id); // signed in with epoch 0
    await t.db.user.update({ where: { id: user.id }, data: { sessionEpoch: 1 } });
    expect((await errorOf(caller.session.me())).code).toBe("UNAUTHORIZED");
  });

  it("a user without an organization finds no realm", async () => {
    const loner = await createUser(t.db, "loner");
    expect((await errorOf(callerFor(t, loner).vm.list())).code).toBe("NOT_FOUND");
  });

  it("operator views are NOT_FOUND for tenants and list every realm for operators", async () => {
    expect((await errorOf(callerFor(t, acme.members.owner).operator.realms())).code).toBe("NOT_FOUND");
    const ops = await createUser(t.db, "ops", true);
    const realms = await callerFor(t, ops).operator.realms({ limit: 200 });
    expect(realms.items.map((r) => r.id)).toEqual(expect.arrayContaining([acme.realmId, globex.realmId]));
    const hosts = await callerFor(t, ops).operator.hosts();
    expect(hosts.items.length).toBeGreaterThanOrEqual(2);
  });
});

describe("idempotency keys", () => {
  it("same key and same request: the same operation, applied once", async () => {
    const caller = callerFor(t, acme.members.owner);
    const first = await caller.vm.create({ name: "idem-1", templateId: platform.template.id, idempotencyKey: "create-idem-1" });
    const again = await caller.vm.create({ name: "idem-1", templateId: platform.template.id, idempotencyKey: "create-idem-1" });
    expect(again).toEqual(first);
    expect(await t.db.vm.count({ where: { name: "idem-1" } })).toBe(1);
    await settle(acme.realmId, first.vmId, "stopped");
    const results = await Promise.all([1, 2, 3].map(() => caller.vm.start({ vmId: first.vmId, idempotencyKey: "start-idem-1" })));
    expect(new Set(results.map((r) => r.operationId)).size).toBe(1);
    expect(await t.db.operation.count({ where: { vmId: first.vmId, action: "start" } })).toBe(1);
  });

  it("same key, different request: a clear error naming the field, nothing written", async () => {
    const caller = callerFor(t, acme.members.owner);
    await caller.vm.create({ name: "idem-2", templateId: platform.template.id, idempotencyKey: "create-idem-2" });
    const before = await t.db.vm.count();
    const error = await errorOf(caller.vm.create({ name: "idem-3", templateId: platform.template.id, idempotencyKey: "create-idem-2" }));
    expect(error).toMatchObject({ code: "BAD_REQUEST", message: "idempotencyKey: this key was already used for a different request" });
    expect(await t.db.vm.count()).toBe(before);
  });

  it("keys are scoped per caller and per realm", async () => {
    const key = "shared-key-1";
    const a1 = await callerFor(t, acme.members.owner).vm.create({ name: "idem-4", templateId: platform.template.id, idempotencyKey: key });
    const a2 = await callerFor(t, acme.members.admin).vm.create({ name: "idem-5", templateId: platform.template.id, idempotencyKey: key });
    const g1 = await callerFor(t, globex.members.owner).vm.create({ name: "idem-4", templateId: platform.template.id, idempotencyKey: key });
    expect(new Set([a1.vmId, a2.vmId, g1.vmId]).size).toBe(3);
  });

  it("a failed request does not burn its key", async () => {
    const caller = callerFor(t, acme.members.owner);
    await expect(caller.vm.create({ name: "idem-6", templateId: platform.template.id, memoryMb: 262_144, idempotencyKey: "create-idem-6" })).rejects.toThrow(/cannot place/);
    const ok = await caller.vm.create({ name: "idem-6", templateId: platform.template.id, memoryMb: 512, idempotencyKey: "create-idem-6" });
    expect(ok.vmId).toBeDefined();
  });

  it("rejects a malformed key with a field error", async () => {
    const error = await errorOf(callerFor(t, acme.members.owner).vm.create({ name: "idem-7", templateId: platform.template.id, idempotencyKey: "no spaces!" }));
    expect(error.code).toBe("BAD_REQUEST");
    expect(error.message).toContain("idempotencyKey may use only letters");
  });
});
