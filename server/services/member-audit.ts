import type { Tx } from "../db/client";
import { recordDecision } from "../repositories/audit";
import type { Actor } from "./lifecycle";

/** A member's request inside its realm: who asks, and the permission rule that allowed it. */
export type MemberScope = { realmId: string; actor: Actor; rule: string };

/**
 * Records an allowed member action in the realm's trail (layer trpc), in the caller's
 * transaction: the change and its record commit together or not at all.
 */
export async function auditAllowed(tx: Tx, scope: MemberScope, action: string, targetType: string, targetId: string, reason: string): Promise<void> {
  await recordDecision(tx, {
    realmId: scope.realmId,
    actorId: scope.actor.userId,
    actorTokenId: scope.actor.tokenId ?? null,
    action,
    targetType,
    targetId,
    decision: "allow",
    layer: "trpc",
    reason,
    requestId: scope.actor.requestId,
  });
}
