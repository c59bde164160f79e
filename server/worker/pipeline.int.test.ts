import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deriveHostSecret } from "../contracts/signing";
import { createTestDatabase, type TestDatabase } from "../test/db";
import { callerFor, setupTenant } from "../test/fixtures";
import { startAgent, startWorker, waitFor, type AgentProcess, type RunningProcess } from "../test/processes";
import { httpAgentClient } from "./agent-client";

/**
 * A lifecycle action end to end: tRPC → outbox → worker process → signed HTTP → agent process →
 * simulated hypervisor, and the result back into PostgreSQL.
 */

const MASTER = "pipeline-master-secret";
let t: TestDatabase;
let agents: AgentProcess[];
let worker: RunningProcess;
let acme: Awaited<ReturnType<typeof setupTenant>>;
let templateId: string;

beforeAll(async () => {
  t = await createTestDatabase();
  const names = ["pipe-a", "pipe-b"];
  agents = await Promise.all(names.map((hostName) => startAgent({ hostName, secret: deriveHostSecret(MASTER, hostName) })));
  for (const agent of agents) {
    await t.db.host.create({ data: { id: randomUUID(), name: agent.hostName, agentUrl: agent.url, vcpus: 8, memoryMb: 16_384 } });
  }
  const mgmt = await t.db.template.create({ data: { id: randomUUID(), name: "mgmt", description: "", vcpus: 1, memoryMb: 256, diskGb: 1 } });
  templateId = (await t.db.template.create({ data: { id: randomUUID(), name: "small", description: "", vcpus: 1, memoryMb: 512, diskGb: 4 } })).id;
  acme = await setupTenant(t.db, "acme", mgmt.id);
  worker = await startWorker({ databaseUrl: t.url, masterSecret: MASTER });
});
afterAll(async () => {
  await worker?.stop();
  await Promise.all(agents.map((a) => a.stop()));
  await t.drop();
});

const vmState = (vmId: string) => t.db.vm.findUniqueOrThrow({ where: { realmId_id: { realmId: acme.realmId, id: vmId } } });
const until = (vmId: string, state: string) => waitFor(async () => (await vmState(vmId)).observedState === state, `VM ${state}`);

describe("lifecycle pipeline", () => {
  it("marks hosts online from the agents' status", async () => {
    await waitFor(async () => (await t.db.host.count({ where: { status: "online" } })) === 2, "hosts online");
  });

  it("builds and starts the realm's management domain", async () => {
    const mgmt = await t.db.vm.findFirstOrThrow({ where: { realmId: acme.realmId, kind: "management" } });
    await until(mgmt.id, "running");
    expect((await vmState(mgmt.id)).domid).toBeGreaterThan(0);
  });

  it("creates, starts and stops a VM; the hypervisor agrees", async () => {
    const caller = callerFor(t, acme.members.owner);
    const { vmId, operationId } = await caller.vm.create({ name: "e2e-1", templateId });
    await until(vmId, "stopped");
    expect(await t.db.operation.findUniqueOrThrow({ where: { id: operationId } })).toMatchObject({ status: "succeeded", attempts: 1 });
    await caller.vm.start({ vmId });
    await until(vmId, "running");
    const vm = await vmState(vmId);
    const host = await t.db.host.findUniqueOrThrow({ where: { id: vm.hostId! } });
    const status = await httpAgentClient.status({ url: host.agentUrl, secret: deriveHostSecret(MASTER, host.name) });
    expect(status.domains.find((d) => d.uuid === vmId)).toMatchObject({ state: "running", domid: vm.domid, label: expect.stringContaining("realm_guest_t") });
    await caller.vm.stop({ vmId });
    await until(vmId, "stopped");
    const history = await caller.vm.history({ vmId });
    expect(history.map((h) => [h.action, h.status])).toEqual([
      ["stop", "succeeded"],
      ["start", "succeeded"],
      ["create", "succeeded"],
    ]);
    const audit = await t.db.auditEvent.findMany({ where: { targetId: vmId, layer: "worker" } });
    expect(audit.map((a) => a.action).sort()).toEqual(["vm.create", "vm.start", "vm.stop"]);
  });

  it("an unreachable agent: the operation retries with the reason, then fails cleanly at its deadline", async () => {
    const caller = callerFor(t, acme.members.owner);
    const { vmId } = await caller.vm.create({ name: "e2e-2", templateId });
    await until(vmId, "stopped");
    const vm = await vmState(vmId);
    const host = await t.db.host.findUniqueOrThrow({ where: { id: vm.hostId! } });
    const agent = agents.find((a) => a.hostName === host.name)!;
    await agent.stop();
    const { operationId } = await caller.vm.start({ vmId });
    await t.db.operation.update({ where: { id: operationId }, data: { deadlineAt: new Date(Date.now() + 2_500) } });
    const retrying = await waitFor(async () => {
      const op = await t.db.operation.findUniqueOrThrow({ where: { id: operationId } });
      return op.status === "retrying" ? op : null;
    }, "operation retrying");
    expect(retrying.lastError).toMatch(new RegExp(`${host.name}: agent unreachable`));
    expect((await vmState(vmId)).stateReason).toMatch(/retrying start/);
    const failed = await waitFor(async () => {
      const op = await t.db.operation.findUniqueOrThrow({ where: { id: operationId } });
      return op.status === "failed" ? op : null;
    }, "operation failed");
    expect(failed.lastError).toMatch(/gave up after \d+ attempts: .*agent unreachable/);
    expect(await vmState(vmId)).toMatchObject({ observedState: "stopped", stateReason: expect.stringMatching(/start failed/) });
    await waitFor(async () => (await t.db.host.findUniqueOrThrow({ where: { id: host.id } })).status === "unreachable", "host unreachable");
    agents[agents.indexOf(agent)] = await startAgent({ hostName: agent.hostName, secret: agent.secret, stateDir: agent.stateDir, port: agent.port });
    await waitFor(async () => (await t.db.host.findUniqueOrThrow({ where: { id: host.id } })).status === "online", "host back online");
  });
});
