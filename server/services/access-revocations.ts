import { EventEmitter } from "node:events";
import { platformDatabaseUrl, platformDb } from "../db/client";
import { listen } from "../db/listen";
import { DomainError } from "../errors";
import { unsafeAccessChannel } from "../repositories/access";

/**
 * Access revocations, for live-update streams (threat: a removed member or a revoked break-glass
 * operator who keeps receiving a realm's events on a stream opened before the revocation).
 * The repositories that shrink a user's access (session revoke, break-glass revoke, membership
 * removal or role change) NOTIFY the access channel (repositories/access.ts) with the user id in the same transaction;
 * one LISTEN connection per web process fans the ids out to that user's open streams, which
 * re-validate and end within a second. After the connection was lost, every subscriber
 * re-validates (revocations sent meanwhile are lost otherwise). The stream itself also
 * re-validates periodically, for expiries nobody announces.
 */

type Hub = { emitter: EventEmitter; ready: Promise<void> };
const globalForAccess = globalThis as unknown as { realmgateAccessHub?: Hub; realmgateStreams?: Map<string, number> };
const EVERYONE = "*";

function startHub(): Hub {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  const ready = unsafeAccessChannel(platformDb()).then((accessChannel) => {
    const listener = listen({
      connectionString: platformDatabaseUrl(),
      channels: [accessChannel],
      onNotification: (userId, channel) => {
        if (channel === accessChannel && userId) emitter.emit(userId);
      },
      onReconnect: () => emitter.emit(EVERYONE),
    });
    return listener.ready;
  });
  return { emitter, ready };
}

/**
 * Calls onRevocation whenever the user's access may have shrunk. Resolves once the listener is
 * connected, so a revocation committed after this returns is never missed.
 */
export async function onAccessRevoked(userId: string, onRevocation: () => void): Promise<() => void> {
  globalForAccess.realmgateAccessHub ??= startHub();
  const hub = globalForAccess.realmgateAccessHub;
  try {
    await hub.ready;
  } catch (error) {
    if (globalForAccess.realmgateAccessHub === hub) globalForAccess.realmgateAccessHub = undefined;
    throw error;
  }
  hub.emitter.on(userId, onRevocation);
  hub.emitter.on(EVERYONE, onRevocation);
  return () => {
    hub.emitter.off(userId, onRevocation);
    hub.emitter.off(EVERYONE, onRevocation);
  };
}

/** Open live-update streams per user and web process (threat: one user exhausting connections). */
export const MAX_STREAMS_PER_USER = 8;

/**
 * Takes one of the user's stream slots, or refuses with TOO_MANY_REQUESTS. The returned
 * release is idempotent (a stream ends by abort and by its generator's finally).
 */
export function acquireStreamSlot(userId: string): () => void {
  const streams = (globalForAccess.realmgateStreams ??= new Map());
  const open = streams.get(userId) ?? 0;
  if (open >= MAX_STREAMS_PER_USER) {
    throw new DomainError("rate_limited", `too many live-update streams: at most ${MAX_STREAMS_PER_USER} per user; close another tab or window`);
  }
  streams.set(userId, open + 1);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    const left = (streams.get(userId) ?? 1) - 1;
    if (left > 0) streams.set(userId, left);
    else streams.delete(userId);
  };
}
