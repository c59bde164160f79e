/**
 * Placement (pure): the online host with the most free memory that fits the VM. A refusal says
 * which constraint refused.
 */

export type HostCapacity = {
  id: string;
  name: string;
  status: "online" | "unreachable";
  vcpus: number;
  memoryMb: number;
  usedVcpus: number;
  usedMemoryMb: number;
};

export type PlacementDecision = { ok: true; hostId: string; hostName: string } | { ok: false; reason: string };

export function choosePlacement(
  hosts: HostCapacity[],
  need: { vcpus: number; memoryMb: number },
  options: { requireOnline: boolean } = { requireOnline: true },
): PlacementDecision {
  if (hosts.length === 0) return { ok: false, reason: "no hosts are registered" };
  // Bootstrapping (seed) places before agents report in; the operation then waits for the host.
  const online = options.requireOnline ? hosts.filter((h) => h.status === "online") : hosts;
  if (online.length === 0) return { ok: false, reason: "no host is online" };
  const fitting = online.filter(
    (h) => h.memoryMb - h.usedMemoryMb >= need.memoryMb && h.vcpus - h.usedVcpus >= need.vcpus,
  );
  if (fitting.length === 0) {
    return {
      ok: false,
      reason: `no online host has ${need.vcpus} vCPU and ${need.memoryMb} MiB free (capacity)`,
    };
  }
  fitting.sort((a, b) => b.memoryMb - b.usedMemoryMb - (a.memoryMb - a.usedMemoryMb) || a.name.localeCompare(b.name));
  const best = fitting[0]!;
  return { ok: true, hostId: best.id, hostName: best.name };
}
