import { randomUUID } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { DEFAULT_ACM_POLICY, createSecurityModule } from "../xen";
import { DOM0_LABEL, SecurityServer, loadRealmPolicy } from "../xsm";
import { Toolstack } from "./toolstack";

const policy = loadRealmPolicy();
const MGMT = "system_u:system_r:realm_mgmt_t:s0:c1,c2";
const GUEST = "system_u:system_r:realm_guest_t:s0:c1,c2";

function toolstack(stateDir = mkdtempSync(path.join(os.tmpdir(), "realmgate-ts-"))) {
  return new Toolstack(createSecurityModule(new SecurityServer(policy)), { stateDir, acm: { module: "chinese-wall+ste", policy: DEFAULT_ACM_POLICY } });
}
const vm = (label: string) => ({ uuid: randomUUID(), name: "vm", label, vcpus: 1, memoryMb: 512 });

describe("toolstack", () => {
  it("keeps everything across a restart: domains, channels, devices, ACM counters, boot id", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "realmgate-ts-"));
    const ts = toolstack(dir);
    ts.apply({ idempotencyKey: randomUUID(), action: "create", subjectLabel: DOM0_LABEL, vm: vm(MGMT) });
    const guest = vm(GUEST);
    ts.apply({ idempotencyKey: randomUUID(), action: "create", subjectLabel: MGMT, vm: guest });
    ts.apply({ idempotencyKey: randomUUID(), action: "start", subjectLabel: MGMT, vm: guest });
    const attached = ts.hypercall({ endpoint: "device", body: { action: "attach-disk", subjectLabel: MGMT, domid: 2, disk: { id: "d1", label: "system_u:object_r:realm_disk_t:s0:c1,c2", readOnly: false } } });
    expect(attached.ok).toBe(true);
    const before = ts.snapshot();
    const restarted = toolstack(dir);
    expect(restarted.snapshot()).toEqual(before);
    expect(restarted.bootId).toBe(ts.bootId);
  });

  it("journals snapshots: taken, reverted to and deleted across agent restarts; a foreign realm is denied with an AVC line", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "realmgate-ts-"));
    let ts = toolstack(dir);
    ts.apply({ idempotencyKey: randomUUID(), action: "create", subjectLabel: DOM0_LABEL, vm: vm(MGMT) });
    const guest = vm(GUEST);
    ts.apply({ idempotencyKey: randomUUID(), action: "create", subjectLabel: MGMT, vm: guest });
    const snapshotId = randomUUID();
    const key = randomUUID();
    const taken = ts.apply({ idempotencyKey: key, action: "snapshot-create", subjectLabel: MGMT, vm: guest, snapshotId });
    expect(taken.ok, JSON.stringify(taken.error)).toBe(true);
    ts.close();
    ts = toolstack(dir); // an agent restart: the journal has it, and the key's answer
    expect(ts.snapshot().snapshots?.map((s) => s.id)).toEqual([snapshotId]);
    expect(ts.apply({ idempotencyKey: key, action: "snapshot-create", subjectLabel: MGMT, vm: guest, snapshotId }).replayed).toBe(true);
    const foreign = ts.apply({ idempotencyKey: randomUUID(), action: "snapshot-revert", subjectLabel: "system_u:system_r:realm_mgmt_t:s0:c3,c4", vm: guest, snapshotId });
    expect(foreign).toMatchObject({ ok: false, error: { code: "EACCES" } });
    expect(foreign.avc.join("\n")).toMatch(/avc: {2}denied/);
    ts.apply({ idempotencyKey: randomUUID(), action: "start", subjectLabel: MGMT, vm: guest });
    const reverted = ts.apply({ idempotencyKey: randomUUID(), action: "snapshot-revert", subjectLabel: MGMT, vm: guest, snapshotId });
    expect(reverted).toMatchObject({ ok: true, domain: { state: "stopped" } });
    expect(ts.apply({ idempotencyKey: randomUUID(), action: "snapshot-delete", subjectLabel: MGMT, vm: guest, snapshotId }).ok).toBe(true);
    ts.close();
    ts = toolstack(dir);
    expect(ts.snapshot().snapshots ?? []).toEqual([]);
    expect(ts.status().find((d) => d.uuid === guest.uuid)?.state).toBe("stopped");
  });

  it("keeps a sharing agreement's Argo bridge and its counters across an agent restart (journaled host state)", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "realmgate-ts-"));
    let ts = toolstack(dir);
    const MGMT_B = "system_u:system_r:realm_mgmt_t:s0:c3,c4";
    ts.apply({ idempotencyKey: randomUUID(), action: "create", subjectLabel: DOM0_LABEL, vm: vm(MGMT) });
    ts.apply({ idempotencyKey: randomUUID(), action: "create", subjectLabel: DOM0_LABEL, vm: vm(MGMT_B) });
    const [x, y] = [vm(GUEST), vm("system_u:system_r:realm_guest_t:s0:c3,c4")];
    for (const [subject, guest] of [[MGMT, x], [MGMT_B, y]] as const) {
      ts.apply({ idempotencyKey: randomUUID(), action: "create", subjectLabel: subject, vm: guest });
      ts.apply({ idempotencyKey: randomUUID(), action: "start", subjectLabel: subject, vm: guest });
    }
    const domid = (uuid: string) => ts.status().find((d) => d.uuid === uuid)!.domid;
    const [fromDomid, toDomid] = [domid(x.uuid), domid(y.uuid)];
    expect(ts.bridges({ kind: "create", body: { subjectLabel: DOM0_LABEL, id: "agr-1", fromDomid, toDomid, port: 7000, twoWay: false } }).ok).toBe(true);
    expect(ts.bridges({ kind: "send", body: { subjectLabel: MGMT, fromDomid, toDomid, port: 7000, message: "m" } }).data).toMatchObject({ delivered: true });
    ts.close();
    ts = toolstack(dir);
    expect(ts.bridges({ kind: "list", subjectLabel: DOM0_LABEL }).data).toMatchObject({ bridges: [{ id: "agr-1", fromDomid, toDomid, delivered: 1, label: "system_u:object_r:ivc_bridge_t:s0:c1.c4" }] });
    expect(ts.bridges({ kind: "send", body: { subjectLabel: MGMT, fromDomid, toDomid, port: 7000, message: "m" } }).data).toMatchObject({ delivered: true });
    // A realm's management domain may not list or remove bridges (dom0's view and dom0's object).
    expect(ts.bridges({ kind: "list", subjectLabel: MGMT })).toMatchObject({ ok: true, avc: [], data: { bridges: [] } });
    expect(ts.bridges({ kind: "destroy", body: { subjectLabel: MGMT, id: "agr-1" } })).toMatchObject({ ok: false, error: { code: "EACCES" } });
  });

  it("journals each sealed block's write counter before answering: after an agent restart a block the backend no longer holds reads as stale, not as zeros", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "realmgate-ts-"));
    let ts = toolstack(dir);
    ts.apply({ idempotencyKey: randomUUID(), action: "create", subjectLabel: DOM0_LABEL, vm: vm(MGMT) });
    const [guest, driver] = [vm(GUEST), vm("system_u:system_r:driver_domain_t:s0:c1,c2")];
    for (const d of [guest, driver]) {
      ts.apply({ idempotencyKey: randomUUID(), action: "create", subjectLabel: MGMT, vm: d });
      ts.apply({ idempotencyKey: randomUUID(), action: "start", subjectLabel: MGMT, vm: d });
    }
    const domid = (uuid: string) => ts.status().find((d) => d.uuid === uuid)!.domid;
    const disk = { id: "d1", label: "system_u:object_r:realm_disk_t:s0:c1,c2", readOnly: false };
    expect(ts.hypercall({ endpoint: "device", body: { action: "attach-disk", subjectLabel: MGMT, domid: domid(guest.uuid), disk, backendDomid: domid(driver.uuid) } }).ok).toBe(true);
    const io = { subjectLabel: MGMT, domid: domid(guest.uuid), diskId: "d1", lba: 0 };
    const data = Buffer.alloc(512, 1).toString("base64");
    expect(ts.block({ ...io, action: "write", data })).toMatchObject({ ok: true, data: { sealed: true } });
    expect(ts.block({ ...io, action: "write", data })).toMatchObject({ ok: true });
    expect(ts.block({ ...io, action: "read" })).toMatchObject({ ok: true, data: { data } });
    ts.close();
    ts = toolstack(dir); // the counter is in the journal; the simulated backend store was in the old agent's memory
    expect(ts.snapshot().blockVersions).toEqual([{ diskId: "d1", lba: 0, version: 2 }]);
    expect(ts.block({ ...io, action: "read" })).toMatchObject({ ok: false, error: { code: "EIO", message: expect.stringMatching(/^integrity: block 0 of d1 is stale: the backend returned nothing, but version 2 was written/) } });
  });

  it("keeps its boot id across a restart before its first hypercall", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "realmgate-ts-"));
    expect(toolstack(dir).bootId).toBe(toolstack(dir).bootId);
  });

  it("loses everything on a crash: new boot id, only dom0, forgotten idempotency keys", () => {
    const ts = toolstack();
    const key = randomUUID();
    ts.apply({ idempotencyKey: key, action: "create", subjectLabel: DOM0_LABEL, vm: vm(MGMT) });
    const boot = ts.bootId;
    expect(ts.crash().bootId).not.toBe(boot);
    expect(ts.status().map((d) => d.domid)).toEqual([0]);
    expect(ts.apply({ idempotencyKey: key, action: "create", subjectLabel: DOM0_LABEL, vm: vm(MGMT) }).replayed).toBe(false);
  });

  it("applies a hypercall's idempotency key once", () => {
    const ts = toolstack();
    ts.apply({ idempotencyKey: randomUUID(), action: "create", subjectLabel: DOM0_LABEL, vm: vm(MGMT) });
    const body = { idempotencyKey: randomUUID(), action: "grant-access" as const, subjectLabel: MGMT, domid: 1, granteeDomid: 0, readOnly: false };
    const first = ts.hypercall({ endpoint: "grant", body });
    const second = ts.hypercall({ endpoint: "grant", body });
    expect(second).toEqual({ ...first, replayed: true });
    expect(ts.snapshot().grants).toHaveLength(1);
  });

  it("refuses a conflicting ACM policy, keeping state and the persisted policy", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "realmgate-ts-"));
    const ts = toolstack(dir);
    for (const label of [MGMT, "system_u:system_r:realm_mgmt_t:s0:c3,c4"]) {
      const spec = vm(label);
      ts.apply({ idempotencyKey: randomUUID(), action: "create", subjectLabel: DOM0_LABEL, vm: spec });
      ts.apply({ idempotencyKey: randomUUID(), action: "start", subjectLabel: DOM0_LABEL, vm: spec });
    }
    const before = ts.snapshot();
    const reply = ts.loadAcm({ ...DEFAULT_ACM_POLICY, name: "rivals", conflictSets: [{ name: "r", types: ["realm:c1,c2", "realm:c3,c4"] }] });
    expect(reply).toMatchObject({ ok: false, error: { code: "EACCES" }, policy: "realmgate-default" });
    expect(ts.snapshot()).toEqual(before);
    expect(ts.security().acm).toEqual({ module: "chinese-wall+ste", policy: "realmgate-default" });
  });

  it("explains a decision without changing anything", () => {
    const ts = toolstack();
    const before = ts.snapshot();
    const r = ts.explain({ subject: MGMT, target: "system_u:system_r:realm_guest_t:s0:c3,c4", tclass: "domain", perms: ["unpause"] });
    expect(r).toMatchObject({ ok: true, reply: { allowed: false, denied: ["unpause"] } });
    expect(ts.snapshot()).toEqual(before);
  });

  it("upgrades the first agent version's state file (domains only) without losing a domain", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "realmgate-ts-"));
    const legacy = {
      hypervisor: {
        bootId: "old-boot",
        nextDomid: 3,
        domains: [{ domid: 2, uuid: randomUUID(), name: "g", label: GUEST, state: "running", vcpus: 1, memoryMb: 512, history: ["create", "unpause"] }],
      },
      applied: [],
    };
    writeFileSync(path.join(dir, "host-state.json"), JSON.stringify(legacy));
    const ts = toolstack(dir);
    expect(ts.bootId).toBe("old-boot");
    expect(ts.status().map((d) => [d.domid, d.state])).toEqual([[0, "running"], [2, "running"]]);
    expect(ts.snapshot().domains[1]?.selfLabel).toBe("system_u:system_r:realm_guest_self_t:s0:c1,c2");
  });
});
