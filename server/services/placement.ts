import type { HostCapacity } from "../repositories/hosts";

/**
 * Placement (pure): among the hosts that may take the VM, the one with the most free memory.
 * Hard constraints first (online, not the host it leaves, ACM Chinese Wall between realms),
 * then capacity; a refusal names the constraint that refused it.
 */

export type PlacementNeed = {
  vcpus: number;
  memoryMb: number;
  /** Realms the VM's realm may never share a host with (Chinese Wall conflict sets). */
  conflictsWith?: ReadonlySet<string>;
  /** A migration's source: never the destination. */
  excludeHostId?: string;
};

export type PlacementDecision = { ok: true; hostId: string; hostName: string } | { ok: false; reason: string };

export function choosePlacement(
  hosts: HostCapacity[],
  need: PlacementNeed,
  options: { requireOnline: boolean } = { requireOnline: true },
): PlacementDecision {
  if (hosts.length === 0) return { ok: false, reason: "no hosts are registered" };
  // Bootstrapping (seed) places before agents report in; the operation then waits for the host.
  let candidates = options.requireOnline ? hosts.filter((h) => h.status === "online") : hosts;
  if (candidates.length === 0) return { ok: false, reason: "no host is online" };
  if (need.excludeHostId) {
    candidates = candidates.filter((h) => h.id !== need.excludeHostId);
    if (candidates.length === 0) return { ok: false, reason: "no other online host to move to" };
  }
  const conflicts = need.conflictsWith;
  if (conflicts && conflicts.size > 0) {
    const walled = candidates.filter((h) => [...h.realms].some((r) => conflicts.has(r)));
    candidates = candidates.filter((h) => !walled.includes(h));
    if (candidates.length === 0) {
      return { ok: false, reason: `Chinese Wall: a conflicting realm runs on every candidate host (${walled.map((h) => h.name).join(", ")})` };
    }
  }
  const fitting = candidates.filter((h) => h.memoryMb - h.usedMemoryMb >= need.memoryMb && h.vcpus - h.usedVcpus >= need.vcpus);
  if (fitting.length === 0) {
    return { ok: false, reason: `no online host has ${need.vcpus} vCPU and ${need.memoryMb} MiB free (capacity)` };
  }
  fitting.sort((a, b) => b.memoryMb - b.usedMemoryMb - (a.memoryMb - a.usedMemoryMb) || a.name.localeCompare(b.name));
  const best = fitting[0]!;
  return { ok: true, hostId: best.id, hostName: best.name };
}
