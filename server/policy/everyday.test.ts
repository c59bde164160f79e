import { describe, expect, it } from "vitest";
import { decideResize, decideRevert, defaultSnapshotName, savedState, snapshotSizeGb } from "./everyday";

describe("resize rules", () => {
  const stopped = { state: "stopped" as const, vcpus: 2, memoryMb: 1024 };
  const running = { ...stopped, state: "running" as const };

  it("lets a stopped VM take any size: what grows is reserved, what shrinks is given back", () => {
    expect(decideResize(stopped, { vcpus: 4, memoryMb: 512 })).toEqual({
      allowed: true,
      size: { vcpus: 4, memoryMb: 512 },
      adds: { vcpus: 2, memoryMb: 0 },
      frees: { vcpus: 0, memoryMb: 512 },
    });
    expect(decideResize(stopped, { memoryMb: 128 })).toMatchObject({ allowed: true, size: { vcpus: 2, memoryMb: 128 } });
  });

  it("refuses a running or paused VM's memory below the balloon floor, naming the field", () => {
    for (const vm of [running, { ...stopped, state: "paused" as const }]) {
      expect(decideResize(vm, { memoryMb: 255 })).toEqual({ allowed: false, field: "memoryMb", message: "memoryMb must be at least 256 while the VM runs (stop it to go lower)" });
      expect(decideResize(vm, { memoryMb: 256 })).toMatchObject({ allowed: true });
    }
  });

  it("leaves a running VM's ceilings to the hypervisor (it knows max_vcpus and maxmem)", () => {
    expect(decideResize(running, { vcpus: 8, memoryMb: 4096 })).toMatchObject({ allowed: true, adds: { vcpus: 6, memoryMb: 3072 } });
  });

  it("refuses a resize that changes nothing", () => {
    expect(decideResize(stopped, { vcpus: 2 })).toMatchObject({ allowed: false, field: "vcpus", message: expect.stringMatching(/nothing to change/) });
    expect(decideResize(stopped, {})).toMatchObject({ allowed: false });
  });
});

describe("snapshot rules", () => {
  it("counts the saved memory in whole GiB plus a copy of every attached disk", () => {
    expect(snapshotSizeGb(512, [])).toBe(1);
    expect(snapshotSizeGb(1024, [])).toBe(1);
    expect(snapshotSizeGb(1025, [{ sizeGb: 10 }, { sizeGb: 3 }])).toBe(15);
  });

  it("records only settled run states", () => {
    expect(["running", "paused", "stopped", "starting", "failed"].map((s) => savedState(s as never))).toEqual(["running", "paused", "stopped", null, null]);
  });

  it("reverts only to a complete snapshot of a VM the size it was then", () => {
    const snap = { name: "s1", status: "ready", vcpus: 1, memoryMb: 512 };
    expect(decideRevert({ vcpus: 1, memoryMb: 512 }, snap)).toEqual({ allowed: true });
    expect(decideRevert({ vcpus: 1, memoryMb: 512 }, { ...snap, status: "creating" })).toEqual({ allowed: false, message: "snapshot s1 is still being taken" });
    expect(decideRevert({ vcpus: 1, memoryMb: 512 }, { ...snap, status: "deleting" })).toEqual({ allowed: false, message: "snapshot s1 is being deleted" });
    expect(decideRevert({ vcpus: 2, memoryMb: 512 }, snap)).toMatchObject({ allowed: false, message: expect.stringMatching(/resized since snapshot s1 .*resize it back first/) });
  });

  it("names a snapshot for the time it was taken", () => {
    expect(defaultSnapshotName(new Date("2026-12-02T07:30:15.123Z"))).toBe("snap-20261202-073015");
  });
});
