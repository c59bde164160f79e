import { decideTransition } from "../policy/lifecycle";
import type { HostCapacity } from "../repositories/hosts";
import type { CoLocatedVm } from "../repositories/wall-violations";
import { choosePlacement } from "./placement";

/**
 * The plan that satisfies a new Chinese Wall between realms A and B that share hosts now (pure):
 * on each shared host, one realm's VMs there move away, each to a host chosen by placement
 * (capacity, online, every wall of the moving realm, the new one included). For each host the
 * side with fewer VMs to move goes first (less memory on a tie); if it cannot leave, the other
 * side is tried. Moves are simulated as they are planned, so two VMs never both take the last
 * free capacity of a host and a realm moved onto a host walls that host off for its rivals.
 */

export type WallMove = {
  vmId: string;
  vm: string;
  realmId: string;
  org: string;
  kind: CoLocatedVm["kind"];
  fromHostId: string;
  fromHost: string;
  toHostId: string;
  toHost: string;
};

export type WallPlan = { ok: true; moves: WallMove[] } | { ok: false; reason: string };

type SimHost = Omit<HostCapacity, "realms"> & { realms: Set<string> };

export function planWall(
  hosts: HostCapacity[],
  coLocated: CoLocatedVm[],
  /** Every realm each of the two realms may not share a host with (the new wall included). */
  conflictsOf: ReadonlyMap<string, ReadonlySet<string>>,
): WallPlan {
  let sim: SimHost[] = hosts.map((h) => ({ ...h, realms: new Set(h.realms) }));
  const moves: WallMove[] = [];
  const sharedHosts = [...new Set(coLocated.map((v) => v.hostId))];
  for (const hostId of sharedHosts) {
    const here = coLocated.filter((v) => v.hostId === hostId);
    const sides = [...new Set(here.map((v) => v.realmId))].map((realmId) => here.filter((v) => v.realmId === realmId));
    sides.sort((x, y) => x.length - y.length || memory(x) - memory(y));
    const refusals: string[] = [];
    let planned = false;
    for (const side of sides) {
      const attempt = moveAway(sim, side, conflictsOf.get(side[0]!.realmId) ?? new Set());
      if (attempt.ok) {
        sim = attempt.sim;
        moves.push(...attempt.moves);
        planned = true;
        break;
      }
      refusals.push(`moving ${side[0]!.org}'s VMs off ${side[0]!.host}: ${attempt.reason}`);
    }
    if (!planned) return { ok: false, reason: refusals.join("; ") };
  }
  return { ok: true, moves };
}

const memory = (vms: CoLocatedVm[]) => vms.reduce((sum, v) => sum + v.memoryMb, 0);

function moveAway(
  hosts: SimHost[],
  vms: CoLocatedVm[],
  conflictsWith: ReadonlySet<string>,
): { ok: true; sim: SimHost[]; moves: WallMove[] } | { ok: false; reason: string } {
  const sim = hosts.map((h) => ({ ...h, realms: new Set(h.realms) }));
  const moves: WallMove[] = [];
  // The biggest first: the small ones fit in what is left.
  for (const vm of [...vms].sort((a, b) => b.memoryMb - a.memoryMb || a.name.localeCompare(b.name))) {
    if (vm.isBusy) return { ok: false, reason: `${vm.name} has an operation in flight` };
    const transition = decideTransition("migrate", vm.observedState);
    if (!transition.allowed) return { ok: false, reason: `${vm.name}: ${transition.reason}` };
    const placement = choosePlacement(sim, { vcpus: vm.vcpus, memoryMb: vm.memoryMb, conflictsWith, excludeHostId: vm.hostId });
    if (!placement.ok) return { ok: false, reason: `${vm.name}: ${placement.reason}` };
    const to = sim.find((h) => h.id === placement.hostId)!;
    to.usedVcpus += vm.vcpus;
    to.usedMemoryMb += vm.memoryMb;
    to.realms.add(vm.realmId);
    const from = sim.find((h) => h.id === vm.hostId);
    if (from) {
      from.usedVcpus -= vm.vcpus;
      from.usedMemoryMb -= vm.memoryMb;
    }
    moves.push({ vmId: vm.vmId, vm: vm.name, realmId: vm.realmId, org: vm.org, kind: vm.kind, fromHostId: vm.hostId, fromHost: vm.host, toHostId: to.id, toHost: to.name });
  }
  // Every VM of this realm on the host has left: the host no longer walls its rivals off.
  const source = sim.find((h) => h.id === vms[0]!.hostId);
  source?.realms.delete(vms[0]!.realmId);
  return { ok: true, sim, moves };
}

/** The plan in words, for a refusal's message. */
export function describePlan(plan: WallPlan): string {
  if (!plan.ok) return `no plan satisfies it (${plan.reason})`;
  return `the plan: ${plan.moves.map((m) => `move ${m.org}'s ${m.vm} from ${m.fromHost} to ${m.toHost}`).join(", ")}`;
}
