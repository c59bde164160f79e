import type { Tx } from "../db/client";
import { DomainError } from "../errors";
import { unsafeDeviceOwnerRealm, unsafeRecordForeignDenial } from "../repositories/audit";

/**
 * A disk or network id the caller's realm does not have: the caller's answer is NOT_FOUND either
 * way (another realm's id answers like a missing one), but operators must see cross-realm
 * attempts from both sides. The denial goes to the caller's realm trail (the realm transaction
 * rolls back with the error, so it is written on the platform client) and the realm that owns the
 * id to realmgate_private.audit_target_realms, which tenants cannot read, sealed into the event
 * (audit-chain/target-realm.ts). As for a foreign VM id (api/trpc.ts refuseUnknownVm).
 */

export type ProbeCaller = {
  provenSameOrigin: boolean;
  platformDb: Tx;
  realm: { id: string };
  user: { id: string };
  token: { id: string } | null;
  requestId: string;
};

/** Runs `fn`; when it answers "<kind> not found", records the denial (see above) and rethrows. */
export async function auditedDeviceLookup<T>(caller: ProbeCaller, kind: "disk" | "network", id: string, action: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    // Only for a request proven same-origin: a cross-site link must not write denials in the caller's name.
    if (error instanceof DomainError && error.kind === "not_found" && error.message === `${kind} not found` && caller.provenSameOrigin) {
      const owner = await unsafeDeviceOwnerRealm(caller.platformDb, kind, id);
      await unsafeRecordForeignDenial(
        caller.platformDb,
        {
          realmId: caller.realm.id,
          actorId: caller.user.id,
          actorTokenId: caller.token?.id ?? null,
          action,
          targetType: kind,
          targetId: null,
          decision: "deny",
          layer: "trpc",
          reason: `${kind === "disk" ? "Disk" : "Network"} not found in this realm`,
          requestId: caller.requestId,
          details: kind === "disk" ? { unverifiedDiskId: id } : { unverifiedNetworkId: id },
        },
        owner !== null && owner !== caller.realm.id ? owner : null,
      );
    }
    throw error;
  }
}
