import { randomUUID } from "node:crypto";
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z, ZodError } from "zod";
import { DomainError } from "../errors";
import { createUser, MGMT_TEMPLATE } from "../test/fixtures";
import { waitFor } from "../test/processes";
import { startStack, type Stack } from "../test/stack";
import { DEFAULT_CATEGORY_RANGE } from "./categories";
import { createOrganization, MANAGEMENT_TEMPLATE_NAME } from "./organizations";

/**
 * Onboarding and offboarding end to end: operator procedures → one transaction (organization,
 * realm, category pair, management VM operation) → the worker process → agent processes, and
 * back: the realm becomes ready when its management domain runs; decommissioning ends access at
 * once and tears everything down through the outbox, resuming after a worker is killed.
 */

let stack: Stack<"bystander">;
let operator: { id: string };
const ops = () => stack.caller(operator);

beforeAll(async () => {
  stack = await startStack({ hosts: ["onb-a", "onb-b"], tenants: ["bystander"], worker: { leaseMs: 2_000 } });
  await stack.db.template.create({
    data: { id: randomUUID(), name: MANAGEMENT_TEMPLATE_NAME, description: "management", ...MGMT_TEMPLATE },
  });
  operator = await createUser(stack.db, "onb-ops", true);
}, 60_000);
afterAll(() => stack?.stop());

const slug = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`;

/** The refusal as a client receives it (the error formatter's fieldErrors). */
async function refusal(
  promise: Promise<unknown>,
): Promise<{ code: string; message: string; fieldErrors?: Record<string, string[] | undefined> }> {
  try {
    await promise;
  } catch (error) {
    if (!(error instanceof TRPCError)) throw error;
    const fieldErrors =
      error.cause instanceof ZodError
        ? z.flattenError(error.cause).fieldErrors
        : error.cause instanceof DomainError && typeof error.cause.details.field === "string"
          ? { [error.cause.details.field]: [error.message] }
          : undefined;
    return { code: error.code, message: error.message, fieldErrors };
  }
  throw new Error("expected a refusal");
}

const statusOf = async (orgId: string) => (await ops().operator.organizations.get({ orgId })).status;
const until = (orgId: string, status: string, timeoutMs = 30_000) =>
  waitFor(async () => (await statusOf(orgId)) === status, `organization ${status}`, timeoutMs);

describe("onboarding", () => {
  it("refuses a slug with bad characters, naming the field", async () => {
    for (const bad of ["Initech Corp", "1initech", "ab", "initech-", "ini_tech"]) {
      const r = await refusal(ops().operator.organizations.create({ name: "Initech", slug: bad }));
      expect(r.code, bad).toBe("BAD_REQUEST");
      expect(r.fieldErrors, bad).toHaveProperty("slug");
      expect(r.message).toMatch(/slug/);
    }
    expect(await stack.db.organization.count({ where: { name: "Initech" } })).toBe(0);
  });

  it("refuses a taken slug as a field error and creates nothing", async () => {
    const s = slug("taken");
    await ops().operator.organizations.create({ name: "First", slug: s });
    const before = await stack.db.realm.count();
    const r = await refusal(ops().operator.organizations.create({ name: "Second", slug: s }));
    expect(r).toMatchObject({ code: "BAD_REQUEST", fieldErrors: { slug: [expect.stringMatching(/already exists/)] } });
    expect(await stack.db.realm.count()).toBe(before);
  });

  it("tenants cannot see or call the operator procedures (NOT_FOUND)", async () => {
    const owner = stack.caller(stack.tenants.bystander.members.owner);
    await expect(owner.operator.organizations.list()).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(owner.operator.organizations.create({ name: "Evil", slug: slug("evil") })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    await expect(
      owner.operator.organizations.decommission({ orgId: stack.tenants.bystander.orgId, confirmSlug: "x" }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(
      (await stack.db.realm.findUniqueOrThrow({ where: { id: stack.tenants.bystander.realmId } })).status,
    ).not.toBe("decommissioning");
  });

  it("creates the organization without an owner; provisioning until the management domain runs, then ready", async () => {
    const s = slug("initech");
    const created = await ops().operator.organizations.create({ name: "Initech", slug: s });
    const first = await ops().operator.organizations.get({ orgId: created.orgId });
    expect(first).toMatchObject({ slug: s, memberCount: 0, category: created.category });
    expect(["provisioning", "ready"]).toContain(first.status);
    await until(created.orgId, "ready");
    const ready = await ops().operator.organizations.get({ orgId: created.orgId });
    expect(ready.managementVm).toMatchObject({ state: "running" });
    expect(ready.readyAt).not.toBeNull();
    expect(ready.audit.map((a) => a.action)).toEqual(expect.arrayContaining(["realm.create", "realm.ready"]));
    const listed = await ops().operator.organizations.list({ limit: 200 });
    expect(listed.items.find((o) => o.id === created.orgId)).toMatchObject({ status: "ready", memberCount: 0 });
  });

  it("a management VM that cannot be built shows failed with the reason; Retry builds it", async () => {
    // Both hosts go away; the creation is accepted (as the seed does before hosts report in).
    await Promise.all(stack.agents.map((a) => a.stop("SIGKILL")));
    const { orgId, realmId } = await createOrganization(stack.db, {
      name: "Flaky",
      slug: slug("flaky"),
      range: DEFAULT_CATEGORY_RANGE,
      managementTemplateId: (await stack.db.template.findFirstOrThrow({ where: { name: MANAGEMENT_TEMPLATE_NAME } }))
        .id,
      actor: { userId: operator.id, requestId: "test" },
      requireOnlineHost: false,
    });
    // The operation keeps retrying; let its deadline pass rather than wait a minute.
    await waitFor(
      async () => (await stack.db.operation.count({ where: { realmId, status: "retrying" } })) > 0,
      "create retrying",
    );
    await stack.db.operation.updateMany({ where: { realmId }, data: { deadlineAt: new Date() } });
    await until(orgId, "failed");
    const failed = await ops().operator.organizations.get({ orgId });
    expect(failed.statusReason).toMatch(/management VM create failed: gave up after/);
    expect(failed.managementVm?.state).toBe("failed");
    // Retry refused while the hosts are down (placement needs an online host), then accepted.
    for (const name of ["onb-a", "onb-b"]) await stack.restartAgent(name);
    await stack.hostsOnline(2, 20_000);
    const { operationId } = await ops().operator.organizations.retry({ orgId });
    expect(await statusOf(orgId)).toBe("provisioning");
    await expect(ops().operator.organizations.retry({ orgId })).rejects.toMatchObject({ code: "PRECONDITION_FAILED" });
    expect((await stack.settled(operationId)).status).toBe("succeeded");
    await until(orgId, "ready");
  }, 90_000);
});

describe("offboarding", () => {
  async function readyOrgWithGuests(prefix: string, guests: number) {
    const s = slug(prefix);
    const { orgId, realmId } = await ops().operator.organizations.create({ name: prefix, slug: s });
    await until(orgId, "ready");
    const owner = await createUser(stack.db, `${prefix}-owner`);
    await stack.db.membership.create({ data: { orgId, userId: owner.id, role: "owner" } });
    const caller = stack.caller(owner);
    const vmIds: string[] = [];
    for (let i = 0; i < guests; i++) {
      const { vmId, operationId } = await caller.vm.create({ name: `g-${i}`, templateId: stack.templateId });
      await stack.settled(operationId);
      const { operationId: start } = await caller.vm.start({ vmId });
      await stack.settled(start);
      vmIds.push(vmId);
    }
    const { diskId } = await caller.disk.create({ name: "data", sizeGb: 4 });
    await caller.network.create({ name: "lan" });
    return { orgId, realmId, slug: s, owner, caller, vmIds, diskId };
  }

  async function expectTornDown(realmId: string) {
    const realm = await stack.db.realm.findUniqueOrThrow({ where: { id: realmId } });
    expect(realm.status).toBe("decommissioned");
    expect(await stack.db.vm.count({ where: { realmId, observedState: { not: "destroyed" } } })).toBe(0);
    expect(await stack.db.disk.count({ where: { realmId } })).toBe(0);
    expect(await stack.db.network.count({ where: { realmId } })).toBe(0);
    expect(await stack.db.membership.count({ where: { org: { realm: { id: realmId } } } })).toBe(0);
    expect(await stack.db.retiredCategory.findUnique({ where: { realmId } })).toMatchObject({
      categoryLow: realm.categoryLow,
      categoryHigh: realm.categoryHigh,
    });
    // No domain of the realm is left on any host.
    for (const vm of await stack.db.vm.findMany({ where: { realmId } })) {
      for (const agent of stack.agents) expect(await stack.domainOn(agent.hostName, vm.id)).toBeUndefined();
    }
  }

  it("needs the slug typed exactly, then ends access at once and tears the realm down through the worker", async () => {
    const org = await readyOrgWithGuests("offb", 2);
    // A driver domain serving a disk: it goes too, after the guests and before the management domain.
    const { backendId } = await org.caller.backend.create({ name: "offb-driver", vmId: org.vmIds[0]! });
    await waitFor(async () => (await org.caller.backend.list()).items.find((b) => b.id === backendId)?.state === "running", "driver domain running");
    await stack.settled((await org.caller.vm.attachDisk({ vmId: org.vmIds[0]!, diskId: org.diskId, backendId })).operationId);
    const wrong = await refusal(
      ops().operator.organizations.decommission({ orgId: org.orgId, confirmSlug: `${org.slug}x` }),
    );
    expect(wrong).toMatchObject({ code: "BAD_REQUEST", fieldErrors: { confirmSlug: [expect.stringMatching(/slug/)] } });
    expect(await statusOf(org.orgId)).toBe("ready");

    const { membersRemoved } = await ops().operator.organizations.decommission({
      orgId: org.orgId,
      confirmSlug: org.slug,
    });
    expect(membersRemoved).toBe(1);
    // The former owner's very next request is refused: no membership, no realm.
    await expect(org.caller.vm.list()).rejects.toBeInstanceOf(TRPCError);
    expect(["decommissioning", "decommissioned"]).toContain(await statusOf(org.orgId));
    await expect(
      ops().operator.organizations.decommission({ orgId: org.orgId, confirmSlug: org.slug }),
    ).rejects.toMatchObject({ code: "PRECONDITION_FAILED" });

    await until(org.orgId, "decommissioned", 45_000);
    await expectTornDown(org.realmId);
    expect(await stack.db.driverDomain.count({ where: { realmId: org.realmId } })).toBe(0);
    for (const agent of stack.agents) expect(await stack.domainOn(agent.hostName, backendId)).toBeUndefined();
    // Every destroy went through the outbox and the worker, guests before the management domain.
    const destroys = await stack.db.operation.findMany({
      where: { realmId: org.realmId, action: "destroy" },
      orderBy: { createdAt: "asc" },
      include: { vm: true },
    });
    expect(destroys.filter((d) => d.status === "succeeded").map((d) => d.vm.kind)).toEqual([
      "guest",
      "guest",
      "management",
    ]);
    // An operator cannot break glass into a decommissioned realm (nobody acts inside it again).
    await expect(
      ops().operator.breakGlass.request({
        realmId: org.realmId,
        reason: "looking around after offboarding",
        minutes: 5,
      }),
    ).rejects.toMatchObject({
      code: "PRECONDITION_FAILED",
    });
    // The audit trail is kept and readable by operators.
    const view = await ops().operator.organizations.get({ orgId: org.orgId });
    expect(view.audit.map((a) => a.action)).toEqual(
      expect.arrayContaining(["realm.decommission", "realm.decommissioned", "vm.destroy"]),
    );
  }, 90_000);

  it("a worker killed half-way: another worker resumes the decommissioning to completion", async () => {
    const org = await readyOrgWithGuests("crash", 3);
    await ops().operator.organizations.decommission({ orgId: org.orgId, confirmSlug: org.slug });
    // Kill every worker as soon as the teardown has started (destroys in the outbox).
    await waitFor(
      async () => (await stack.db.operation.count({ where: { realmId: org.realmId, action: "destroy" } })) > 0,
      "teardown started",
      20_000,
    );
    await Promise.all(stack.workers.map((w) => w.stop("SIGKILL")));
    expect(await statusOf(org.orgId)).toBe("decommissioning");
    await stack.startWorker();
    await until(org.orgId, "decommissioned", 60_000);
    await expectTornDown(org.realmId);
  }, 120_000);
});
