import { createHash } from "node:crypto";
import type { Tx } from "../db/client";
import { type Prisma } from "../generated/prisma/client";
import { DomainError } from "../api/errors";

/**
 * Idempotent mutations (Stripe's model): a key, per realm and caller, names one request. The
 * first use claims the key in the mutation's own transaction (so the key exists only if the
 * effect does); a retry with the same request gets the first response; a different request
 * with the same key is refused. Two concurrent uses of one key serialise on the primary key:
 * the second waits for the first to commit, then replays its response.
 */

export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;

export function requestHash(procedure: string, input: unknown): string {
  return createHash("sha256").update(`${procedure}\n${stableJson(input)}`).digest("hex");
}

function stableJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "undefined";
  if (Array.isArray(value)) return `[${value.map(stableJson).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => a.localeCompare(b));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(",")}}`;
}

export async function idempotent<T extends Prisma.InputJsonValue>(
  tx: Tx,
  scope: { realmId: string; userId: string; procedure: string },
  input: { idempotencyKey?: string } & Record<string, unknown>,
  run: () => Promise<T>,
): Promise<T> {
  const { idempotencyKey: key, ...request } = input;
  if (key === undefined) return run();
  const hash = requestHash(scope.procedure, request);
  const claimed = await tx.$executeRaw`
    INSERT INTO idempotency_keys (realm_id, user_id, key, request_hash)
    VALUES (${scope.realmId}::uuid, ${scope.userId}::uuid, ${key}, ${hash})
    ON CONFLICT DO NOTHING`;
  if (claimed === 0) {
    const previous = await tx.idempotencyKey.findUniqueOrThrow({
      where: { realmId_userId_key: { realmId: scope.realmId, userId: scope.userId, key } },
    });
    if (previous.requestHash !== hash) {
      throw new DomainError("bad_input", "idempotencyKey: this key was already used for a different request", { field: "idempotencyKey" });
    }
    return previous.response as T;
  }
  const response = await run();
  await tx.idempotencyKey.update({
    where: { realmId_userId_key: { realmId: scope.realmId, userId: scope.userId, key } },
    data: { response },
  });
  return response;
}
