import type { Tx } from "../db/client";
import { REALM_COUNT_CAP, unsafeCountHostRealms, unsafeListHostRealms, type FleetRealm } from "../repositories/fleet";
import { unsafeListHostOverview, type HostOverview } from "../repositories/hosts";
import type { Page, PageRequest } from "../repositories/pagination";
import { unsafeWallViolationsOnHosts, type WallViolation } from "../repositories/wall-violations";
import { realmLevel } from "../xsm";

/**
 * The fleet map (operators): hosts × realms × VMs. For a page of hosts: capacity and use, the
 * realms running there (busiest first, at most REALMS_PER_HOST each, with how many more), and
 * every Chinese Wall broken on the host (both realms of a conflict pair have VMs there).
 */

export const REALMS_PER_HOST = 24;

export type FleetHost = HostOverview & {
  realms: (Omit<FleetRealm, "hostId"> & { category: string })[];
  /** Realms on the host beyond those listed (counted up to REALM_COUNT_CAP). */
  moreRealms: number;
  /** The count stopped at its cap: there are at least moreRealms more. */
  moreRealmsAtLeast: boolean;
  violations: Omit<WallViolation, "hostId">[];
};

export async function fleetMap(platform: Tx, page: PageRequest): Promise<Page<FleetHost>> {
  const hosts = await unsafeListHostOverview(platform, page);
  const ids = hosts.items.map((h) => h.id);
  const [realms, counts, violations] = await Promise.all([
    unsafeListHostRealms(platform, ids, REALMS_PER_HOST),
    unsafeCountHostRealms(platform, ids),
    unsafeWallViolationsOnHosts(platform, ids),
  ]);
  return {
    nextCursor: hosts.nextCursor,
    items: hosts.items.map((host) => {
      const listed = realms
        .filter((r) => r.hostId === host.id)
        .map(({ hostId: _, ...realm }) => ({ ...realm, category: realmLevel(realm) }));
      return {
        ...host,
        realms: listed,
        moreRealms: Math.max(0, (counts.get(host.id) ?? 0) - listed.length),
        moreRealmsAtLeast: (counts.get(host.id) ?? 0) >= REALM_COUNT_CAP,
        violations: violations.filter((v) => v.hostId === host.id).map(({ hostId: _, ...violation }) => violation),
      };
    }),
  };
}
