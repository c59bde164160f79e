import { randomUUID } from "node:crypto";
import { withRealm, type Db, type Tx } from "../db/client";
import { requestVmAction } from "../services/lifecycle";

/**
 * Calling below an enforcement layer, for the layers-off tests (server/api/layers.int.test.ts).
 * Production code has no switch that turns a layer off; instead the test plays an attacker who
 * already owns the layer above and calls what that layer would have called, with ids it picks:
 *
 * - past layer 1 (the tRPC procedure chain): the service layer, called directly with a foreign
 *   VM id, inside a tenant-role transaction bound to the attacker's own realm; row-level
 *   security (layer 2) still applies.
 * - past layers 1 and 2: the same service call on the platform client, which bypasses
 *   row-level security. The database still refuses an operation acting as one realm on another
 *   realm's VM without a break-glass grant, so the attacker (who owns the platform role) forges
 *   one first; the operation reaches the outbox and only the hypervisor (layer 3) stands between
 *   the attacker and the VM.
 */

export type CrossRealmAction = "start" | "stop" | "pause" | "resume" | "reboot" | "destroy";

/** A lifecycle request as the service layer takes it, with every id chosen by the caller. */
export type ServiceCall = {
  /** The realm acting (its management domain is the hypervisor's subject; RLS binds to it). */
  actingRealmId: string;
  /** The realm the caller says the VM is in: the victim's, or its own. */
  vmRealmId: string;
  vmId: string;
  action: CrossRealmAction;
  /** The caller's user id, as the procedure chain would pass it. */
  userId: string;
  requestId: string;
};

function request(tx: Tx, call: ServiceCall, breakGlassGrantId: string | null = null) {
  return requestVmAction(tx, {
    realmId: call.vmRealmId,
    subjectRealmId: call.actingRealmId,
    vmId: call.vmId,
    action: call.action,
    actor: { userId: call.userId, requestId: call.requestId, breakGlassGrantId },
    rule: "called below the procedure chain: no role or realm check ran",
  });
}

/** Layer 1 bypassed: the service call on the tenant client, in the acting realm's transaction. */
export function pastLayer1(clients: { tenantDb: Db }, call: ServiceCall): Promise<{ operationId: string }> {
  return withRealm(clients.tenantDb, call.actingRealmId, (tx) => request(tx, call));
}

/** Layers 1 and 2 bypassed: the same call on the platform client (row-level security does not apply). */
export function pastLayers1And2(clients: { db: Db }, call: ServiceCall): Promise<{ operationId: string }> {
  return withRealm(clients.db, call.actingRealmId, async (tx) => {
    if (call.actingRealmId === call.vmRealmId) return request(tx, call);
    const grant = await forgeBreakGlassGrant(tx, { realmId: call.vmRealmId, operatorId: call.userId });
    const result = await request(tx, call, grant);
    // Spent at once: the next forged grant of the same operator must not overlap it.
    await tx.breakGlassGrant.update({ where: { id: grant }, data: { revokedAt: new Date() } });
    return result;
  });
}

/** What an attacker holding the platform role can write: a grant on the victim realm, in its own name. */
export async function forgeBreakGlassGrant(tx: Tx, args: { realmId: string; operatorId: string }): Promise<string> {
  const id = randomUUID();
  await tx.breakGlassGrant.create({
    data: { id, realmId: args.realmId, operatorId: args.operatorId, reason: "forged by a test that owns the platform role", expiresAt: new Date(Date.now() + 60_000) },
  });
  return id;
}

/** What a realm's tenant transaction sees of a VM, whatever realm it is in (row-level security decides). */
export function visibleToRealm(clients: { tenantDb: Db }, realmId: string, vmId: string) {
  return withRealm(clients.tenantDb, realmId, (tx) => tx.vm.findFirst({ where: { id: vmId } }));
}
