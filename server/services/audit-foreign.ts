import type { Tx } from "../db/client";
import { DomainError } from "../errors";
import { unsafeDeviceOwnerRealm, unsafeRecordForeignDenial } from "../repositories/audit";
import { BACKEND_NOT_FOUND } from "./backends";

/**
 * A disk, network or driver-domain id the caller's realm does not have: the caller's answer is NOT_FOUND either
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

/** Runs `fn`; when it answers that the object of `kind` is not found, records the denial (see above) and rethrows. */
/** What each kind of probed object is called in the answer, in the record and in its details. */
const PROBED = {
  disk: { notFound: "disk not found", reason: "Disk not found in this realm", detail: "unverifiedDiskId" },
  network: { notFound: "network not found", reason: "Network not found in this realm", detail: "unverifiedNetworkId" },
  "driver-domain": { notFound: BACKEND_NOT_FOUND, reason: "Driver domain not found in this realm", detail: "unverifiedBackendId" },
} as const;

export async function auditedDeviceLookup<T>(caller: ProbeCaller, kind: keyof typeof PROBED, id: string | undefined, action: string, fn: () => Promise<T>): Promise<T> {
  // No id given (an attach through the platform's backend): nothing of this kind to probe.
  if (id === undefined) return fn();
  const probed = PROBED[kind];
  try {
    return await fn();
  } catch (error) {
    // Only for a request proven same-origin: a cross-site link must not write denials in the caller's name.
    if (error instanceof DomainError && error.kind === "not_found" && error.message === probed.notFound && caller.provenSameOrigin) {
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
          reason: probed.reason,
          requestId: caller.requestId,
          details: { [probed.detail]: id },
        },
        owner !== null && owner !== caller.realm.id ? owner : null,
      );
    }
    throw error;
  }
}
