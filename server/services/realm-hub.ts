import { EventEmitter, on } from "node:events";
import { platformDatabaseUrl, platformDb } from "../db/client";
import { listen, type Listener } from "../db/listen";
import { unsafeRealmChannel, type RealmEvent } from "../repositories/events";

/**
 * One LISTEN connection per web process, on the platform role, fanned out to subscribers. Each
 * realm notifies on a channel of its own (repositories/events.ts): the hub LISTENs to a realm's
 * channel while that realm has subscribers, and a subscriber only ever sees events of the realm
 * it asks for, which comes from its session. After a database restart the connection comes back
 * and every subscribed realm is told to refetch (what was notified meanwhile is lost).
 */

type Hub = {
  emitter: EventEmitter;
  listener: Listener;
  /** Channel → realm, for the realms with subscribers. */
  realms: Map<string, string>;
  subscribers: Map<string, number>;
};
const globalForHub = globalThis as unknown as { realmgateHub?: Hub };

function startHub(): Hub {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  const realms = new Map<string, string>();
  const listener = listen({
    connectionString: platformDatabaseUrl(),
    channels: [],
    onNotification: (payload, channel) => {
      const realmId = realms.get(channel);
      if (!realmId) return;
      try {
        const event = JSON.parse(payload) as RealmEvent;
        // The channel says which realm; a payload naming another is not believed.
        if (event.realmId === realmId) emitter.emit(`realm:${realmId}`, event);
      } catch {
        /* not ours */
      }
    },
    onReconnect: () => {
      for (const realmId of realms.values()) emitter.emit(`realm:${realmId}`, { realmId, kind: "vm" } satisfies RealmEvent);
    },
  });
  return { emitter, listener, realms, subscribers: new Map() };
}

async function subscribe(hub: Hub, realmId: string): Promise<string> {
  const channel = await unsafeRealmChannel(platformDb(), realmId);
  hub.subscribers.set(realmId, (hub.subscribers.get(realmId) ?? 0) + 1);
  hub.realms.set(channel, realmId);
  await hub.listener.add(channel);
  return channel;
}

async function unsubscribe(hub: Hub, realmId: string, channel: string): Promise<void> {
  const left = (hub.subscribers.get(realmId) ?? 1) - 1;
  if (left > 0) return void hub.subscribers.set(realmId, left);
  hub.subscribers.delete(realmId);
  hub.realms.delete(channel);
  await hub.listener.remove(channel);
}

export async function* realmEvents(realmId: string, signal: AbortSignal | undefined): AsyncGenerator<RealmEvent> {
  globalForHub.realmgateHub ??= startHub();
  const hub = globalForHub.realmgateHub;
  try {
    await hub.listener.ready;
  } catch (error) {
    // The first connection failed: let the next subscriber try again.
    if (globalForHub.realmgateHub === hub) globalForHub.realmgateHub = undefined;
    throw error;
  }
  // Listening in-process before LISTENing in the database, so nothing falls between the two; the
  // first event ("sync") says the stream is live: whatever changed before it, the client refetches.
  const events = on(hub.emitter, `realm:${realmId}`, { signal });
  const channel = await subscribe(hub, realmId);
  try {
    yield { realmId, kind: "sync" };
    for await (const [event] of events) {
      yield event as RealmEvent;
    }
  } finally {
    await unsubscribe(hub, realmId, channel);
  }
}
