import { randomUUID } from "node:crypto";
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordDecision } from "../repositories/audit";
import { createUser } from "../test/fixtures";
import { waitFor } from "../test/processes";
import { startStack, type Stack } from "../test/stack";

/**
 * The readable audit trail (issue 13): one row per action with its phases, names for actors and
 * targets, filters and keyset pages, the audit.read permission, and cross-realm attempts that
 * operators see from both sides while tenants never learn the other realm.
 */

let stack: Stack<"acme" | "globex">;
let ops: Awaited<ReturnType<typeof createUser>>;
let vmId: string;
const acme = () => stack.tenants.acme;
const globex = () => stack.tenants.globex;

const until = (id: string, state: string) =>
  waitFor(async () => (await stack.db.vm.findFirstOrThrow({ where: { id } })).observedState === state, `VM ${id} ${state}`, 30_000);

beforeAll(async () => {
  stack = await startStack({ hosts: ["trail-a"], tenants: ["acme", "globex"], worker: {} });
  ops = await createUser(stack.db, "trail-ops", true);
  const owner = stack.caller(acme().members.owner);
  vmId = (await owner.vm.create({ name: "trail-web", templateId: stack.templateId })).vmId;
  await until(vmId, "stopped");
}, 120_000);
afterAll(() => stack?.stop());

describe("one event per action", () => {
  it("a start is one trail row: authorized, then applied (never two unrelated rows)", async () => {
    const owner = stack.caller(acme().members.owner);
    const { operationId } = await owner.vm.start({ vmId });
    await stack.settled(operationId);
    const op = await stack.db.operation.findUniqueOrThrow({ where: { id: operationId } });
    expect(op.auditEventId).not.toBeNull();
    const trail = await owner.realm.audit({ action: "vm.start", target: vmId });
    expect(trail.items).toHaveLength(1);
    const [row] = trail.items;
    expect(row).toMatchObject({
      id: op.auditEventId!.toString(),
      action: "vm.start",
      actionWords: "Start VM",
      phase: "authorized",
      status: "applied",
      targetName: "trail-web",
      actorKind: "user",
      decision: "allow",
      outcome: "allow",
      reasonWords: "An owner may start VM",
      rule: "role:owner grants vm.start",
    });
    expect(row!.phases).toHaveLength(1);
    expect(row!.phases[0]).toMatchObject({ phase: "applied", layer: "worker", decision: "allow" });
    expect(row!.phases[0]!.createdAt.getTime()).toBeGreaterThanOrEqual(row!.createdAt.getTime());
    // The outcome's row exists (append-only), names its root, and is never a row of its own.
    const outcome = await stack.db.auditEvent.findFirstOrThrow({ where: { parentId: op.auditEventId! } });
    expect(outcome).toMatchObject({ phase: "applied", action: "vm.start", targetId: vmId });
    const all = await owner.realm.audit({ limit: 200 });
    expect(all.items.map((e) => e.id)).not.toContain(outcome.id.toString());
  });

  it("a start that cannot be applied is one row: authorized, then failed with the reason", async () => {
    const owner = stack.caller(acme().members.owner);
    const { vmId: failing } = await owner.vm.create({ name: "trail-fails", templateId: stack.templateId });
    await until(failing, "stopped");
    await stack.agent("trail-a").stop();
    try {
      const { operationId } = await owner.vm.start({ vmId: failing });
      await stack.db.operation.update({ where: { id: operationId }, data: { deadlineAt: new Date(Date.now() + 2_000) } });
      const op = await stack.settled(operationId, 30_000);
      expect(op.status).toBe("failed");
      const [row] = (await owner.realm.audit({ action: "vm.start", target: "trail-fails" })).items;
      expect(row).toMatchObject({ targetName: "trail-fails", phase: "authorized", status: "failed" });
      expect(row!.phases).toHaveLength(1);
      expect(row!.phases[0]).toMatchObject({ phase: "failed", reason: expect.stringMatching(/agent unreachable/) });
    } finally {
      await stack.restartAgent("trail-a");
      await stack.hostsOnline();
    }
  }, 60_000);
});

describe("readable rows", () => {
  it("names each kind of target and actor: VM, disk, network, token, invitation, member", async () => {
    const owner = stack.caller(acme().members.owner);
    const { diskId } = await owner.disk.create({ name: "trail-disk", sizeGb: 1 });
    const { networkId } = await owner.network.create({ name: "trail-net" });
    const token = await owner.token.create({ name: "trail-ci", permissions: ["vm.read"], expiresInDays: 1 });
    const invitation = await owner.realm.invitations.create({ email: "newcomer@trail.test", role: "viewer" });
    await owner.realm.members.changeRole({ userId: acme().members.viewer.id, role: "operator" });
    await owner.realm.members.changeRole({ userId: acme().members.viewer.id, role: "viewer" });
    const trail = (await owner.realm.audit({ limit: 50 })).items;
    const byTarget = (id: string) => trail.find((e) => e.targetId === id);
    expect(byTarget(diskId)?.targetName).toBe("trail-disk");
    expect(byTarget(networkId)?.targetName).toBe("trail-net");
    expect(byTarget(token.id)?.targetName).toMatch(/^trail-ci \(/);
    expect(byTarget(invitation.invitationId)?.targetName).toBe("newcomer@trail.test");
    const member = await stack.db.user.findUniqueOrThrow({ where: { id: acme().members.viewer.id } });
    expect(byTarget(member.id)?.targetName).toBe(member.email);
    const ownerUser = await stack.db.user.findUniqueOrThrow({ where: { id: acme().members.owner.id } });
    expect(byTarget(diskId)).toMatchObject({ actorKind: "user", actor: ownerUser.email, actorName: expect.stringContaining(ownerUser.email), actionWords: "Create disk" });
    // A page without any VM on it names its targets too (each kind resolves on its own).
    expect((await owner.realm.audit({ action: "api-token.create" })).items.find((e) => e.targetId === token.id)?.targetName).toMatch(/^trail-ci \(/);
    expect((await owner.realm.audit({ action: "disk.create" })).items[0]?.targetName).toBe("trail-disk");
    // Time with date: a full date-time.
    expect(byTarget(diskId)!.createdAt).toBeInstanceOf(Date);
  });

  it("a deleted target keeps its last known name when the record has it", async () => {
    const owner = stack.caller(acme().members.owner);
    const extra = await createUser(stack.db, "trail-leaver");
    await stack.db.membership.create({ data: { orgId: acme().orgId, userId: extra.id, role: "viewer" } });
    await owner.realm.members.remove({ userId: extra.id });
    await stack.db.membership.deleteMany({ where: { userId: extra.id } });
    const [row] = (await owner.realm.audit({ target: extra.id })).items;
    // The tenant no longer sees the user (not a member): the record's details name them.
    expect(row?.targetName).toBe(extra.email);
  });
});

describe("filters and pages", () => {
  it("filters by action family, actor, decision, layer and time", async () => {
    const owner = stack.caller(acme().members.owner);
    const ownerUser = await stack.db.user.findUniqueOrThrow({ where: { id: acme().members.owner.id } });
    const vmRows = (await owner.realm.audit({ action: "vm", limit: 200 })).items;
    expect(vmRows.length).toBeGreaterThan(0);
    expect(vmRows.every((e) => e.action.startsWith("vm."))).toBe(true);
    const mine = (await owner.realm.audit({ actor: ownerUser.email.slice(0, 8), limit: 200 })).items;
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.every((e) => e.actorId === ownerUser.id)).toBe(true);
    const system = (await owner.realm.audit({ actor: "system", limit: 200 })).items;
    expect(system.every((e) => e.actorId === null)).toBe(true);
    const worker = (await owner.realm.audit({ layer: "worker", limit: 200 })).items;
    // An action whose outcome the worker recorded matches by its phase.
    expect(worker.some((e) => e.action === "vm.start" && e.phases.some((p) => p.layer === "worker"))).toBe(true);
    const future = (await owner.realm.audit({ from: new Date(Date.now() + 3_600_000) })).items;
    expect(future).toHaveLength(0);
    const past = (await owner.realm.audit({ to: new Date(0) })).items;
    expect(past).toHaveLength(0);
    const allowed = (await owner.realm.audit({ decision: "allow", limit: 200 })).items;
    expect(allowed.every((e) => e.decision === "allow" || e.phases.some((p) => p.decision === "allow"))).toBe(true);
  });

  it("denied_phase_counts_as_a_denial: an action the hypervisor refused after authorizing is found by decision=deny", async () => {
    const owner = stack.caller(acme().members.owner);
    const [root] = (await owner.realm.audit({ action: "vm.create", target: vmId })).items;
    // A refusal recorded as a phase of that action (as the worker writes a hypervisor denial).
    await recordDecision(stack.db, {
      realmId: acme().realmId, actorId: null, action: "vm.create", targetType: "vm", targetId: vmId, decision: "deny", layer: "hypervisor",
      reason: "avc: denied { create } for domain", requestId: "test", details: { avc: ["avc: denied { create } scontext=a tcontext=b"] }, parentId: BigInt(root!.id), phase: "failed",
    });
    const denied = (await owner.realm.audit({ decision: "deny", limit: 200 })).items;
    const row = denied.find((e) => e.id === root!.id);
    expect(row).toMatchObject({ decision: "allow", outcome: "deny" });
    expect(row!.phases.at(-1)).toMatchObject({ phase: "failed", layer: "hypervisor", avc: ["avc: denied { create } scontext=a tcontext=b"] });
    const asOps = stack.caller(ops);
    expect((await asOps.operator.trail({ decision: "deny", realmId: acme().realmId, limit: 200 })).items.map((e) => e.id)).toContain(root!.id);
    expect((await asOps.operator.trail({ decision: "deny", limit: 200 })).items.map((e) => e.id)).toContain(root!.id);
    // Paged: the first page of one holds the newest denial, the next ones follow without repeats.
    const ids: string[] = [];
    let before: string | undefined;
    for (let i = 0; i < 50; i++) {
      const page = await owner.realm.audit({ decision: "deny", limit: 1, before });
      ids.push(...page.items.map((e) => e.id));
      if (!page.nextCursor) break;
      before = page.nextCursor;
    }
    expect(ids).toEqual(denied.map((e) => e.id));
  });

  it("keyset pages: older then newer again, no row twice or missed at a page boundary", async () => {
    const owner = stack.caller(acme().members.owner);
    const all = (await owner.realm.audit({ limit: 200 })).items.map((e) => e.id);
    expect(all.length).toBeGreaterThan(5);
    const first = await owner.realm.audit({ limit: 2 });
    expect(first.prevCursor).toBeNull();
    expect(first.items.map((e) => e.id)).toEqual(all.slice(0, 2));
    const second = await owner.realm.audit({ limit: 2, before: first.nextCursor! });
    expect(second.items.map((e) => e.id)).toEqual(all.slice(2, 4));
    expect(second.prevCursor).toBe(all[2]);
    // The old name of the older cursor still works (REST clients and infinite queries).
    expect((await owner.realm.audit({ limit: 2, cursor: first.nextCursor! })).items).toEqual(second.items);
    const back = await owner.realm.audit({ limit: 2, after: second.prevCursor! });
    expect(back.items.map((e) => e.id)).toEqual(all.slice(0, 2));
    expect(back.prevCursor).toBeNull();
    expect(back.nextCursor).toBe(all[1]);
    // The last page says so.
    const last = await owner.realm.audit({ limit: 2, before: all.at(-2)! });
    expect(last.items.map((e) => e.id)).toEqual(all.slice(-1));
    expect(last.nextCursor).toBeNull();
    await expect(owner.realm.audit({ before: "abc" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });
});

describe("permission", () => {
  it("viewer_cannot_read_the_audit_trail: FORBIDDEN, naming the role and the permission", async () => {
    const viewer = stack.caller(acme().members.viewer);
    const error = await viewer.realm.audit().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TRPCError);
    expect(error).toMatchObject({ code: "FORBIDDEN", message: "your role (viewer) does not allow audit.read" });
    const admin = stack.caller(acme().members.admin);
    expect((await admin.realm.audit({ limit: 1 })).items).toHaveLength(1);
  });
});

describe("the platform's own events", () => {
  it("operator_filters_trail_to_platform_only_events", async () => {
    await recordDecision(stack.db, { realmId: null, actorId: ops.id, action: "operator.platform-probe", targetType: "platform", targetId: null, decision: "allow", layer: "trpc", reason: "platform event", requestId: "platform-only" });
    const asOps = stack.caller(ops);
    const platform = await asOps.operator.trail({ realmId: "platform", limit: 200 });
    expect(platform.items.some((e) => e.action === "operator.platform-probe")).toBe(true);
    expect(platform.items.every((e) => e.realmId === null)).toBe(true);
    // Every realm's view has realm events too; the platform filter has none of them.
    const every = await asOps.operator.trail({ limit: 200 });
    expect(every.items.some((e) => e.realmId !== null)).toBe(true);
    await expect(asOps.operator.trail({ realmId: "platforms" } as never)).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });
});

describe("cross-realm attempts show both sides", () => {
  it("cross_realm_probe_records_target_realm_for_operators_only", async () => {
    const bob = stack.caller(globex().members.owner);
    const answers = await Promise.all([bob.vm.start({ vmId }).catch((e: unknown) => e), bob.vm.start({ vmId: randomUUID() }).catch((e: unknown) => e)]);
    // The tenant's answer is the same for another realm's VM as for none at all.
    expect(answers[0]).toMatchObject({ code: "NOT_FOUND", message: "VM not found" });
    expect((answers[0] as TRPCError).message).toBe((answers[1] as TRPCError).message);

    // Operators: filter "attempts against Acme": bob's probe, with both realms named.
    const asOps = stack.caller(ops);
    const against = await asOps.operator.trail({ againstRealmId: acme().realmId, decision: "deny", limit: 50 });
    const probe = against.items.find((e) => e.probedId === vmId);
    expect(probe).toMatchObject({ realmId: globex().realmId, org: "globex", targetRealmId: acme().realmId, targetOrg: "acme", targetName: "trail-web", actionWords: "Start VM", reasonWords: "No such VM in this realm" });
    // Only attempts against Acme: the random id belongs to no realm.
    expect(against.items.every((e) => e.targetRealmId === acme().realmId)).toBe(true);
    const globexDenials = await asOps.operator.trail({ realmId: globex().realmId, decision: "deny", limit: 50 });
    expect(globexDenials.items.filter((e) => e.probedId !== null && e.probedId !== vmId).every((e) => e.targetRealmId === null)).toBe(true);

    // The tenant's trail (API) never names the other realm.
    const tenantTrail = await bob.realm.audit({ decision: "deny", limit: 50 });
    const seen = tenantTrail.items.find((e) => e.id === probe!.id);
    expect(seen).toBeDefined();
    // Nor the other realm's VM name: the tenant reads only that no such VM was found.
    expect(seen!.targetName).toBeNull();
    expect(JSON.stringify(tenantTrail)).not.toContain("trail-web");
    expect(Object.keys(seen!)).not.toContain("targetRealmId");
    expect(JSON.stringify(tenantTrail)).not.toContain(acme().realmId);
    // Nor can the tenant's database role read where it is kept.
    await expect(stack.tenantDb.$queryRawUnsafe(`SELECT "target_realm_id" FROM "realmgate_private"."audit_target_realms"`)).rejects.toThrow(/permission denied/);
    // A tenant cannot ask for the operator's filter.
    await expect(bob.realm.audit({ againstRealmId: acme().realmId } as never)).rejects.toMatchObject({ code: "BAD_REQUEST" });
    // Nor read the operator's view.
    await expect(bob.operator.trail({})).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("cross_realm_disk_network_and_driver_domain_probes_record_target_realm_for_operators_only", async () => {
    const owner = stack.caller(acme().members.owner);
    const { diskId } = await owner.disk.create({ name: "probe-disk", sizeGb: 1 });
    const { networkId } = await owner.network.create({ name: "probe-net" });
    const bob = stack.caller(globex().members.owner);
    const { vmId: bobVm } = await bob.vm.create({ name: "probe-own", templateId: stack.templateId });
    await until(bobVm, "stopped");
    // Acme's driver domain (a row is enough: its lookups are what is probed), and a disk of Bob's own.
    const { vmId: acmeVm } = await owner.vm.create({ name: "probe-host-vm", templateId: stack.templateId });
    const { backendId } = await owner.backend.create({ name: "probe-driver", vmId: acmeVm });
    const { diskId: bobDisk } = await bob.disk.create({ name: "probe-own-disk", sizeGb: 1 });
    const missing = randomUUID();
    // Every procedure that takes a disk or network id: Acme's id answers exactly like a missing one.
    const attempts: [string, (id: string) => Promise<unknown>, string, string][] = [
      ["disk", (id) => bob.vm.attachDisk({ vmId: bobVm, diskId: id }), diskId, "vm.attach-disk"],
      ["disk", (id) => bob.vm.detachDisk({ vmId: bobVm, diskId: id }), diskId, "vm.detach-disk"],
      ["disk", (id) => bob.disk.delete({ diskId: id }), diskId, "disk.delete"],
      ["network", (id) => bob.vm.attachNetwork({ vmId: bobVm, networkId: id }), networkId, "vm.attach-net"],
      ["network", (id) => bob.vm.detachNetwork({ vmId: bobVm, networkId: id }), networkId, "vm.detach-net"],
      ["network", (id) => bob.network.delete({ networkId: id }), networkId, "network.delete"],
      ["driver-domain", (id) => bob.vm.attachDisk({ vmId: bobVm, diskId: bobDisk, backendId: id }), backendId, "vm.attach-disk"],
      ["driver-domain", (id) => bob.backend.remove({ backendId: id }), backendId, "backend.remove"],
    ];
    const names: Record<string, string> = { disk: "probe-disk", network: "probe-net", "driver-domain": "probe-driver" };
    for (const [, call, foreignId] of attempts) {
      const [foreign, none] = await Promise.all([call(foreignId).catch((e: unknown) => e), call(missing).catch((e: unknown) => e)]);
      expect(foreign).toMatchObject({ code: "NOT_FOUND" });
      expect((foreign as TRPCError).message).toBe((none as TRPCError).message);
    }

    // Operators: each attempt is listed against Acme, with the probed object's name; the missing ids against no realm.
    const asOps = stack.caller(ops);
    const against = (await asOps.operator.trail({ againstRealmId: acme().realmId, decision: "deny", limit: 100 })).items;
    for (const [kind, , foreignId, action] of attempts) {
      const probe = against.find((e) => e.probedId === foreignId && e.action === action);
      expect(probe, `${action} against Acme's ${kind}`).toMatchObject({ realmId: globex().realmId, targetRealmId: acme().realmId, targetOrg: "acme", targetType: kind, targetName: names[kind] });
    }
    const misses = (await asOps.operator.trail({ realmId: globex().realmId, decision: "deny", limit: 100 })).items.filter((e) => e.probedId === missing);
    expect(misses).toHaveLength(attempts.length);
    expect(misses.every((e) => e.targetRealmId === null)).toBe(true);

    // The tenant's trail lists its denials but never the other realm, nor its objects' names.
    const tenantTrail = await bob.realm.audit({ decision: "deny", limit: 100 });
    const mine = tenantTrail.items.filter((e) => attempts.some(([, , , action]) => action === e.action));
    expect(mine.length).toBeGreaterThanOrEqual(attempts.length * 2);
    const text = JSON.stringify(tenantTrail);
    for (const secret of [acme().realmId, "probe-disk", "probe-net", "probe-driver", "acme"]) expect(text).not.toContain(secret);
    expect(mine.every((e) => !("targetRealmId" in e))).toBe(true);
  });
});
