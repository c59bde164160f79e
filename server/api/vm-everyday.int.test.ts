import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signedHeaders } from "../contracts/signing";
import { startStack, type Stack } from "../test/stack";
import type { HostState } from "../xen";

/**
 * Everyday VM work (issue 14) end to end through real processes (web procedures, the worker,
 * a host agent): rename, resize, clone, snapshots, and the management template kept from
 * members. Each foreign id answers like a missing one.
 */

let stack: Stack<"ev-acme" | "ev-globex">;
const acme = () => stack.tenants["ev-acme"];
const globex = () => stack.tenants["ev-globex"];
const owner = () => stack.caller(acme().members.owner);
const codeOf = (e: { code?: string; message?: string }) => e.code;
const failure = (p: Promise<unknown>) => p.then(() => ({ code: "OK", message: "" }), (e: { code: string; message: string }) => ({ code: e.code, message: e.message }));

beforeAll(async () => {
  stack = await startStack({ hosts: ["ev-a"], tenants: ["ev-acme", "ev-globex"], worker: {} });
});
afterAll(() => stack?.stop());

async function settledOk(operationId: string) {
  const op = await stack.settled(operationId);
  expect(op.status, op.lastError ?? "").toBe("succeeded");
  return op;
}

async function stoppedVm(name: string) {
  const { vmId, operationId } = await owner().vm.create({ name, templateId: stack.templateId });
  await settledOk(operationId);
  return vmId;
}

async function runningVm(name: string) {
  const vmId = await stoppedVm(name);
  await settledOk((await owner().vm.start({ vmId })).operationId);
  return vmId;
}

const quota = () => owner().realm.quota();

/** The host's whole state as dom0 sees it (GET /v1/host/snapshot). */
async function hostState(): Promise<HostState> {
  const agent = stack.agent("ev-a");
  const res = await fetch(`${agent.url}/v1/host/snapshot`, { headers: signedHeaders(agent.secret, { method: "GET", pathAndQuery: "/v1/host/snapshot", body: "" }) });
  expect(res.status).toBe(200);
  return (await res.json()) as HostState;
}
const domain = (vmId: string) => stack.domainOn("ev-a", vmId);

describe("rename", () => {
  it("renames a VM in any state, audited; a name in use is a field error; a foreign VM answers like a missing one", async () => {
    const vmId = await runningVm("ev-rename");
    await stoppedVm("ev-taken");
    expect(await owner().vm.rename({ vmId, name: "ev-renamed" })).toEqual({ vmId, name: "ev-renamed" });
    expect((await owner().vm.get({ vmId })).name).toBe("ev-renamed");
    const taken = await failure(owner().vm.rename({ vmId, name: "ev-taken" }));
    expect(taken).toMatchObject({ code: "BAD_REQUEST", message: expect.stringMatching(/^name: a VM with this name already exists/) });
    const audit = await stack.db.auditEvent.findFirst({ where: { realmId: acme().realmId, action: "vm.rename", targetId: vmId } });
    expect(audit?.details).toMatchObject({ from: "ev-rename", to: "ev-renamed" });
    // Globex's owner: acme's VM answers exactly like a made-up id.
    const intruder = stack.caller(globex().members.owner);
    const foreign = await failure(intruder.vm.rename({ vmId, name: "stolen" }));
    const missing = await failure(intruder.vm.rename({ vmId: randomUUID(), name: "stolen" }));
    expect(foreign).toEqual(missing);
    expect(foreign.code).toBe("NOT_FOUND");
    expect(await stack.caller(acme().members.operator).vm.rename({ vmId, name: "x-1" }).catch(codeOf)).toBe("FORBIDDEN");
  });
});

describe("resize", () => {
  it("resizes a stopped VM freely within quota: the host's domain, the VM and the realm's usage agree", async () => {
    const vmId = await stoppedVm("ev-resize");
    const before = await quota();
    await settledOk((await owner().vm.resize({ vmId, vcpus: 2, memoryMb: 1024 })).operationId);
    expect(await owner().vm.get({ vmId })).toMatchObject({ vcpus: 2, memoryMb: 1024, observedState: "stopped" });
    expect(await domain(vmId)).toMatchObject({ vcpus: 2, memoryMb: 1024 });
    const after = await quota();
    expect(after.used.vcpus - before.used.vcpus).toBe(1);
    expect(after.used.memoryMb - before.used.memoryMb).toBe(512);
    // Shrinking gives it back once the host applied it.
    await settledOk((await owner().vm.resize({ vmId, memoryMb: 512 })).operationId);
    expect((await quota()).used.memoryMb).toBe(before.used.memoryMb);
  });

  it("refuses a resize past the realm's quota, naming the field, and reserves nothing", async () => {
    const vmId = await stoppedVm("ev-resize-quota");
    const { used } = await quota();
    await stack.db.realmQuota.update({ where: { realmId: acme().realmId }, data: { vcpus: used.vcpus + 1 } });
    try {
      const refused = await failure(owner().vm.resize({ vmId, vcpus: 4 }));
      expect(refused.code).toBe("PRECONDITION_FAILED");
      expect(refused.message).toMatch(/vCPUs; this resize needs 3/);
      expect((await quota()).used).toEqual(used);
    } finally {
      await stack.db.realmQuota.update({ where: { realmId: acme().realmId }, data: { vcpus: 100_000 } });
    }
  });

  it("a running VM shrinks its memory; vCPUs past its max_vcpus are refused by the host, naming the field, and nothing stays reserved", async () => {
    const vmId = await runningVm("ev-resize-live");
    await settledOk((await owner().vm.resize({ vmId, memoryMb: 256 })).operationId);
    expect(await domain(vmId)).toMatchObject({ memoryMb: 256, state: "running" });
    expect(await owner().vm.resize({ vmId, memoryMb: 128 }).catch((e: { message: string }) => e.message)).toMatch(/^memoryMb must be at least 256 while the VM runs/);
    const before = await quota();
    const op = await stack.settled((await owner().vm.resize({ vmId, vcpus: 4 })).operationId);
    expect(op.status).toBe("failed");
    expect(op.lastError).toMatch(/EINVAL: vcpus: at most 1 while the domain runs/);
    expect(await owner().vm.get({ vmId })).toMatchObject({ vcpus: 1, observedState: "running" });
    expect((await quota()).used).toEqual(before.used);
  });
});

describe("clone", () => {
  it("clones a stopped VM with copies of its disks, attached on the host; only from stopped", async () => {
    const vmId = await stoppedVm("ev-src");
    const { diskId } = await owner().disk.create({ name: "ev-src-data", sizeGb: 3 });
    await settledOk((await owner().vm.attachDisk({ vmId, diskId })).operationId);
    const clone = await owner().vm.clone({ vmId, name: "ev-copy" });
    await settledOk(clone.operationId);
    const copy = await owner().vm.get({ vmId: clone.vmId });
    expect(copy).toMatchObject({ name: "ev-copy", observedState: "stopped", vcpus: 1, memoryMb: 512 });
    expect(copy.disks).toEqual([{ id: clone.diskIds[0], name: "ev-copy-ev-src-data", sizeGb: 3, backend: null, backendState: "attached", backendReason: null }]);
    const host = await hostState();
    const built = host.domains.find((d) => d.uuid === clone.vmId)!;
    expect(host.devices.filter((d) => d.domid === built.domid).map((d) => d.resourceId)).toEqual(clone.diskIds);
    const running = await runningVm("ev-src-running");
    expect(await owner().vm.clone({ vmId: running, name: "ev-copy-2" }).catch(codeOf)).toBe("PRECONDITION_FAILED");
  });

  it("holds the realm's VM quota under concurrent clones: exactly the clones that fit are accepted", async () => {
    const sources = [await stoppedVm("ev-race-1"), await stoppedVm("ev-race-2"), await stoppedVm("ev-race-3")];
    const { used } = await quota();
    await stack.db.realmQuota.update({ where: { realmId: acme().realmId }, data: { vms: used.vms + 1 } });
    try {
      const results = await Promise.all(sources.map((vmId, i) => failure(owner().vm.clone({ vmId, name: `ev-race-copy-${i}` }))));
      expect(results.filter((r) => r.code === "OK")).toHaveLength(1);
      expect(results.filter((r) => r.code === "PRECONDITION_FAILED")).toHaveLength(2);
      expect((await quota()).used.vms).toBe(used.vms + 1);
    } finally {
      await stack.db.realmQuota.update({ where: { realmId: acme().realmId }, data: { vms: 100_000 } });
    }
  });
});

describe("snapshots", () => {
  it("snapshot → revert → delete through the host: a running VM reverted to a stopped snapshot stops; storage is counted and freed", async () => {
    const vmId = await stoppedVm("ev-snap");
    const before = await quota();
    const taken = await owner().vm.snapshot({ vmId, name: "before-boot" });
    await settledOk(taken.operationId);
    const {
      items: [snap],
    } = await owner().vm.snapshots({ vmId });
    expect(snap).toMatchObject({ id: taken.snapshotId, name: "before-boot", status: "ready", vmState: "stopped", sizeGb: 1 });
    expect((await quota()).used.diskGb - before.used.diskGb).toBe(1);
    expect((await hostState()).snapshots?.map((s) => s.id)).toContain(taken.snapshotId);

    await settledOk((await owner().vm.start({ vmId })).operationId);
    const domidRunning = (await domain(vmId))!.domid;
    await settledOk((await owner().vm.revert({ vmId, snapshotId: taken.snapshotId })).operationId);
    const reverted = await owner().vm.get({ vmId });
    expect(reverted.observedState).toBe("stopped");
    const restored = await domain(vmId);
    expect(restored).toMatchObject({ state: "stopped" });
    expect(restored!.domid).not.toBe(domidRunning);
    expect(reverted.domid).toBe(restored!.domid);

    // A VM with snapshots is neither destroyed nor moved: its snapshots would be stranded.
    expect(await owner().vm.destroy({ vmId }).catch((e: { message: string }) => e.message)).toMatch(/has snapshots \(1\): delete them first/);

    await settledOk((await owner().vm.deleteSnapshot({ vmId, snapshotId: taken.snapshotId })).operationId);
    expect((await owner().vm.snapshots({ vmId })).items).toEqual([]);
    expect((await quota()).used.diskGb).toBe(before.used.diskGb);
    expect((await hostState()).snapshots ?? []).not.toContainEqual(expect.objectContaining({ id: taken.snapshotId }));
    const audit = await stack.db.auditEvent.findMany({ where: { realmId: acme().realmId, targetId: vmId, action: { in: ["vm.snapshot", "vm.revert", "vm.delete-snapshot"] } } });
    expect(new Set(audit.map((a) => a.action))).toEqual(new Set(["vm.snapshot", "vm.revert", "vm.delete-snapshot"]));
  });

  it("reverts a stopped VM to a running snapshot: it runs again", async () => {
    const vmId = await runningVm("ev-snap-run");
    const taken = await owner().vm.snapshot({ vmId });
    await settledOk(taken.operationId);
    await settledOk((await owner().vm.stop({ vmId })).operationId);
    await settledOk((await owner().vm.revert({ vmId, snapshotId: taken.snapshotId })).operationId);
    expect((await owner().vm.get({ vmId })).observedState).toBe("running");
    expect((await domain(vmId))?.state).toBe("running");
  });

  it("refuses a snapshot past the disk quota, and another realm's snapshot answers like a missing one", async () => {
    const vmId = await stoppedVm("ev-snap-quota");
    const { used } = await quota();
    await stack.db.realmQuota.update({ where: { realmId: acme().realmId }, data: { diskGb: used.diskGb } });
    try {
      expect(await owner().vm.snapshot({ vmId }).catch((e: { message: string }) => e.message)).toMatch(/this snapshot needs 1 GiB/);
    } finally {
      await stack.db.realmQuota.update({ where: { realmId: acme().realmId }, data: { diskGb: 10_000_000 } });
    }
    const taken = await owner().vm.snapshot({ vmId });
    await settledOk(taken.operationId);
    const intruder = stack.caller(globex().members.owner);
    const { vmId: theirs, operationId } = await intruder.vm.create({ name: "ev-theirs", templateId: stack.templateId });
    await settledOk(operationId);
    const foreign = await failure(intruder.vm.revert({ vmId: theirs, snapshotId: taken.snapshotId }));
    const missing = await failure(intruder.vm.revert({ vmId: theirs, snapshotId: randomUUID() }));
    expect(foreign).toEqual(missing);
    expect(foreign.code).toBe("NOT_FOUND");
    expect(await failure(intruder.vm.deleteSnapshot({ vmId, snapshotId: taken.snapshotId }))).toEqual(await failure(intruder.vm.deleteSnapshot({ vmId: randomUUID(), snapshotId: taken.snapshotId })));
    expect(await stack.caller(acme().members.viewer).vm.snapshot({ vmId }).catch(codeOf)).toBe("FORBIDDEN");
  });
});

describe("the management template", () => {
  it("is not offered to members, and a create from it answers like a missing template", async () => {
    const mgmt = await stack.db.template.create({ data: { id: randomUUID(), name: "realm-mgmt", description: "Realm management domain", vcpus: 1, memoryMb: 512, diskGb: 4 } });
    const offered = await owner().template.list({ limit: 200 });
    expect(offered.items.map((t) => t.name)).not.toContain("realm-mgmt");
    expect(offered.items.map((t) => t.id)).toContain(stack.templateId);
    const fromMgmt = await failure(owner().vm.create({ name: "ev-sneaky", templateId: mgmt.id }));
    const fromNothing = await failure(owner().vm.create({ name: "ev-sneaky", templateId: randomUUID() }));
    expect(fromMgmt).toEqual(fromNothing);
    expect(fromMgmt).toMatchObject({ code: "BAD_REQUEST", message: "templateId: no such template" });
    expect(await stack.db.vm.count({ where: { name: "ev-sneaky" } })).toBe(0);
  });
});
