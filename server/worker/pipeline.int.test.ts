import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitFor } from "../test/processes";
import { startStack, type Stack } from "../test/stack";
import { httpAgentClient } from "./agent-client";

/**
 * A lifecycle action end to end: tRPC → outbox → worker process → signed HTTP → agent process →
 * simulated hypervisor, and the result back into PostgreSQL.
 */

let stack: Stack<"acme">;
const acme = () => stack.tenants.acme;

beforeAll(async () => {
  // The stack waits for the worker to mark both hosts online.
  stack = await startStack({ hosts: ["pipe-a", "pipe-b"], hostSize: { vcpus: 8, memoryMb: 16_384 }, tenants: ["acme"], worker: {} });
});
afterAll(() => stack?.stop());

const vmState = (vmId: string) => stack.vmOf(acme().realmId, vmId);
const until = (vmId: string, state: string) => waitFor(async () => (await vmState(vmId)).observedState === state, `VM ${state}`);

describe("lifecycle pipeline", () => {
  it("marks hosts online from the agents' status", async () => {
    await waitFor(async () => (await stack.db.host.count({ where: { status: "online" } })) === 2, "hosts online");
  });

  it("builds and starts the realm's management domain", async () => {
    const mgmt = await stack.db.vm.findFirstOrThrow({ where: { realmId: acme().realmId, kind: "management" } });
    await until(mgmt.id, "running");
    expect((await vmState(mgmt.id)).domid).toBeGreaterThan(0);
  });

  it("creates, starts and stops a VM; the hypervisor agrees", async () => {
    const caller = stack.caller(acme().members.owner);
    const { vmId, operationId } = await caller.vm.create({ name: "e2e-1", templateId: stack.templateId });
    await until(vmId, "stopped");
    expect(await stack.db.operation.findUniqueOrThrow({ where: { id: operationId } })).toMatchObject({ status: "succeeded", attempts: 1 });
    await caller.vm.start({ vmId });
    await until(vmId, "running");
    const vm = await vmState(vmId);
    const host = await stack.db.host.findUniqueOrThrow({ where: { id: vm.hostId! } });
    const status = await httpAgentClient.status({ url: host.agentUrl, secret: stack.hostSecret(host.name) });
    expect(status.domains.find((d) => d.uuid === vmId)).toMatchObject({ state: "running", domid: vm.domid, label: expect.stringContaining("realm_guest_t") });
    await caller.vm.stop({ vmId });
    await until(vmId, "stopped");
    const { items: history } = await caller.vm.history({ vmId });
    expect(history.map((h) => [h.action, h.status])).toEqual([
      ["stop", "succeeded"],
      ["start", "succeeded"],
      ["create", "succeeded"],
    ]);
    const audit = await stack.db.auditEvent.findMany({ where: { targetId: vmId, layer: "worker" } });
    expect(audit.map((a) => a.action).sort()).toEqual(["vm.create", "vm.start", "vm.stop"]);
  });

  it("an unreachable agent: the operation retries with the reason, then fails cleanly at its deadline", async () => {
    const caller = stack.caller(acme().members.owner);
    const { vmId } = await caller.vm.create({ name: "e2e-2", templateId: stack.templateId });
    await until(vmId, "stopped");
    const vm = await vmState(vmId);
    const host = await stack.db.host.findUniqueOrThrow({ where: { id: vm.hostId! } });
    await stack.agent(host.name).stop();
    const { operationId } = await caller.vm.start({ vmId });
    await stack.db.operation.update({ where: { id: operationId }, data: { deadlineAt: new Date(Date.now() + 2_500) } });
    const retrying = await waitFor(async () => {
      const op = await stack.db.operation.findUniqueOrThrow({ where: { id: operationId } });
      return op.status === "retrying" ? op : null;
    }, "operation retrying");
    expect(retrying.lastError).toMatch(new RegExp(`${host.name}: agent unreachable`));
    expect((await vmState(vmId)).stateReason).toMatch(/retrying start/);
    const failed = await waitFor(async () => {
      const op = await stack.db.operation.findUniqueOrThrow({ where: { id: operationId } });
      return op.status === "failed" ? op : null;
    }, "operation failed");
    expect(failed.lastError).toMatch(/gave up after \d+ attempts: .*agent unreachable/);
    expect(await vmState(vmId)).toMatchObject({ observedState: "stopped", stateReason: expect.stringMatching(/start failed/) });
    await waitFor(async () => (await stack.db.host.findUniqueOrThrow({ where: { id: host.id } })).status === "unreachable", "host unreachable");
    await stack.restartAgent(host.name);
    await waitFor(async () => (await stack.db.host.findUniqueOrThrow({ where: { id: host.id } })).status === "online", "host back online");
  });
});
