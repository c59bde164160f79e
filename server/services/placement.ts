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
  /** A destination the member chose: placement must allow it, and it is the only candidate. */
  onlyHostId?: string;
};

export type PlacementDecision = { ok: true; hostId: string; hostName: string } | { ok: false; reason: string };

/** Whether a host may take the need: online (if required), not the source, no conflicting realm, room for it. */
function accepts(h: HostCapacity, need: PlacementNeed, requireOnline: boolean): boolean {
  if (requireOnline && h.status !== "online") return false;
  if (h.id === need.excludeHostId) return false;
  const conflicts = need.conflictsWith;
  if (conflicts && [...h.realms].some((r) => conflicts.has(r))) return false;
  return h.memoryMb - h.usedMemoryMb >= need.memoryMb && h.vcpus - h.usedVcpus >= need.vcpus;
}

const byFreeMemory = (a: HostCapacity, b: HostCapacity) => b.memoryMb - b.usedMemoryMb - (a.memoryMb - a.usedMemoryMb) || a.name.localeCompare(b.name);

export const CHOSEN_HOST_REFUSED = "the chosen host is not one placement allows for this VM (choose another, or automatic)";

export function choosePlacement(
  hosts: HostCapacity[],
  need: PlacementNeed,
  options: { requireOnline: boolean } = { requireOnline: true },
): PlacementDecision {
  const ranked = rankPlacements(hosts, need, options);
  if (!ranked.ok) return ranked;
  const best = ranked.hosts[0]!;
  return { ok: true, hostId: best.id, hostName: best.name };
}

/**
 * Every host placement would accept for the need, best first (most free memory, then name), or
 * the refusal choosePlacement gives. A placement that finds its first choice taken by a
 * concurrent one (services/host-claim.ts) falls back along this order.
 */
export function rankPlacements(
  hosts: HostCapacity[],
  need: PlacementNeed,
  options: { requireOnline: boolean } = { requireOnline: true },
): { ok: true; hosts: HostCapacity[] } | { ok: false; reason: string } {
  if (need.onlyHostId !== undefined) {
    // One answer whether the chosen host is unknown, offline, walled off or full: a member
    // learns no more about the fleet than the list of destinations it was offered.
    const chosen = hosts.find((h) => h.id === need.onlyHostId);
    if (!chosen || !accepts(chosen, need, options.requireOnline)) return { ok: false, reason: CHOSEN_HOST_REFUSED };
    return { ok: true, hosts: [chosen] };
  }
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
  const fitting = candidates.filter((h) => accepts(h, need, false));
  if (fitting.length === 0) {
    return { ok: false, reason: `no online host has ${need.vcpus} vCPU and ${need.memoryMb} MiB free (capacity)` };
  }
  return { ok: true, hosts: fitting.sort(byFreeMemory) };
}

/**
 * Every host placement would accept for the need (online, not the source, no conflicting realm,
 * room for it), most free memory first: the destinations a member may choose for a migration.
 * Only names and ids leave: not capacity, nor which hosts a conflicting realm runs on.
 */
export function allowedDestinations(hosts: HostCapacity[], need: Omit<PlacementNeed, "onlyHostId">): { id: string; name: string }[] {
  return hosts
    .filter((h) => accepts(h, need, true))
    .sort(byFreeMemory)
    .map((h) => ({ id: h.id, name: h.name }));
}
