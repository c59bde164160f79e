import { randomUUID } from "node:crypto";
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { CHOSEN_HOST_REFUSED } from "../services/placement";
import { createTestDatabase, type TestDatabase } from "../test/db";
import { callerFor, createUser, setupPlatform, setupTenant, type Tenant } from "../test/fixtures";

/**
 * Issue 14: a member migrates a VM to a host it chooses among those placement allows
 * (vm.migrationHosts), and the console follows the VM's operation in flight (vm.inFlight).
 * Fleet: the VM's own host, a host where a walled-off rival runs, a full host, a free host.
 */

let t: TestDatabase;
let acme: Tenant;
let globex: Tenant;
let source: string;
let rivals: string;
let full: string;
let free: string;
let freeName: string;
let web: string;

const errorOf = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => (e instanceof TRPCError ? { code: e.code, message: e.message } : String(e)));

beforeAll(async () => {
  t = await createTestDatabase();
  const platform = await setupPlatform(t.db, { agentUrls: Array.from({ length: 4 }, () => "http://127.0.0.1:9") });
  [source, rivals, full, free] = platform.hosts.map((h) => h.id) as [string, string, string, string];
  freeName = platform.hosts[3]!.name;
  acme = await setupTenant(t.db, "acme", platform.mgmtTemplate.id);
  globex = await setupTenant(t.db, "globex", platform.mgmtTemplate.id);
  web = (await callerFor(t, acme.members.owner).vm.create({ name: "web", templateId: platform.template.id })).vmId;
  const ops = await createUser(t.db, "ops", true);
  const [realmLow, realmHigh] = [acme.realmId, globex.realmId].sort() as [string, string];
  await t.db.realmConflict.create({ data: { realmLow, realmHigh, reason: "rivals", createdBy: ops.id } });
  await t.db.vm.updateMany({ where: { realmId: globex.realmId }, data: { hostId: rivals, observedState: "running", desiredState: "running" } });
  // Room for the rivals' VMs, none for a guest: placement's capacity check refuses it.
  await t.db.host.update({ where: { id: full }, data: { memoryMb: 256 } });
});
afterAll(() => t.drop());

beforeEach(async () => {
  await t.db.operation.updateMany({ where: { realmId: acme.realmId, status: { in: ["pending", "running", "retrying"] } }, data: { status: "succeeded" } });
  await t.db.vm.updateMany({ where: { realmId: acme.realmId }, data: { hostId: source, observedState: "running", desiredState: "running" } });
});

describe("vm.migrationHosts", () => {
  it("offers only the hosts placement allows: not the VM's own, not one a walled-off realm runs on, not a full one", async () => {
    const { hosts } = await callerFor(t, acme.members.owner).vm.migrationHosts({ vmId: web });
    expect(hosts).toEqual([{ id: free, name: freeName }]);
  });

  it("answers another realm's VM id exactly like a missing one", async () => {
    const foreign = await errorOf(callerFor(t, globex.members.owner).vm.migrationHosts({ vmId: web }));
    const missing = await errorOf(callerFor(t, globex.members.owner).vm.migrationHosts({ vmId: randomUUID() }));
    expect(foreign).toEqual(missing);
    expect(foreign).toMatchObject({ code: "NOT_FOUND" });
  });

  it("is refused to roles that may not migrate (VM operator, viewer)", async () => {
    for (const role of ["operator", "viewer"] as const) {
      expect(await errorOf(callerFor(t, acme.members[role]).vm.migrationHosts({ vmId: web }))).toMatchObject({ code: "FORBIDDEN" });
    }
  });
});

describe("vm.migrate to a chosen host", () => {
  it("queues the migration to the host the member chose", async () => {
    const accepted = await callerFor(t, acme.members.owner).vm.migrate({ vmId: web, destinationHostId: free });
    expect(accepted.destinationHostId).toBe(free);
    const op = await t.db.operation.findUniqueOrThrow({ where: { id: accepted.operationId } });
    expect(op.params).toMatchObject({ destinationHostId: free });
  });

  it("refuses a walled-off, full, source or unknown host with one answer and queues nothing (no map of the fleet)", async () => {
    const before = await t.db.operation.count({ where: { vmId: web } });
    const answers = [];
    for (const destinationHostId of [rivals, full, source, randomUUID()]) {
      answers.push(await errorOf(callerFor(t, acme.members.owner).vm.migrate({ vmId: web, destinationHostId })));
    }
    expect(new Set(answers.map((a) => JSON.stringify(a))).size).toBe(1);
    expect(answers[0]).toEqual({ code: "PRECONDITION_FAILED", message: `cannot migrate the VM: ${CHOSEN_HOST_REFUSED}` });
    expect(await t.db.operation.count({ where: { vmId: web } })).toBe(before);
  });
});

describe("vm.inFlight", () => {
  it("shows the operation in flight with its steps, and nothing once it settled", async () => {
    const caller = callerFor(t, acme.members.viewer);
    expect(await caller.vm.inFlight({ vmId: web })).toBeNull();
    const { operationId } = await callerFor(t, acme.members.operator).vm.reboot({ vmId: web });
    const op = await caller.vm.inFlight({ vmId: web });
    expect(op).toMatchObject({ id: operationId, action: "reboot", status: "pending", done: false });
    expect(op!.steps.map((s) => [s.name, s.status])).toEqual([
      ["accepted", "done"],
      ["dispatched", "pending"],
      ["applied", "pending"],
    ]);
    await t.db.operation.update({ where: { id: operationId }, data: { status: "succeeded", finishedAt: new Date() } });
    expect(await caller.vm.inFlight({ vmId: web })).toBeNull();
  });

  it("answers another realm's VM id exactly like a missing one", async () => {
    const foreign = await errorOf(callerFor(t, globex.members.viewer).vm.inFlight({ vmId: web }));
    const missing = await errorOf(callerFor(t, globex.members.viewer).vm.inFlight({ vmId: randomUUID() }));
    expect(foreign).toEqual(missing);
    expect(foreign).toMatchObject({ code: "NOT_FOUND" });
  });
});
