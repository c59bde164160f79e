import type { Tx } from "../db/client";
import { unsafeConflictingRealms } from "../repositories/conflicts";
import { unsafeListHostCapacity } from "../repositories/hosts";
import { allowedDestinations } from "./placement";

/**
 * The hosts a member may choose as a migration's destination: those placement would accept for
 * the VM now (online, not its host, no realm it is walled off from, room for it). Threat: a
 * tenant mapping the fleet (which hosts a rival realm runs on, how full each is): only the
 * names and ids of the allowed hosts leave, read fleet-wide through the platform client as
 * placement itself does; the VM was loaded inside the caller's realm by the procedure chain.
 * The choice is checked again, under the placement lock, when the migration is requested.
 */
export async function migrationDestinations(
  platform: Tx,
  vm: { realmId: string; kind: string; vcpus: number; memoryMb: number; host: { id: string } | null },
): Promise<{ id: string; name: string }[]> {
  // The platform runs the management VM: members choose nothing for it.
  if (vm.kind === "management") return [];
  const conflictsWith = await unsafeConflictingRealms(platform, vm.realmId);
  return allowedDestinations(await unsafeListHostCapacity(platform, conflictsWith), {
    vcpus: vm.vcpus,
    memoryMb: vm.memoryMb,
    conflictsWith,
    excludeHostId: vm.host?.id,
  });
}
