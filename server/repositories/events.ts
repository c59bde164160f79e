import type { Tx } from "../db/client";
import { Prisma } from "../generated/prisma/client";

/**
 * Realm-scoped change notifications over PostgreSQL NOTIFY. Sent inside the transaction that
 * makes the change, so listeners hear of it only once it has committed. Payloads carry ids only:
 * subscribers re-read through realm-scoped queries.
 *
 * Threat: a tenant-role session LISTENing to other realms. Each realm has its own channel, named
 * by a keyed hash the tenant role cannot compute (realmgate_realm_channel, platform only); a
 * tenant transaction can notify only the realm it is bound to (realmgate_notify_realm). The
 * worker's wake-up channel carries no payload.
 */

export const WORK_CHANNEL = "realmgate_work";
/**
 * The console relay's wake-up channel (repositories/console.ts wakeRelay), apart from the work
 * channel so that every accepted operation does not also wake a relay pass (issue 12: 0.6 relay
 * statements per lifecycle action, nearly all planning). Payload-less too.
 */
export const CONSOLE_CHANNEL = "realmgate_console_work";

/** "sync": the subscription is live (sent once, first); refetch whatever may have changed before. */
/** "console": a console session of the realm has new output (for that session's stream only; repositories/console.ts). */
export type RealmEvent = { realmId: string; kind: "vm" | "operation" | "host" | "sync" | "console"; vmId?: string; operationId?: string; consoleId?: string };

export async function notifyRealm(tx: Tx, event: RealmEvent): Promise<void> {
  await tx.$executeRaw`SELECT ${notifyRealmCall(event)}`;
}

/** The notification as an SQL expression, for a statement that sends it beside the change it announces. */
export function notifyRealmCall(event: RealmEvent): Prisma.Sql {
  return Prisma.sql`realmgate_notify_realm(${event.realmId}::uuid, ${JSON.stringify(event)}, ${event.kind === "operation"}::boolean)`;
}

/** The realm's channel name (platform client only). */
export async function unsafeRealmChannel(platform: Tx, realmId: string): Promise<string> {
  const rows = await platform.$queryRaw<{ channel: string }[]>`SELECT realmgate_realm_channel(${realmId}::uuid) AS channel`;
  return rows[0]!.channel;
}
