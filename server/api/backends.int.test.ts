import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signedHeaders } from "../contracts/signing";
import { waitFor } from "../test/processes";
import { startStack, type Stack } from "../test/stack";
import { httpAgentClient } from "../worker/agent-client";
import { policySha256, type HostState } from "../xen";
import { driverDomainLabel, managementLabel, REALM_POLICY_PATH, realmDiskLabel, realmLevel } from "../xsm";

/**
 * Backend domains (issue 15 part 3) end to end through real processes (web procedures, the
 * worker, a host agent): the platform's storage and network backends boot with the host; a
 * realm's admin creates a driver domain (built by the worker as the realm's management domain)
 * and attaches a disk through it; the host records which backend serves each device. Another
 * realm's driver domain id answers exactly like a missing one, and a host request that bypasses
 * the upper layers is refused by FLASK with an AVC line.
 */

let stack: Stack<"bk-acme" | "bk-globex">;
const acme = () => stack.tenants["bk-acme"];
const globex = () => stack.tenants["bk-globex"];
const owner = () => stack.caller(acme().members.owner);
const globexOwner = () => stack.caller(globex().members.owner);
const failure = (p: Promise<unknown>) => p.then(() => ({ code: "OK", message: "" }), (e: { code: string; message: string }) => ({ code: e.code, message: e.message }));

beforeAll(async () => {
  // Test hooks: the backend-store hook is how a test plays the compromised backend.
  stack = await startStack({ hosts: ["bk-a"], tenants: ["bk-acme", "bk-globex"], worker: {}, agentEnv: { REALMGATE_AGENT_TEST_HOOKS: "1" } });
});
afterAll(() => stack?.stop());

const settledOk = (operationId: string) => stack.succeeded(operationId);

const runningVm = (caller: ReturnType<typeof owner>, name: string) => stack.runningVm(caller, name);

async function hostState(): Promise<HostState> {
  const agent = stack.agent("bk-a");
  const res = await fetch(`${agent.url}/v1/host/snapshot`, { headers: signedHeaders(agent.secret, { method: "GET", pathAndQuery: "/v1/host/snapshot", body: "" }) });
  expect(res.status).toBe(200);
  return (await res.json()) as HostState;
}

/** A signed POST to the host's agent: a request that bypasses every layer above the hypervisor. */
const agentPost = <T,>(route: string, payload: unknown) => stack.agentPost<T>("bk-a", route, payload);

type BlockReply = { ok: boolean; error?: { code: string; message: string }; data: { data?: string; sealed: boolean } | null };
const SECRET_TEXT = "acme payroll: alice 123456";
const block = () => Buffer.concat([Buffer.from(SECRET_TEXT), Buffer.alloc(512 - SECRET_TEXT.length)]);

async function runningDriver(caller: ReturnType<typeof owner>, name: string, vmId: string) {
  const { backendId } = await caller.backend.create({ name, vmId });
  return waitFor(async () => {
    const b = (await caller.backend.list()).items.find((x) => x.id === backendId);
    if (b?.state === "failed") throw new Error(`driver domain failed: ${b.stateReason}`);
    return b?.state === "running" ? b : null;
  }, "driver domain running");
}

describe("backend domains", () => {
  it("lists the platform's trusted backends; the host booted them as their own labelled domains", async () => {
    const items = (await owner().backend.list()).items;
    expect(items.map((b) => [b.kind, b.isTrusted, b.id])).toEqual([
      ["platform-storage", true, null],
      ["platform-network", true, null],
    ]);
    const labels = (await hostState()).domains.map((d) => d.label);
    expect(labels).toEqual(expect.arrayContaining(["system_u:system_r:storage_backend_t:s0", "system_u:system_r:net_backend_t:s0"]));
  });

  it("an admin creates a driver domain, attaches a disk through it (its store holds only ciphertext); the VM shows an untrusted backend; the default stays the platform's", async () => {
    const vmId = await runningVm(owner(), "bk-guest");
    const hostUsed = async () => (await stack.db.$queryRaw<{ vcpus: bigint; memory_mb: bigint }[]>`SELECT u.vcpus, u.memory_mb FROM host_usage u JOIN hosts h ON h.id = u.host_id WHERE h.name = 'bk-a'`)[0]!;
    const [quotaBefore, hostBefore] = [(await owner().realm.quota()).used, await hostUsed()];
    const driver = await runningDriver(owner(), "bk-driver", vmId);
    // A driver domain takes its size from the realm's quota and from its host's capacity.
    expect((await owner().realm.quota()).used).toMatchObject({ vcpus: quotaBefore.vcpus + 1, memoryMb: quotaBefore.memoryMb + 256, vms: quotaBefore.vms });
    expect(await hostUsed()).toEqual({ vcpus: hostBefore.vcpus + 1n, memory_mb: hostBefore.memory_mb + 256n });
    expect(driver).toMatchObject({ kind: "driver-domain", isTrusted: false, serves: ["disk", "network"], host: { name: "bk-a" } });
    const onHost = (await hostState()).domains.find((d) => d.uuid === driver.id)!;
    expect(onHost.label).toBe(`system_u:system_r:driver_domain_t:${realmLevel(acme().category)}`);
    expect(onHost.domid).toBe(driver.domid);

    const { diskId } = await owner().disk.create({ name: "bk-secret", sizeGb: 1 });
    await settledOk((await owner().vm.attachDisk({ vmId, diskId, backendId: driver.id! })).operationId);
    const { diskId: plainId } = await owner().disk.create({ name: "bk-plain", sizeGb: 1 });
    await settledOk((await owner().vm.attachDisk({ vmId, diskId: plainId })).operationId);
    const { networkId } = await owner().network.create({ name: "bk-net" });
    await settledOk((await owner().vm.attachNetwork({ vmId, networkId, backendId: driver.id! })).operationId);
    // A driver domain serves frontends on its own host only: the VM stays while one serves it.
    expect(await failure(owner().vm.migrate({ vmId }))).toMatchObject({
      code: "PRECONDITION_FAILED",
      message: "cannot migrate a VM whose devices are served by driver domain bk-driver (bound to its host): detach them first",
    });

    const vm = await owner().vm.get({ vmId });
    expect(vm.disks.map((d) => [d.name, d.backend])).toEqual([
      ["bk-secret", { id: driver.id, name: "bk-driver" }],
      ["bk-plain", null],
    ]);
    expect(vm.networks).toEqual([{ network: { id: networkId, name: "bk-net" }, backend: { id: driver.id, name: "bk-driver" }, backendState: "attached", backendReason: null }]);
    const state = await hostState();
    const storage = state.domains.find((d) => d.label.includes("storage_backend_t"))!;
    const devices = state.devices.filter((d) => d.domid === vm.domid && d.kind === "vbd");
    expect(devices.map((d) => [d.resourceId, d.backendDomid])).toEqual([
      [diskId, driver.domid],
      [plainId, storage.domid],
    ]);
    expect(state.devices.find((d) => d.domid === vm.domid && d.kind === "vif")).toMatchObject({ resourceId: networkId, backendDomid: driver.domid });
    expect(state.xenstore[`/local/domain/${driver.domid}/backend/vbd/${vm.domid}/${devices[0]!.devid}`]?.value).toBe(diskId);

    // The block data path on the host: through the driver domain the block is sealed, and the
    // driver domain's own store (what a compromised backend reads) holds no plaintext; through the
    // platform's trusted backend it is stored as written.
    const io = (action: "read" | "write", disk: string, lba: number) =>
      agentPost<BlockReply>("/v1/blocks", { action, subjectLabel: managementLabel(acme().category), domid: vm.domid, diskId: disk, lba, ...(action === "write" ? { data: block().toString("base64") } : {}) });
    expect(await io("write", diskId, 7)).toMatchObject({ ok: true, data: { sealed: true } });
    expect(await io("write", plainId, 7)).toMatchObject({ ok: true, data: { sealed: false } });
    const storeOf = async (domid: number) => Object.values((await agentPost<{ blocks: Record<string, string> }>("/v1/host/backend-store", { domid })).blocks).map((b) => Buffer.from(b, "base64"));
    const sealedStore = await storeOf(driver.domid!);
    expect(sealedStore).toHaveLength(1);
    expect(sealedStore[0]!.includes(Buffer.from("payroll"))).toBe(false);
    expect((await storeOf(storage.domid)).some((b) => b.includes(Buffer.from("payroll")))).toBe(true);
    expect(Buffer.from((await io("read", diskId, 7)).data!.data!, "base64")).toEqual(block());
    // Tampering with the sealed store (flipped, swapped, moved blocks) is server/xen/block-data.test.ts's.

    // Audited like other actions: the request names the driver domain and says it is untrusted.
    const audit = await stack.db.auditEvent.findMany({ where: { realmId: acme().realmId, action: { in: ["backend.create", "backend.build", "vm.attach-disk"] } }, orderBy: { id: "asc" } });
    expect(audit.map((a) => a.reason).join("\n")).toMatch(/through driver domain bk-driver \(untrusted backend, encrypted\)/);
    expect(audit.filter((a) => a.targetId === driver.id).map((a) => [a.action, a.decision, a.layer])).toEqual([
      ["backend.create", "allow", "trpc"],
      ["backend.build", "allow", "worker"],
    ]);

    // Removing it while it serves a disk is refused; once detached it is destroyed on its host.
    expect(await failure(owner().backend.remove({ backendId: driver.id! }))).toMatchObject({ code: "PRECONDITION_FAILED" });
    await settledOk((await owner().vm.detachDisk({ vmId, diskId })).operationId);
    expect(await failure(owner().backend.remove({ backendId: driver.id! }))).toMatchObject({ code: "PRECONDITION_FAILED" });
    await settledOk((await owner().vm.detachNetwork({ vmId, networkId })).operationId);
    await owner().backend.remove({ backendId: driver.id! });
    await waitFor(async () => (await owner().backend.list()).items.every((b) => b.id !== driver.id), "driver domain removed");
    expect((await hostState()).domains.some((d) => d.uuid === driver.id)).toBe(false);
    // Gone, it gives both back.
    expect((await owner().realm.quota()).used).toMatchObject({ vcpus: quotaBefore.vcpus, memoryMb: quotaBefore.memoryMb });
    expect(await hostUsed()).toEqual(hostBefore);
  });

  it("refuses another realm's driver domain exactly like a missing one (attach, remove), changing nothing", async () => {
    const acmeVm = await runningVm(owner(), "bk-acme-2");
    const acmeDriver = await runningDriver(owner(), "bk-acme-driver", acmeVm);
    const globexVm = await runningVm(globexOwner(), "bk-globex-vm");
    const { diskId } = await globexOwner().disk.create({ name: "bk-globex-disk", sizeGb: 1 });
    const foreign = await failure(globexOwner().vm.attachDisk({ vmId: globexVm, diskId, backendId: acmeDriver.id! }));
    const missing = await failure(globexOwner().vm.attachDisk({ vmId: globexVm, diskId, backendId: randomUUID() }));
    expect(foreign).toEqual({ code: "NOT_FOUND", message: "backend not found" });
    expect(foreign).toEqual(missing);
    expect(await failure(globexOwner().backend.remove({ backendId: acmeDriver.id! }))).toEqual(await failure(globexOwner().backend.remove({ backendId: randomUUID() })));
    expect((await globexOwner().backend.list()).items.some((b) => b.id === acmeDriver.id)).toBe(false);
    expect((await stack.db.disk.findUniqueOrThrow({ where: { id: diskId } })).vmId).toBeNull();
    expect((await stack.db.operation.count({ where: { vmId: globexVm, action: "attach-disk" } }))).toBe(0);
  });

  it("a driver domain beyond the realm's vCPU quota is refused in words, and nothing is written", async () => {
    const vmId = await runningVm(globexOwner(), "bk-globex-quota");
    const { used } = await globexOwner().realm.quota();
    await stack.db.$executeRaw`UPDATE realm_quotas SET vcpus = ${used.vcpus} WHERE realm_id = ${globex().realmId}::uuid`;
    try {
      const refused = await failure(globexOwner().backend.create({ name: "bk-too-many", vmId }));
      expect(refused.code).toBe("PRECONDITION_FAILED");
      expect(refused.message).toMatch(/uses \d+ of \d+ vCPUs; this driver domain needs 1$/);
      expect(await stack.db.driverDomain.count({ where: { realmId: globex().realmId, name: "bk-too-many" } })).toBe(0);
      expect((await globexOwner().realm.quota()).used).toEqual(used);
    } finally {
      await stack.db.$executeRaw`UPDATE realm_quotas SET vcpus = 1000 WHERE realm_id = ${globex().realmId}::uuid`;
    }
  });

  it("with the upper layers bypassed, the host refuses realm B's frontend to realm A's driver domain by FLASK (AVC line)", async () => {
    const acmeVm = await runningVm(owner(), "bk-acme-3");
    const acmeDriver = await runningDriver(owner(), "bk-acme-driver-3", acmeVm);
    const globexVm = await runningVm(globexOwner(), "bk-globex-3");
    const domid = (await stack.vmOf(globex().realmId, globexVm)).domid!;
    const agent = stack.agent("bk-a");
    const reply = await httpAgentClient.device(
      { url: agent.url, secret: agent.secret },
      {
        idempotencyKey: randomUUID(),
        action: "attach-disk",
        subjectLabel: managementLabel(globex().category),
        domid,
        disk: { id: "bk-bypass", label: realmDiskLabel(realmLevel(globex().category)), readOnly: false },
        backendDomid: acmeDriver.domid!,
      },
    );
    expect(reply).toMatchObject({ ok: false, error: { code: "EACCES" } });
    expect(reply.avc).toEqual([
      `avc:  denied  { bind } for source=${domid} target=${acmeDriver.domid} scontext=system_u:object_r:realm_channel_t:${realmLevel(globex().category)} tcontext=system_u:system_r:driver_domain_t:${realmLevel(acme().category)} tclass=event`,
    ]);
    expect((await hostState()).devices.some((d) => d.resourceId === "bk-bypass")).toBe(false);
  });

  it("a driver domain rebuilt after it was destroyed behind the worker's back, then after a host crash, serves its VM's disk and interface again: attached to the new domid, audited per device", async () => {
    const vmId = await runningVm(owner(), "bk-rebuild");
    const driver = await runningDriver(owner(), "bk-rebuild-driver", vmId);
    const { diskId } = await owner().disk.create({ name: "bk-rebuild-disk", sizeGb: 1 });
    await settledOk((await owner().vm.attachDisk({ vmId, diskId, backendId: driver.id! })).operationId);
    const { networkId } = await owner().network.create({ name: "bk-rebuild-net" });
    await settledOk((await owner().vm.attachNetwork({ vmId, networkId, backendId: driver.id! })).operationId);
    const served = async () => {
      const [vm, state] = [await stack.vmOf(acme().realmId, vmId), await hostState()];
      return { vmDomid: vm.domid, devices: state.devices.filter((d) => d.domid === vm.domid && d.resourceId !== undefined && [diskId, networkId].includes(d.resourceId)) };
    };
    const rows = async () => ({
      disk: await stack.db.disk.findUniqueOrThrow({ where: { id: diskId }, select: { vmId: true, backendId: true, backendState: true, backendDomid: true, backendReason: true } }),
      nic: await stack.db.vmNetwork.findFirstOrThrow({ where: { vmId, networkId }, select: { backendId: true, backendState: true, backendDomid: true, backendReason: true } }),
    });
    /** The driver domain running, both devices recorded as attached to its domid, and the host agreeing. */
    const reattachedNow = async () => {
      const dd = await stack.db.driverDomain.findUniqueOrThrow({ where: { id: driver.id! } });
      if (dd.state !== "running" || dd.domid === null) return null;
      const r = await rows();
      if (r.disk.backendState !== "attached" || r.nic.backendState !== "attached" || r.disk.backendDomid !== dd.domid || r.nic.backendDomid !== dd.domid) return null;
      const { vmDomid, devices } = await served();
      return devices.length === 2 && devices.every((d) => d.backendDomid === dd.domid) ? { domid: dd.domid, vmDomid, devices } : null;
    };
    const before = await served();
    expect(before.devices.map((d) => [d.kind, d.backendDomid])).toEqual([
      ["vbd", driver.domid],
      ["vif", driver.domid],
    ]);

    // 1. The driver domain dies behind the worker's back (destroyed on its host, not through the
    // product): the host takes the devices it served with it (the guest's frontends lost their backend).
    const destroyed = await agentPost<{ ok: boolean }>("/v1/domains", {
      idempotencyKey: randomUUID(),
      action: "destroy",
      subjectLabel: managementLabel(acme().category),
      vm: { uuid: driver.id, name: driver.name, label: driverDomainLabel(acme().category), vcpus: 1, memoryMb: 256 },
    });
    expect(destroyed.ok).toBe(true);
    const first = await waitFor(reattachedNow, "driver domain rebuilt and its devices attached again", 45_000);
    expect(first.domid).not.toBe(driver.domid);
    expect(first.vmDomid).toBe(before.vmDomid); // the guest kept running; only its backend is new
    expect(await rows()).toEqual({
      disk: { vmId, backendId: driver.id, backendState: "attached", backendDomid: first.domid, backendReason: null },
      nic: { backendId: driver.id, backendState: "attached", backendDomid: first.domid, backendReason: null },
    });
    const state = await hostState();
    const vbd = first.devices.find((d) => d.kind === "vbd")!;
    expect(state.xenstore[`/local/domain/${first.domid}/backend/vbd/${first.vmDomid}/${vbd.devid}`]?.value).toBe(diskId);
    // The block data path runs through the new backend (sealed; what was written before died with the old one).
    const io = (action: "read" | "write", lba: number) =>
      agentPost<BlockReply>("/v1/blocks", { action, subjectLabel: managementLabel(acme().category), domid: first.vmDomid, diskId, lba, ...(action === "write" ? { data: block().toString("base64") } : {}) });
    expect(await io("write", 3)).toMatchObject({ ok: true, data: { sealed: true } });
    expect(Buffer.from((await io("read", 3)).data!.data!, "base64")).toEqual(block());

    // Audited per device on the realm's trail, as the worker's, naming the new backend domid.
    const reattached = () =>
      stack.db.auditEvent.findMany({ where: { realmId: acme().realmId, action: { in: ["vm.reattach-disk", "vm.reattach-net"] }, targetId: vmId }, orderBy: { id: "asc" } });
    expect((await reattached()).map((a) => [a.action, a.decision, a.layer, a.targetType, (a.details as { backendDomid: number }).backendDomid])).toEqual([
      ["vm.reattach-disk", "allow", "worker", "vm", first.domid],
      ["vm.reattach-net", "allow", "worker", "vm", first.domid],
    ]);
    expect((await reattached())[0]!.reason).toMatch(new RegExp(`^disk ${diskId} of domain ${first.vmDomid} attached again through rebuilt driver domain bk-rebuild-driver \\(domain ${first.domid}\\)`));
    const build = await stack.db.auditEvent.findFirst({ where: { realmId: acme().realmId, action: "backend.build", targetId: driver.id }, orderBy: { id: "desc" } });
    expect(build?.reason).toMatch(/rebuilt on bk-a as domain \d+ \(was \d+\): its devices are attached again/);

    // 2. The host crashes (every domain lost): the reconciler rebuilds the VM, this sync the driver
    // domain, and the devices are attached to the VM's new domain through the new driver domain.
    const crash = await fetch(`${stack.agent("bk-a").url}/v1/host/crash`, {
      method: "POST",
      headers: signedHeaders(stack.agent("bk-a").secret, { method: "POST", pathAndQuery: "/v1/host/crash", body: "" }),
    });
    expect(crash.status).toBe(200);
    await waitFor(async () => (await stack.vmOf(acme().realmId, vmId)).observedState === "running", "VM rebuilt and running", 45_000);
    const second = await waitFor(async () => ((await reattached()).length === 4 ? reattachedNow() : null), "devices attached again after the crash", 45_000);
    expect(second.vmDomid).toBe((await stack.vmOf(acme().realmId, vmId)).domid);
    expect((await reattached()).slice(2).map((a) => [a.action, a.decision, (a.details as { backendDomid: number }).backendDomid])).toEqual([
      ["vm.reattach-disk", "allow", second.domid],
      ["vm.reattach-net", "allow", second.domid],
    ]);
  });

  it("a re-attach the hypervisor refuses (FLASK, after the host's policy changed) leaves the disk recorded as detached with the AVC line, audited as the hypervisor's denial", async () => {
    const vmId = await runningVm(owner(), "bk-refused");
    const driver = await runningDriver(owner(), "bk-refused-driver", vmId);
    const { diskId } = await owner().disk.create({ name: "bk-refused-disk", sizeGb: 1 });
    await settledOk((await owner().vm.attachDisk({ vmId, diskId, backendId: driver.id! })).operationId);
    // The host now runs a policy where a realm's frontend may bind to the platform's backends only.
    const agent = stack.agent("bk-a");
    const load = (text: string, fileName: string) =>
      httpAgentClient.loadFlaskPolicy({ url: agent.url, secret: agent.secret }, { fileName, bytes: Buffer.from(text).toString("base64"), sha256: policySha256(Buffer.from(text)) });
    const realmTe = readFileSync(REALM_POLICY_PATH, "utf8");
    const noDriverBinds = realmTe.replace("allow realm_channel_t backend_domain : event bind;", "allow realm_channel_t { storage_backend_t net_backend_t } : event bind;");
    expect(noDriverBinds).not.toBe(realmTe);
    expect((await load(noDriverBinds, "no-driver-binds.te")).ok).toBe(true);
    try {
      await agentPost("/v1/domains", {
        idempotencyKey: randomUUID(),
        action: "destroy",
        subjectLabel: managementLabel(acme().category),
        vm: { uuid: driver.id, name: driver.name, label: driverDomainLabel(acme().category), vcpus: 1, memoryMb: 256 },
      });
      const disk = await waitFor(async () => {
        const d = await stack.db.disk.findUniqueOrThrow({ where: { id: diskId } });
        return d.backendState === "detached" ? d : null;
      }, "re-attach refused and recorded", 45_000);
      // Still the VM's disk through its driver domain (not silently dropped), detached, with the host's words.
      expect(disk).toMatchObject({ vmId, backendId: driver.id, backendDomid: null });
      expect(disk.backendReason).toMatch(/not attached again through rebuilt driver domain bk-refused-driver \(domain \d+\): EACCES: .*\(avc: {2}denied {2}\{ bind \} .*tcontext=system_u:system_r:driver_domain_t:/);
      const events = await stack.db.auditEvent.findMany({ where: { realmId: acme().realmId, action: "vm.reattach-disk", targetId: vmId } });
      expect(events.map((e) => [e.decision, e.layer])).toEqual([["deny", "hypervisor"]]);
      expect((events[0]!.details as { avc: string[]; diskId: string }).avc[0]).toMatch(/^avc: {2}denied {2}\{ bind \} /);
      expect((events[0]!.details as { diskId: string }).diskId).toBe(diskId);
      expect((await hostState()).devices.some((d) => d.resourceId === diskId)).toBe(false);
      // The VM's page says so, with the host's words.
      const onPage = (await owner().vm.get({ vmId })).disks.find((d) => d.id === diskId);
      expect(onPage).toMatchObject({ backend: { id: driver.id }, backendState: "detached", backendReason: disk.backendReason });
    } finally {
      expect((await load(realmTe, "realm.te")).ok).toBe(true);
    }
  });
});
