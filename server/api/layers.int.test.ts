import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DomainError } from "../errors";
import { forgeBreakGlassGrant, pastLayer1, pastLayers1And2, visibleToRealm, type CrossRealmAction } from "../test/layers";
import { waitFor } from "../test/processes";
import { startStack, type Stack } from "../test/stack";
import { httpAgentClient } from "../worker/agent-client";

/**
 * Defence in depth, one layer at a time, each proven against an attacker who already owns the
 * layer above it (no switch in production code; server/test/layers.ts calls below a layer):
 * past layer 1 (the service layer called directly with a foreign id, in realm B's tenant
 * transaction), row-level security still hides realm A's VM; past layers 1 and 2 (the same call
 * on the platform client), the hypervisor alone denies every cross-realm lifecycle operation,
 * records the AVC line and raises a policy-drift alarm.
 */

let stack: Stack<"layers-a" | "layers-b">;
const a = () => stack.tenants["layers-a"];
const b = () => stack.tenants["layers-b"];

beforeAll(async () => {
  stack = await startStack({ hosts: ["layers-a", "layers-b"], tenants: ["layers-a", "layers-b"], worker: {} });
});
afterAll(() => stack?.stop());

/** A VM of realm A's own for one test, created (and started) through the API by A's owner. */
async function realmAVm(state: "stopped" | "running") {
  const owner = stack.caller(a().members.owner);
  const { vmId, operationId } = await owner.vm.create({ name: `a-${state}-${randomUUID().slice(0, 8)}`, templateId: stack.templateId });
  expect((await stack.settled(operationId)).status).toBe("succeeded");
  if (state === "running") expect((await stack.settled((await owner.vm.start({ vmId })).operationId)).status).toBe("succeeded");
  return vmId;
}

async function realmAManagementVm() {
  const mgmt = await stack.db.vm.findFirstOrThrow({ where: { realmId: a().realmId, kind: "management" } });
  await waitFor(async () => (await stack.vmOf(a().realmId, mgmt.id)).observedState === "running", "A's management VM running");
  return mgmt.id;
}

/** Realm B's owner, acting as realm B, asking for `action` on a VM. */
const asRealmB = (vmRealmId: string, vmId: string, action: CrossRealmAction) => ({
  actingRealmId: b().realmId,
  vmRealmId,
  vmId,
  action,
  userId: b().members.owner.id,
  requestId: `attack-${randomUUID()}`,
});

describe("enforcement layers, one at a time", () => {
  it("layer 1 off: row-level security still hides realm A's VM from realm B", async () => {
    const stopped = await realmAVm("stopped");
    const running = await realmAVm("running");
    const attempts: [string, CrossRealmAction][] = [
      [stopped, "start"],
      [stopped, "destroy"],
      [running, "stop"],
      [running, "destroy"],
    ];
    const vmStates = () =>
      Promise.all([stopped, running].map(async (id) => {
        const { observedState, desiredState, stateReason, updatedAt } = await stack.vmOf(a().realmId, id);
        return { observedState, desiredState, stateReason, updatedAt };
      }));
    const vmsBefore = await vmStates();
    const claims: [string, string][] = [
      ["A's", a().realmId],
      ["B's own", b().realmId],
    ];
    const opsBefore = await stack.db.operation.count({ where: { vmId: { in: [stopped, running] } } });
    for (const [vmId, action] of attempts) {
      // Naming A's realm (the true one) or B's own: either way the VM is not there for B.
      for (const [claimed, vmRealmId] of claims) {
        const error = await pastLayer1(stack, asRealmB(vmRealmId, vmId, action)).catch((e: unknown) => e);
        expect(error, `${action} on A's VM ${vmId}, realmId = ${claimed}`).toBeInstanceOf(DomainError);
        expect((error as DomainError).kind).toBe("not_found");
      }
    }
    // It is row-level security that hides it: the VM exists, realm A's transaction sees it, realm B's does not.
    for (const vmId of [stopped, running]) {
      expect(await visibleToRealm(stack, b().realmId, vmId)).toBeNull();
      expect(await visibleToRealm(stack, a().realmId, vmId)).toMatchObject({ id: vmId });
    }
    // Nothing written, nothing changed.
    expect(await stack.db.operation.count({ where: { vmId: stopped, subjectRealmId: b().realmId } })).toBe(0);
    expect(await stack.db.operation.count({ where: { vmId: { in: [stopped, running] } } })).toBe(opsBefore);
    expect(await vmStates()).toEqual(vmsBefore);
    // Control: the same call below layer 1, by realm A for its own VM, goes through (the harness is not what refused).
    const own = await pastLayer1(stack, { ...asRealmB(a().realmId, stopped, "start"), actingRealmId: a().realmId, userId: a().members.owner.id });
    expect((await stack.settled(own.operationId)).status).toBe("succeeded");
  });

  it("layers 1 and 2 off: the hypervisor alone denies 100% of cross-realm lifecycle operations", async () => {
    const stopped = await realmAVm("stopped");
    const running = await realmAVm("running");
    await realmAManagementVm();
    const attempts: [string, CrossRealmAction][] = [
      [stopped, "start"],
      [stopped, "destroy"],
      [running, "stop"],
      [running, "pause"],
      [running, "reboot"],
      [running, "destroy"],
    ];
    const statusBefore = await Promise.all(stack.agents.map((x) => httpAgentClient.status({ url: x.url, secret: x.secret })));
    let denied = 0;
    for (const [vmId, action] of attempts) {
      const before = await stack.vmOf(a().realmId, vmId);
      // Layers 1-2 are bypassed: the request is accepted into the outbox and forwarded…
      const { operationId } = await pastLayers1And2(stack, asRealmB(a().realmId, vmId, action));
      const op = await stack.settled(operationId);
      expect(op).toMatchObject({ realmId: a().realmId, subjectRealmId: b().realmId, vmId, action });
      // …and the hypervisor refuses it with the acting realm's management domain as subject.
      expect(op.status, `${action} on ${vmId}`).toBe("failed");
      expect(op.lastError).toMatch(/^EACCES/);
      const avc = (op.result as { avc: string[] }).avc;
      const category = `c${b().category.categoryLow},c${b().category.categoryHigh}`;
      expect(avc.some((l) => l.startsWith("avc:  denied  {") && l.includes(`scontext=system_u:system_r:realm_mgmt_t:s0:${category}`))).toBe(true);
      const alarm = await stack.db.auditEvent.findFirst({ where: { action: "alarm.policy_drift", targetId: operationId } });
      expect(alarm).toMatchObject({ decision: "deny", layer: "hypervisor" });
      const after = await stack.vmOf(a().realmId, vmId);
      expect(after.observedState).toBe(before.observedState);
      denied++;
    }
    expect(denied).toBe(attempts.length);
    // The hypervisor's own view of realm A's domains did not change.
    const statusAfter = await Promise.all(stack.agents.map((x) => httpAgentClient.status({ url: x.url, secret: x.secret })));
    expect(statusAfter.map((s) => s.domains)).toEqual(statusBefore.map((s) => s.domains));
  });

  it("an operation on realm A's management VM forged straight into the outbox is denied by the hypervisor", async () => {
    // Layers 1 and 2 bypassed entirely: a row written as if realm B had asked.
    const mgmt = await realmAManagementVm();
    const forged = (id: string, breakGlassGrantId: string | null) => ({
      id, realmId: a().realmId, subjectRealmId: b().realmId, vmId: mgmt, action: "stop", requestId: "forged", fromState: "running" as const,
      requestedById: b().members.owner.id, breakGlassGrantId, deadlineAt: new Date(Date.now() + 30_000),
    });
    // The database refuses the row on its own (no break-glass grant on realm A)…
    await expect(stack.db.operation.create({ data: forged(randomUUID(), null) })).rejects.toThrow(/needs a live break-glass grant/);
    // …so the attacker, owning the platform role too, forges a grant first.
    for (const action of ["stop", "destroy"]) {
      const id = randomUUID();
      const grant = await forgeBreakGlassGrant(stack.db, { realmId: a().realmId, operatorId: b().members.owner.id });
      await stack.db.operation.create({ data: { ...forged(id, grant), action } });
      await stack.db.breakGlassGrant.update({ where: { id: grant }, data: { revokedAt: new Date() } });
      const op = await stack.settled(id);
      expect(op.status).toBe("failed");
      expect(op.lastError).toMatch(/^EACCES/);
    }
    expect((await stack.vmOf(a().realmId, mgmt)).observedState).toBe("running");
  });

  it("members cannot drive the management VM through the API", async () => {
    const mgmt = await realmAManagementVm();
    const error = await stack.caller(a().members.owner).vm.stop({ vmId: mgmt }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "PRECONDITION_FAILED" });
  });

  it("the owner of realm A is not blocked by the hypervisor (positive control)", async () => {
    const running = await realmAVm("running");
    const op = await stack.settled((await stack.caller(a().members.owner).vm.stop({ vmId: running })).operationId);
    expect(op.status).toBe("succeeded");
  });
});
