import type { Tx } from "../db/client";
import type { Prisma } from "../generated/prisma/client";

/** Idempotency keys, per realm and caller, with the first response (services/idempotency.ts). */

type Scope = { realmId: string; userId: string; key: string };

/**
 * Claims the key for a request in the caller's transaction; false when it exists already. Two
 * concurrent claims serialise on the primary key: the second waits for the first to commit.
 */
export async function claimIdempotencyKey(tx: Tx, scope: Scope, requestHash: string): Promise<boolean> {
  const claimed = await tx.$executeRaw`
    INSERT INTO idempotency_keys (realm_id, user_id, key, request_hash)
    VALUES (${scope.realmId}::uuid, ${scope.userId}::uuid, ${scope.key}, ${requestHash})
    ON CONFLICT DO NOTHING`;
  return claimed > 0;
}

export function findIdempotencyKey(tx: Tx, scope: Scope) {
  return tx.idempotencyKey.findUniqueOrThrow({ where: { realmId_userId_key: scope }, select: { requestHash: true, response: true } });
}

export async function storeIdempotentResponse(tx: Tx, scope: Scope, response: Prisma.InputJsonValue): Promise<void> {
  await tx.idempotencyKey.update({ where: { realmId_userId_key: scope }, data: { response } });
}
