import { randomUUID } from "node:crypto";
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { DeviceRequest, DomainAction } from "../contracts/agent";
import { Toolstack } from "../agent/toolstack";
import { ACTION_PERMISSION, LIFECYCLE_ACTIONS, acceptedFrom } from "../policy/lifecycle";
import { PERMISSIONS } from "../policy/permissions";
import { planSteps } from "../policy/plan";
import { DEFAULT_ACM_POLICY, createSecurityModule } from "../xen";
import { DOM0_LABEL, SecurityServer, loadRealmPolicy, managementLabel, realmDiskLabel, realmLevel, realmNetLabel, vmLabel } from "../xsm";
import { explainHypervisor } from "./explain";

/**
 * Explain and enforcement must never disagree: for every permission, every kind of VM and a
 * subject of the same or another realm, explain's hypervisor verdict equals what the agent's
 * toolstack does when it is sent the worker's plan for that action, on a host set up as the
 * platform sets one up.
 */

const policy = loadRealmPolicy();
const A = { categoryLow: 1, categoryHigh: 2 };
const B = { categoryLow: 3, categoryHigh: 4 };

function host() {
  return new Toolstack(createSecurityModule(new SecurityServer(policy)), {
    stateDir: mkdtempSync(path.join(os.tmpdir(), "realmgate-explain-")),
    acm: { module: "none", policy: DEFAULT_ACM_POLICY },
  });
}

/** Enforcement: the plan's requests, sent as the worker sends them; true when every step succeeded. */
function enforce(action: (typeof LIFECYCLE_ACTIONS)[number], subject: "A" | "B", kind: "guest" | "management"): boolean {
  const source = host();
  const destination = host();
  // Each realm's management domain, built and run by dom0 — unless the VM is realm A's
  // management domain itself, which is then built below.
  for (const ts of [source, destination]) {
    for (const realm of kind === "management" ? [B] : [A, B]) {
      const mgmt = { uuid: randomUUID(), name: "realm-mgmt", label: managementLabel(realm), vcpus: 1, memoryMb: 256 };
      ts.apply({ idempotencyKey: randomUUID(), action: "create", subjectLabel: DOM0_LABEL, vm: mgmt });
      ts.apply({ idempotencyKey: randomUUID(), action: "start", subjectLabel: DOM0_LABEL, vm: mgmt });
    }
  }
  // The VM, in realm A, in the state the action expects: a guest built by its realm, a
  // management domain by dom0.
  const vm = { uuid: randomUUID(), name: "vm", label: vmLabel(kind, A), vcpus: 1, memoryMb: 512 };
  const owner = kind === "management" ? DOM0_LABEL : managementLabel(A);
  const state = acceptedFrom(action).find((s) => s === "stopped" || s === "running" || s === "paused") ?? "stopped";
  if (action !== "create") {
    const built = source.apply({ idempotencyKey: randomUUID(), action: "create", subjectLabel: owner, vm });
    expect(built.ok).toBe(true);
    if (state !== "stopped") source.apply({ idempotencyKey: randomUUID(), action: "start", subjectLabel: owner, vm });
    if (state === "paused") source.apply({ idempotencyKey: randomUUID(), action: "pause", subjectLabel: owner, vm });
  }
  const domid = () => source.status().find((d) => d.uuid === vm.uuid)?.domid ?? 0;
  const level = realmLevel(A);
  const device = (action: DeviceRequest["action"], subjectLabel: string): DeviceRequest => {
    const envelope = { idempotencyKey: randomUUID(), subjectLabel, domid: domid() };
    if (action === "attach-disk") return { ...envelope, action, disk: { id: "d1", label: realmDiskLabel(level), readOnly: false } };
    if (action === "detach-disk") return { ...envelope, action, diskId: "d1" };
    if (action === "attach-net") return { ...envelope, action, network: { id: "n1", label: realmNetLabel(level) } };
    return { ...envelope, action, networkId: "n1" };
  };
  if (action === "detach-disk" || action === "detach-net") {
    expect(source.hypercall({ endpoint: "device", body: device(action === "detach-disk" ? "attach-disk" : "attach-net", owner) }).ok).toBe(true);
  }
  // Snapshots: a revert or delete needs one, taken by the VM's own realm (or dom0).
  const snapshotId = randomUUID();
  if (action === "revert" || action === "delete-snapshot") {
    expect(source.apply({ idempotencyKey: randomUUID(), action: "snapshot-create", subjectLabel: owner, vm, snapshotId }).ok).toBe(true);
  }
  const subjectLabel = managementLabel(subject === "A" ? A : B);
  return planSteps(action, {}).every((step) => {
    if ("device" in step) return source.hypercall({ endpoint: "device", body: device(step.device, subjectLabel) }).ok;
    const ts = step.on === "destination" ? destination : source;
    return ts.apply({ idempotencyKey: randomUUID(), action: step.action as DomainAction, subjectLabel, vm, snapshotId }).ok;
  });
}

describe("explain agrees with enforcement", () => {
  const cases = LIFECYCLE_ACTIONS.flatMap((action) =>
    (["A", "B"] as const).flatMap((subject) => (["guest", "management"] as const).map((kind) => [action, subject, kind] as const)),
  );

  it.each(cases)("%s by realm %s on a %s VM of realm A", (action, subject, kind) => {
    const permission = ACTION_PERMISSION[action];
    const explained = explainHypervisor(subject === "A" ? A : B, { kind, realm: A }, permission);
    const actions = LIFECYCLE_ACTIONS.filter((a) => ACTION_PERMISSION[a] === permission);
    expect(explained.allowed).toBe(actions.every((a) => enforce(a, subject, kind)));
  });

  it("allows the VM's own realm every action on its guest (positive control)", () => {
    for (const action of LIFECYCLE_ACTIONS) expect(explainHypervisor(A, { kind: "guest", realm: A }, ACTION_PERMISSION[action]).allowed, action).toBe(true);
  });

  it("explains a cross-realm denial with the rule and the AVC line enforcement writes", () => {
    const explained = explainHypervisor(B, { kind: "guest", realm: A }, "vm.start");
    expect(explained.allowed).toBe(false);
    expect(explained.reason).toMatch(/^unpause: constraint/);
    expect(explained.avc).toEqual([
      `avc:  denied  { unpause } for scontext=${managementLabel(B)} tcontext=${vmLabel("guest", A)} tclass=domain`,
    ]);
  });

  it("says so for a permission that issues no hypercall", () => {
    const silent = PERMISSIONS.filter((p) => !LIFECYCLE_ACTIONS.some((a) => ACTION_PERMISSION[a] === p));
    expect(silent).toContain("vm.read");
    for (const p of silent) expect(explainHypervisor(B, { kind: "guest", realm: A }, p)).toMatchObject({ allowed: true, reason: `${p} issues no hypercall` });
  });
});
