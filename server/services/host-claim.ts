import type { Tx } from "../db/client";
import { hostLockKey, lockHost, unsafeHostCapacity, type HostCapacity } from "../repositories/hosts";
import { rankPlacements, type PlacementDecision, type PlacementNeed } from "./placement";

/**
 * Places a VM and holds the host for it until the caller's transaction ends. Threat: two
 * placements racing onto one host, both reading it before either commits, and so both taking
 * its last free capacity, or a realm landing next to a rival it is walled off from (ACM Chinese
 * Wall) because the rival's VM was placed there a moment before.
 *
 * Only placements on the same host take turns (repositories/hosts.ts: the fleet lock shared, the
 * host's lock exclusive, both until COMMIT): the decision is made on a snapshot of the fleet,
 * then the chosen host is locked and read again, and the placement stands only if that fresh
 * read still accepts it; otherwise the next host in placement's order is tried. A host someone
 * else holds is skipped while another candidate is free, so concurrent placements spread over
 * the fleet instead of queueing on its emptiest host. Waiting happens in one order (a host's
 * lock key above every key already held), so two placements never wait for each other in a
 * cycle; a placement that could only wait against that order gives up (unavailable: retry).
 *
 * The caller inserts the VM with the chosen host in the same transaction, after this returns.
 * `platform` reads the fleet (a tenant transaction cannot): the caller's platform transaction
 * itself, or the platform client, whose statements see what others committed.
 */
export async function claimHost(
  tx: Tx,
  platform: Tx,
  hosts: HostCapacity[],
  need: PlacementNeed & { conflictsWith: ReadonlySet<string> },
  options: { requireOnline: boolean },
): Promise<PlacementDecision & { busy?: boolean }> {
  let view = hosts;
  const held = new Set<number>();
  const maxHeld = () => Math.max(-Infinity, ...held);
  // Each round either places, or learns one host's fresh state (one fewer stale entry).
  for (let round = 0; round <= hosts.length; round++) {
    const ranked = rankPlacements(view, need, options);
    if (!ranked.ok) return ranked;
    // A host already held by this transaction needs no second lock; else the first free one.
    let chosen: HostCapacity | undefined = ranked.hosts.find((h) => held.has(hostLockKey(h.id)));
    if (!chosen) {
      for (const h of ranked.hosts) {
        if (await lockHost(tx, h.id, false)) {
          chosen = h;
          break;
        }
      }
    }
    if (!chosen) {
      // Every candidate is being placed on right now: wait for the best one we may wait for.
      chosen = ranked.hosts.find((h) => hostLockKey(h.id) > maxHeld());
      if (!chosen) return { ok: false, reason: "placement is busy on every host that fits: try again", busy: true };
      await lockHost(tx, chosen.id, true);
    }
    const host = chosen;
    held.add(hostLockKey(host.id));
    const fresh = await unsafeHostCapacity(platform, host.id, need.conflictsWith);
    if (fresh && rankPlacements([fresh], { ...need, onlyHostId: undefined }, options).ok) return { ok: true, hostId: host.id, hostName: host.name };
    // Taken meanwhile (or gone): decide again with what it holds now.
    view = fresh ? view.map((h) => (h.id === host.id ? fresh : h)) : view.filter((h) => h.id !== host.id);
  }
  return { ok: false, reason: "placement is busy on every host that fits: try again", busy: true };
}
