import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitFor } from "../test/processes";
import { startStack, type Stack } from "../test/stack";

/**
 * A VM's quota is released when the worker settles its destroy (the database does it as the row
 * reaches `destroyed`, in the settlement's transaction), exactly once; a realm at its VM limit
 * can create again after destroying one.
 */

let stack: Stack<"quota">;
const tenant = () => stack.tenants.quota;
const usage = () => stack.db.realmQuota.findUniqueOrThrow({ where: { realmId: tenant().realmId } });

beforeAll(async () => {
  stack = await startStack({ hosts: ["quota-a"], tenants: ["quota"], worker: {} });
  await stack.db.realmQuota.update({ where: { realmId: tenant().realmId }, data: { vms: 1, vcpus: 4 } });
});
afterAll(() => stack?.stop());

describe("release on destroy", () => {
  it("destroying a VM gives back its VM, vCPUs and memory; the realm can create again", async () => {
    const caller = stack.caller(tenant().members.owner);
    const first = await caller.vm.create({ name: "first", templateId: stack.templateId, vcpus: 2 });
    expect((await stack.settled(first.operationId)).status).toBe("succeeded");
    expect(await usage()).toMatchObject({ usedVms: 1, usedVcpus: 2, usedMemoryMb: 512 });

    const refused = await caller.vm.create({ name: "second", templateId: stack.templateId }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(TRPCError);
    expect((refused as TRPCError).message).toBe("quota uses 1 of 1 VM; this VM needs 1");

    // Failed creates still hold their quota until destroyed; a stopped VM holds it too.
    const destroy = await caller.vm.destroy({ vmId: first.vmId });
    expect(await usage()).toMatchObject({ usedVms: 1 }); // accepted, not yet done
    expect((await stack.settled(destroy.operationId)).status).toBe("succeeded");
    expect((await stack.vmOf(tenant().realmId, first.vmId)).observedState).toBe("destroyed");
    expect(await usage()).toMatchObject({ usedVms: 0, usedVcpus: 0, usedMemoryMb: 0 });

    // Touching the destroyed row again releases nothing twice.
    await stack.db.vm.update({ where: { id: first.vmId }, data: { observedState: "destroyed", stateReason: "touched" } });
    expect(await usage()).toMatchObject({ usedVms: 0, usedVcpus: 0 });

    const again = await caller.vm.create({ name: "second", templateId: stack.templateId });
    expect((await stack.settled(again.operationId)).status).toBe("succeeded");
    await waitFor(async () => (await usage()).usedVms === 1, "the new VM holds the quota");
  });
});
