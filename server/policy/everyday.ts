import type { VmState } from "./lifecycle";

/**
 * Everyday VM work (pure): what a resize may ask for, and what a snapshot holds.
 *
 * Resize: a stopped VM takes any size within the request's bounds (1–64 vCPUs, 128 MiB–256 GiB)
 * and the realm's quota. A running or paused VM keeps its domain: its memory may be ballooned
 * down to RUNNING_MEMORY_FLOOR_MB and back up to what it booted with, and its vCPUs changed up
 * to its max_vcpus (what it booted with); the hypervisor knows those ceilings and refuses
 * beyond them, naming the field (server/xen/snapshots.ts). Only what a resize adds is reserved;
 * what it gives back is released once the host confirmed it.
 */

/** The least memory a running domain may be ballooned down to (the hypervisor's floor too). */
export const RUNNING_MEMORY_FLOOR_MB = 256;

export type Size = { vcpus: number; memoryMb: number };

export type ResizeDecision =
  | { allowed: true; size: Size; adds: Size; frees: Size }
  | { allowed: false; field: "vcpus" | "memoryMb" | null; message: string };

export function decideResize(vm: { state: VmState } & Size, want: Partial<Size>): ResizeDecision {
  const size = { vcpus: want.vcpus ?? vm.vcpus, memoryMb: want.memoryMb ?? vm.memoryMb };
  if (size.vcpus === vm.vcpus && size.memoryMb === vm.memoryMb) {
    return { allowed: false, field: want.memoryMb !== undefined ? "memoryMb" : "vcpus", message: `the VM already has ${vm.vcpus} vCPU and ${vm.memoryMb} MiB: nothing to change` };
  }
  const isLive = vm.state === "running" || vm.state === "paused";
  if (isLive && size.memoryMb < RUNNING_MEMORY_FLOOR_MB) {
    return { allowed: false, field: "memoryMb", message: `memoryMb must be at least ${RUNNING_MEMORY_FLOOR_MB} while the VM runs (stop it to go lower)` };
  }
  const adds = { vcpus: Math.max(0, size.vcpus - vm.vcpus), memoryMb: Math.max(0, size.memoryMb - vm.memoryMb) };
  const frees = { vcpus: Math.max(0, vm.vcpus - size.vcpus), memoryMb: Math.max(0, vm.memoryMb - size.memoryMb) };
  return { allowed: true, size, adds, frees };
}

/**
 * A snapshot's storage, counted against the realm's disk GiB quota: the saved memory rounded
 * up to whole GiB plus a copy of every disk attached to the VM.
 */
export function snapshotSizeGb(memoryMb: number, disks: readonly { sizeGb: number }[]): number {
  return Math.ceil(memoryMb / 1024) + disks.reduce((sum, d) => sum + d.sizeGb, 0);
}

/** The run state a snapshot records (the VM is settled when one is taken). */
export function savedState(state: VmState): "running" | "paused" | "stopped" | null {
  return state === "running" || state === "paused" || state === "stopped" ? state : null;
}

export type RevertDecision = { allowed: true } | { allowed: false; message: string };

/**
 * Whether a VM may go back to a snapshot: the snapshot must be complete, and the VM the size it
 * was then (a restored domain gets the saved size; resizing it back is the member's choice, and
 * is quota-checked, rather than a side effect of a revert).
 */
export function decideRevert(vm: Size, snapshot: { status: string; vcpus: number; memoryMb: number; name: string }): RevertDecision {
  if (snapshot.status !== "ready") return { allowed: false, message: `snapshot ${snapshot.name} is ${snapshot.status === "creating" ? "still being taken" : "being deleted"}` };
  if (snapshot.vcpus !== vm.vcpus || snapshot.memoryMb !== vm.memoryMb) {
    return {
      allowed: false,
      message: `the VM was resized since snapshot ${snapshot.name} (then ${snapshot.vcpus} vCPU, ${snapshot.memoryMb} MiB; now ${vm.vcpus} vCPU, ${vm.memoryMb} MiB): resize it back first`,
    };
  }
  return { allowed: true };
}

/** A default snapshot name from the time it was taken: "snap-20261202-073015". */
export function defaultSnapshotName(at: Date): string {
  return `snap-${at.toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 15)}`;
}
