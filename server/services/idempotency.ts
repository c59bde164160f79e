import { createHash } from "node:crypto";
import type { Tx } from "../db/client";
import { DomainError } from "../errors";
import { claimIdempotencyKey, findIdempotencyKey, storeIdempotentResponse } from "../repositories/idempotency";

/**
 * Idempotent mutations (Stripe's model): a key, per realm and caller, names one request of one
 * procedure. The first use claims the key in the mutation's own transaction (so the key exists
 * only if the effect does); a retry with the same request gets the first response; a different
 * request with the same key is refused. Two concurrent uses of one key serialise on the primary
 * key: the second waits for the first to commit, then replays its response. The procedure chain
 * applies it to every mutation (api/trpc.ts), keyed by the procedure's path.
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

export type IdempotentRequest = { realmId: string; userId: string; procedure: string; key: string; request: Record<string, unknown> };

/**
 * Claims the key for this request, or finds the response its first use stored. `store` must be
 * called with the response, in the same transaction, when the request was claimed.
 */
export async function claimOrReplay(
  tx: Tx,
  r: IdempotentRequest,
): Promise<{ replay: true; response: unknown } | { replay: false; store: (response: unknown) => Promise<void> }> {
  const scope = { realmId: r.realmId, userId: r.userId, key: r.key };
  const hash = requestHash(r.procedure, r.request);
  if (await claimIdempotencyKey(tx, scope, hash)) {
    return { replay: false, store: (response) => storeIdempotentResponse(tx, scope, (response ?? null) as never) };
  }
  const previous = await findIdempotencyKey(tx, scope);
  if (previous.requestHash !== hash) {
    throw new DomainError("bad_input", "idempotencyKey: this key was already used for a different request", { field: "idempotencyKey" });
  }
  return { replay: true, response: previous.response };
}
