import { randomUUID } from "node:crypto";
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deriveHostSecret } from "../contracts/signing";
import { createTestDatabase, type TestDatabase } from "../test/db";
import { setupTenant } from "../test/fixtures";
import { startAgent, startWorker, waitFor, type AgentProcess, type RunningProcess } from "../test/processes";
import { httpAgentClient } from "../worker/agent-client";
import { createContext } from "./context";
import { createCaller } from "./root";

/**
 * Defence in depth, one layer at a time: with layer 1 (tRPC realm scoping) switched off, RLS
 * still refuses; with layers 1 and 2 switched off, the hypervisor alone denies every
 * cross-realm lifecycle operation, records the AVC line and raises a policy-drift alarm.
 */

const MASTER = "layers-master-secret";
let t: TestDatabase;
let agents: AgentProcess[];
let worker: RunningProcess;
let a: Awaited<ReturnType<typeof setupTenant>>;
let b: Awaited<ReturnType<typeof setupTenant>>;
let templateId: string;

beforeAll(async () => {
  t = await createTestDatabase();
  agents = await Promise.all(["layers-a", "layers-b"].map((hostName) => startAgent({ hostName, secret: deriveHostSecret(MASTER, hostName) })));
  for (const agent of agents) {
    await t.db.host.create({ data: { id: randomUUID(), name: agent.hostName, agentUrl: agent.url, vcpus: 32, memoryMb: 65_536 } });
  }
  const mgmt = await t.db.template.create({ data: { id: randomUUID(), name: "mgmt", description: "", vcpus: 1, memoryMb: 256, diskGb: 1 } });
  templateId = (await t.db.template.create({ data: { id: randomUUID(), name: "small", description: "", vcpus: 1, memoryMb: 512, diskGb: 4 } })).id;
  a = await setupTenant(t.db, "layers-a", mgmt.id);
  b = await setupTenant(t.db, "layers-b", mgmt.id);
  worker = await startWorker({ databaseUrl: t.url, masterSecret: MASTER });
});
afterAll(async () => {
  await worker?.stop();
  await Promise.all(agents.map((x) => x.stop()));
  await t.drop();
});

function callerWithout(layers: ("trpc" | "db")[], user: { id: string }) {
  return createCaller(createContext({ tenant: t.tenantDb, platform: t.db }, { id: user.id, epoch: 0 }, randomUUID(), { unsafeDisabledLayers: new Set(layers) }));
}

const vmOf = (realmId: string, id: string) => t.db.vm.findUniqueOrThrow({ where: { realmId_id: { realmId, id } } });
const settled = (id: string) =>
  waitFor(async () => {
    const op = await t.db.operation.findUniqueOrThrow({ where: { id } });
    return op.status === "succeeded" || op.status === "failed" ? op : null;
  }, `operation ${id} settled`);

async function realmAVms() {
  await waitFor(async () => (await t.db.host.count({ where: { status: "online" } })) === agents.length, "hosts online");
  const owner = callerWithout([], a.members.owner);
  const running = await owner.vm.create({ name: "a-running", templateId });
  const stopped = await owner.vm.create({ name: "a-stopped", templateId });
  await settled(running.operationId);
  await settled(stopped.operationId);
  await settled((await owner.vm.start({ vmId: running.vmId })).operationId);
  const mgmt = await t.db.vm.findFirstOrThrow({ where: { realmId: a.realmId, kind: "management" } });
  await waitFor(async () => (await vmOf(a.realmId, mgmt.id)).observedState === "running", "A's management VM running");
  return { running: running.vmId, stopped: stopped.vmId, mgmt: mgmt.id };
}

describe("enforcement layers, one at a time", () => {
  let vms: Awaited<ReturnType<typeof realmAVms>>;
  beforeAll(async () => {
    vms = await realmAVms();
  });

  it("layer 1 off: row-level security still hides realm A's VM from realm B", async () => {
    const error = await callerWithout(["trpc"], b.members.owner).vm.start({ vmId: vms.stopped }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TRPCError);
    expect((error as TRPCError).code).toBe("NOT_FOUND");
    expect(await t.db.operation.count({ where: { vmId: vms.stopped, subjectRealmId: b.realmId } })).toBe(0);
  });

  it("layers 1 and 2 off: the hypervisor alone denies 100% of cross-realm lifecycle operations", async () => {
    const bOwner = callerWithout(["trpc", "db"], b.members.owner);
    const attempts: [string, "start" | "stop" | "destroy"][] = [
      [vms.stopped, "start"],
      [vms.stopped, "destroy"],
      [vms.running, "stop"],
      [vms.running, "destroy"],
    ];
    const statusBefore = await Promise.all(agents.map((x) => httpAgentClient.status({ url: x.url, secret: x.secret })));
    let denied = 0;
    for (const [vmId, action] of attempts) {
      const before = await vmOf(a.realmId, vmId);
      // Layers 1-2 are off: the request is accepted and forwarded…
      const { operationId } = await bOwner.vm[action]({ vmId });
      const op = await settled(operationId);
      // …and the hypervisor refuses it with the acting realm's management domain as subject.
      expect(op.status, `${action} on ${vmId}`).toBe("failed");
      expect(op.lastError).toMatch(/^EACCES/);
      const avc = (op.result as { avc: string[] }).avc;
      expect(avc.some((l) => l.startsWith("avc:  denied  {") && l.includes(`scontext=system_u:system_r:realm_mgmt_t:s0:c${b.category.categoryLow},c${b.category.categoryHigh}`))).toBe(true);
      const alarm = await t.db.auditEvent.findFirst({ where: { action: "alarm.policy_drift", targetId: operationId } });
      expect(alarm).toMatchObject({ decision: "deny", layer: "hypervisor" });
      const after = await vmOf(a.realmId, vmId);
      expect(after.observedState).toBe(before.observedState);
      denied++;
    }
    expect(denied).toBe(attempts.length);
    // The hypervisor's own view of realm A's domains did not change.
    const statusAfter = await Promise.all(agents.map((x) => httpAgentClient.status({ url: x.url, secret: x.secret })));
    expect(statusAfter.map((s) => s.domains)).toEqual(statusBefore.map((s) => s.domains));
  });

  it("an operation on realm A's management VM forged straight into the outbox is denied by the hypervisor", async () => {
    // Layers 1 and 2 bypassed entirely: a row written as if realm B had asked.
    const mgmt = await vmOf(a.realmId, vms.mgmt);
    for (const action of ["stop", "destroy"]) {
      const id = randomUUID();
      await t.db.operation.create({
        data: { id, realmId: a.realmId, subjectRealmId: b.realmId, vmId: mgmt.id, action, requestId: "forged", fromState: "running", deadlineAt: new Date(Date.now() + 30_000) },
      });
      const op = await settled(id);
      expect(op.status).toBe("failed");
      expect(op.lastError).toMatch(/^EACCES/);
    }
    expect((await vmOf(a.realmId, vms.mgmt)).observedState).toBe("running");
  });

  it("members cannot drive the management VM through the API", async () => {
    const error = await callerWithout([], a.members.owner).vm.stop({ vmId: vms.mgmt }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "PRECONDITION_FAILED" });
  });

  it("the owner of realm A is not blocked by the hypervisor (positive control)", async () => {
    const owner = callerWithout([], a.members.owner);
    const op = await settled((await owner.vm.stop({ vmId: vms.running })).operationId);
    expect(op.status).toBe("succeeded");
  });
});
