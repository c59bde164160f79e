import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../test/db";
import { callerFor, createUser, setupPlatform, setupTenant } from "../test/fixtures";

/** Operators: no tenant powers by default, break-glass grants, explain, denials and alarms. */

let t: TestDatabase;
let platform: Awaited<ReturnType<typeof setupPlatform>>;
let acme: Awaited<ReturnType<typeof setupTenant>>;
let globex: Awaited<ReturnType<typeof setupTenant>>;
let ops: Awaited<ReturnType<typeof createUser>>;
let acmeVm: string;

beforeAll(async () => {
  t = await createTestDatabase();
  platform = await setupPlatform(t.db);
  acme = await setupTenant(t.db, "acme", platform.mgmtTemplate.id);
  globex = await setupTenant(t.db, "globex", platform.mgmtTemplate.id);
  ops = await createUser(t.db, "ops", true);
  acmeVm = (await callerFor(t, acme.members.owner).vm.create({ name: "web", templateId: platform.template.id })).vmId;
  await t.db.operation.updateMany({ where: { vmId: acmeVm }, data: { status: "succeeded" } });
  await t.db.vm.update({ where: { id: acmeVm }, data: { observedState: "stopped" } });
});
afterAll(() => t.drop());

const codeOf = (p: Promise<unknown>) => p.then(() => "OK", (e: unknown) => (e instanceof TRPCError ? e.code : String(e)));

describe("break-glass", () => {
  it("an operator has no tenant powers by default", async () => {
    expect(await codeOf(callerFor(t, ops).vm.list())).toBe("NOT_FOUND");
    expect(await codeOf(callerFor(t, ops).vm.start({ vmId: acmeVm }))).toBe("NOT_FOUND");
  });

  it("refuses a grant without a reason, or longer than 4 hours, naming the field", async () => {
    const caller = callerFor(t, ops).operator.breakGlass;
    // Counted from here: a grant another test made is not this test's concern.
    const grantsBefore = await t.db.breakGlassGrant.count();
    const short = await caller.request({ realmId: acme.realmId, reason: "because", minutes: 30 }).catch((e: TRPCError) => e);
    expect(short).toMatchObject({ code: "BAD_REQUEST" });
    expect((short as TRPCError).message).toContain("reason must say why");
    expect(await codeOf(caller.request({ realmId: acme.realmId, reason: "incident #42 disk full", minutes: 1_000 }))).toBe("BAD_REQUEST");
    expect(await t.db.breakGlassGrant.count()).toBe(grantsBefore);
  });

  it("a grant gives time-bound access to one realm, audited in that realm's own trail", async () => {
    // A VM of its own to act on: acmeVm stays as the other tests expect it (stopped, nothing in flight).
    const incidentVm = (await callerFor(t, acme.members.owner).vm.create({ name: "incident", templateId: platform.template.id })).vmId;
    await t.db.operation.updateMany({ where: { vmId: incidentVm }, data: { status: "succeeded" } });
    await t.db.vm.update({ where: { id: incidentVm }, data: { observedState: "stopped" } });
    const { grantId } = await callerFor(t, ops).operator.breakGlass.request({ realmId: acme.realmId, reason: "incident #42: web VM stuck", minutes: 30 });
    const asOps = callerFor(t, ops);
    expect((await asOps.realm.get()).id).toBe(acme.realmId);
    expect((await asOps.vm.list()).items.some((vm) => vm.id === incidentVm)).toBe(true);
    await asOps.vm.start({ vmId: incidentVm });
    const trail = (await callerFor(t, acme.members.owner).realm.audit()).items;
    expect(trail.some((e) => e.action === "breakglass.grant" && e.reason.includes("incident #42"))).toBe(true);
    // The members read who it was, in words: the operator, through its grant.
    expect(trail.find((e) => e.action === "vm.start" && e.reason.includes(`break-glass grant ${grantId}`))?.actor).toBe(`${ops.email} (break-glass)`);
    // Still only that realm.
    const globexVm = await t.db.vm.findFirstOrThrow({ where: { realmId: globex.realmId } });
    expect(await codeOf(asOps.vm.get({ vmId: globexVm.id }))).toBe("NOT_FOUND");
    // One grant at a time.
    expect(await codeOf(asOps.operator.breakGlass.request({ realmId: globex.realmId, reason: "second grant attempt", minutes: 5 }))).toBe("CONFLICT");
    await asOps.operator.breakGlass.revoke({ grantId });
    expect(await codeOf(asOps.vm.list())).toBe("NOT_FOUND");
  });

  it("an expired grant gives nothing", async () => {
    const past = new Date(Date.now() - 3_600_000);
    await t.db.breakGlassGrant.create({
      data: { realmId: acme.realmId, id: crypto.randomUUID(), operatorId: ops.id, reason: "expired grant fixture", createdAt: past, expiresAt: new Date(past.getTime() + 60_000) },
    });
    expect(await codeOf(callerFor(t, ops).vm.list())).toBe("NOT_FOUND");
  });

  it("concurrent requests by one operator yield one active grant; the others get CONFLICT", async () => {
    const racer = await createUser(t.db, "racing-operator", true);
    const outcomes = await Promise.all(
      [acme, globex, acme, globex, acme].map((tenant, i) =>
        codeOf(callerFor(t, racer).operator.breakGlass.request({ realmId: tenant.realmId, reason: `concurrent request number ${i}`, minutes: 5 })),
      ),
    );
    expect(outcomes.filter((o) => o === "OK")).toHaveLength(1);
    expect(outcomes.filter((o) => o === "CONFLICT")).toHaveLength(4);
    expect(await t.db.breakGlassGrant.count({ where: { operatorId: racer.id, revokedAt: null } })).toBe(1);
  });

  it("tenants cannot ask for one", async () => {
    expect(await codeOf(callerFor(t, acme.members.owner).operator.breakGlass.request({ realmId: acme.realmId, reason: "let me in please", minutes: 5 }))).toBe("NOT_FOUND");
  });
});

describe("explain", () => {
  const explain = (userEmail: string, permission: "vm.start" | "vm.read", vmId: string) =>
    callerFor(t, ops).operator.explain({ userEmail, permission, vmId });

  it("the owner may start its own VM: every layer agrees", async () => {
    const owner = await t.db.user.findUniqueOrThrow({ where: { id: acme.members.owner.id } });
    const result = await explain(owner.email, "vm.start", acmeVm);
    expect(result.allowed).toBe(true);
    expect(result.layers.map((l) => [l.layer, l.allowed])).toEqual([
      ["trpc", true],
      ["database", true],
      ["hypervisor", true],
    ]);
  });

  it("another realm's owner may not, and each layer says why", async () => {
    const bob = await t.db.user.findUniqueOrThrow({ where: { id: globex.members.owner.id } });
    const result = await explain(bob.email, "vm.start", acmeVm);
    expect(result.allowed).toBe(false);
    expect(result.answer).toMatch(/denied by trpc — the VM belongs to another realm/);
    const [trpc, database, hypervisor] = result.layers;
    expect(trpc).toMatchObject({ allowed: false });
    expect(database).toMatchObject({ allowed: false, reason: "row-level security hides the VM from the user's realm" });
    expect(hypervisor!.allowed).toBe(false);
    expect(hypervisor!.reason).toMatch(/unpause: constraint/);
    expect(hypervisor!.avc?.[0]).toMatch(/^avc:  denied  \{ unpause \} for .*tclass=domain$/);
  });

  it("a viewer is refused by its role", async () => {
    const viewer = await t.db.user.findUniqueOrThrow({ where: { id: acme.members.viewer.id } });
    const result = await explain(viewer.email, "vm.start", acmeVm);
    expect(result.layers[0]).toMatchObject({ layer: "trpc", allowed: false, reason: "role:viewer lacks vm.start" });
  });

  it("rejects a malformed question with field errors", async () => {
    const error = await callerFor(t, ops).operator.explain({ userEmail: "not-an-email", permission: "vm.fly" as "vm.start", vmId: acmeVm }).catch((e: TRPCError) => e);
    expect(error).toMatchObject({ code: "BAD_REQUEST" });
    expect((error as TRPCError).message).toContain("userEmail must be an email address");
  });
});

describe("denials", () => {
  it("operators see cross-realm attempts with the layer and the reason", async () => {
    await codeOf(callerFor(t, globex.members.owner).vm.start({ vmId: acmeVm }));
    const { items: denials } = await callerFor(t, ops).operator.denials({ limit: 20 });
    const attempt = denials.find(
      (d) => (d.details as { unverifiedVmId?: string } | null)?.unverifiedVmId === acmeVm && d.action === "vm.start" && d.realmId === globex.realmId,
    );
    expect(attempt).toMatchObject({ decision: "deny", layer: "trpc", org: "globex" });
    expect(attempt!.reason).toMatch(/VM not found in this realm/);
  });

  it("a tenant's record of probing another realm's VM reads like probing a missing one (the owner realm is the operators' alone)", async () => {
    const globexOwner = callerFor(t, globex.members.owner);
    const missing = crypto.randomUUID();
    await codeOf(globexOwner.vm.start({ vmId: acmeVm }));
    await codeOf(globexOwner.vm.start({ vmId: missing }));
    // What the tenant reads and exports of each record: the same fields and the same rendering.
    const trail = (await globexOwner.realm.audit({ decision: "deny", limit: 2 })).items;
    expect(trail).toHaveLength(2);
    const { id: _newer, createdAt: _t1, requestId: _r1, ...newer } = trail[0]!;
    const { id: _older, createdAt: _t2, requestId: _r2, ...older } = trail[1]!;
    expect(newer).toEqual(older);
    const rows = await t.db.auditEvent.findMany({ where: { realmId: globex.realmId, action: "vm.start", decision: "deny" }, orderBy: { id: "desc" }, take: 2, select: { details: true } });
    const detailsOf = (vmId: string) => rows.map((r) => r.details as Record<string, unknown>).find((d) => d.unverifiedVmId === vmId)!;
    // Only the probed id and the seal (readable with the audit key alone) differ.
    expect(Object.keys(detailsOf(acmeVm)).sort()).toEqual(Object.keys(detailsOf(missing)).sort());
    expect(detailsOf(acmeVm)).not.toHaveProperty("foreign");
  });
});
