import type { Tx } from "../db/client";

/**
 * Realm-scoped change notifications over PostgreSQL NOTIFY. Sent inside the transaction that
 * makes the change, so listeners hear of it only once it has committed. Payloads carry ids only:
 * subscribers re-read through realm-scoped queries.
 */

export const EVENTS_CHANNEL = "realmgate_events";

export type RealmEvent = { realmId: string; kind: "vm" | "operation" | "host"; vmId?: string; operationId?: string };

export async function notifyRealm(tx: Tx, event: RealmEvent): Promise<void> {
  await tx.$executeRaw`SELECT pg_notify(${EVENTS_CHANNEL}, ${JSON.stringify(event)})`;
}
