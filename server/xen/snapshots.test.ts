import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { attach } from "./devices";
import { domainOperation } from "./domains";
import { lifecycle } from "./domains";
import { GUEST_A, MGMT_A, MGMT_B, refused, twoRealms } from "./test-host";

/** Snapshots and resize through the hypervisor's hooks, with the realm policy's MCS constraints. */

const DISK_A = "system_u:object_r:realm_disk_t:s0:c1,c2";

function guest(host: ReturnType<typeof twoRealms>, domid: number) {
  const d = host.hv.snapshot().domains.find((x) => x.domid === domid)!;
  return { uuid: d.uuid, name: d.name, label: d.label, vcpus: d.vcpus, memoryMb: d.memoryMb };
}

describe("snapshots of a domain", () => {
  it("saves a running domain under the save checks, with the management domain as subject, and keeps it running", () => {
    const host = twoRealms();
    const spec = guest(host, host.guestA);
    const id = randomUUID();
    const r = host.hv.run((ctx) => domainOperation(ctx, MGMT_A, "domain.snapshot-create", spec, undefined, id));
    expect(r.domain?.state).toBe("running");
    const snap = host.hv.snapshot().snapshots!.find((s) => s.id === id)!;
    expect(snap).toMatchObject({ uuid: spec.uuid, label: GUEST_A, state: "running", vcpus: 1, memoryMb: 512 });
  });

  it("denies a foreign realm's management domain taking a snapshot (MCS), with an AVC line and no change", () => {
    const host = twoRealms();
    const spec = guest(host, host.guestA);
    const r = refused(host.hv, (ctx) => domainOperation(ctx, MGMT_B, "domain.snapshot-create", spec, undefined, randomUUID()));
    expect(r.error.code).toBe("EACCES");
    expect(r.avc.join("\n")).toMatch(/denied .* tclass=mmu/);
    expect(r.after).toEqual(r.before);
  });

  it("reverts a running domain to a stopped snapshot: it ends stopped, a new domain, its disks re-attached", () => {
    const host = twoRealms();
    // A stopped guest of realm A with a disk, snapshotted while stopped, then started.
    const stopped = host.create(MGMT_A, GUEST_A, { start: false });
    host.hv.run((ctx) => attach(ctx, MGMT_A, stopped, { kind: "vbd", id: "disk-1", label: DISK_A, readOnly: false }));
    const spec = guest(host, stopped);
    const id = randomUUID();
    host.hv.run((ctx) => domainOperation(ctx, MGMT_A, "domain.snapshot-create", spec, undefined, id));
    host.hv.run((ctx) => lifecycle(ctx, MGMT_A, "domain.start", stopped));
    host.hv.drainAvc();
    const r = host.hv.run((ctx) => domainOperation(ctx, MGMT_A, "domain.snapshot-revert", spec, undefined, id));
    expect(r.domain).toMatchObject({ uuid: spec.uuid, state: "stopped" });
    expect(r.domain!.domid).not.toBe(stopped);
    const state = host.hv.snapshot();
    expect(state.domains.some((d) => d.domid === stopped)).toBe(false);
    expect(state.devices.filter((d) => d.domid === r.domain!.domid).map((d) => d.resourceId)).toEqual(["disk-1"]);
  });

  it("reverts to a paused snapshot: the restored domain is paused", () => {
    const host = twoRealms();
    host.hv.run((ctx) => lifecycle(ctx, MGMT_A, "domain.pause", host.guestA));
    const spec = guest(host, host.guestA);
    const id = randomUUID();
    host.hv.run((ctx) => domainOperation(ctx, MGMT_A, "domain.snapshot-create", spec, undefined, id));
    host.hv.run((ctx) => lifecycle(ctx, MGMT_A, "domain.unpause", host.guestA));
    const r = host.hv.run((ctx) => domainOperation(ctx, MGMT_A, "domain.snapshot-revert", spec, undefined, id));
    expect(r.domain?.state).toBe("paused");
  });

  it("denies a foreign realm reverting to or deleting another realm's snapshot, changing nothing", () => {
    const host = twoRealms();
    const spec = guest(host, host.guestA);
    const id = randomUUID();
    host.hv.run((ctx) => domainOperation(ctx, MGMT_A, "domain.snapshot-create", spec, undefined, id));
    host.hv.drainAvc();
    for (const op of ["domain.snapshot-revert", "domain.snapshot-delete"] as const) {
      const r = refused(host.hv, (ctx) => domainOperation(ctx, MGMT_B, op, spec, undefined, id));
      expect(r.error.code, op).toBe("EACCES");
      expect(r.after, op).toEqual(r.before);
    }
  });

  it("answers a snapshot of another VM like a missing one (ENOENT)", () => {
    const host = twoRealms();
    const a = guest(host, host.guestA);
    const id = randomUUID();
    host.hv.run((ctx) => domainOperation(ctx, MGMT_A, "domain.snapshot-create", a, undefined, id));
    const other = guest(host, host.create(MGMT_A, GUEST_A));
    expect(refused(host.hv, (ctx) => domainOperation(ctx, MGMT_A, "domain.snapshot-revert", other, undefined, id)).error.code).toBe("ENOENT");
    expect(refused(host.hv, (ctx) => domainOperation(ctx, MGMT_A, "domain.snapshot-revert", a, undefined, randomUUID())).error.code).toBe("ENOENT");
  });

  it("deletes a snapshot (its realm's management domain), even once the domain is gone; it survives a host crash", () => {
    const host = twoRealms();
    const spec = guest(host, host.guestA);
    const kept = randomUUID();
    const dropped = randomUUID();
    host.hv.run((ctx) => domainOperation(ctx, MGMT_A, "domain.snapshot-create", spec, undefined, kept));
    host.hv.run((ctx) => domainOperation(ctx, MGMT_A, "domain.snapshot-create", spec, undefined, dropped));
    host.hv.crash("boot-2");
    expect(host.hv.snapshot().snapshots!.map((s) => s.id).sort()).toEqual([kept, dropped].sort());
    host.hv.run((ctx) => domainOperation(ctx, MGMT_A, "domain.snapshot-delete", spec, undefined, dropped));
    expect(host.hv.snapshot().snapshots!.map((s) => s.id)).toEqual([kept]);
  });
});

describe("resizing a domain", () => {
  it("resizes a stopped domain freely; its ceilings move with it", () => {
    const host = twoRealms();
    const spec = guest(host, host.create(MGMT_A, GUEST_A, { start: false }));
    const r = host.hv.run((ctx) => domainOperation(ctx, MGMT_A, "domain.resize", { ...spec, vcpus: 4, memoryMb: 2048 }));
    expect(r.domain).toMatchObject({ vcpus: 4, memoryMb: 2048, maxVcpus: 4, maxMemoryMb: 2048 });
  });

  it("lets a running domain shrink and grow back within its ceilings, and names the field beyond them", () => {
    const host = twoRealms();
    const spec = guest(host, host.guestA); // 1 vCPU, 512 MiB
    const down = host.hv.run((ctx) => domainOperation(ctx, MGMT_A, "domain.resize", { ...spec, memoryMb: 256 }));
    expect(down.domain).toMatchObject({ memoryMb: 256, maxMemoryMb: 512 });
    host.hv.run((ctx) => domainOperation(ctx, MGMT_A, "domain.resize", { ...spec, memoryMb: 512 }));
    expect(refused(host.hv, (ctx) => domainOperation(ctx, MGMT_A, "domain.resize", { ...spec, vcpus: 2 })).error.message).toMatch(/^vcpus: at most 1/);
    expect(refused(host.hv, (ctx) => domainOperation(ctx, MGMT_A, "domain.resize", { ...spec, memoryMb: 1024 })).error.message).toMatch(/^memoryMb: at most 512/);
    expect(refused(host.hv, (ctx) => domainOperation(ctx, MGMT_A, "domain.resize", { ...spec, memoryMb: 128 })).error.message).toMatch(/^memoryMb: at least 256/);
  });

  it("denies a foreign realm resizing the domain (domain max_vcpus setdomainmaxmem under MCS)", () => {
    const host = twoRealms();
    const spec = guest(host, host.guestA);
    const r = refused(host.hv, (ctx) => domainOperation(ctx, MGMT_B, "domain.resize", { ...spec, memoryMb: 256 }));
    expect(r.error.code).toBe("EACCES");
    expect(r.error.message).toMatch(/max_vcpus setdomainmaxmem/);
    expect(r.after).toEqual(r.before);
  });
});
