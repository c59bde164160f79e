import { EventEmitter, on } from "node:events";
import { EVENTS_CHANNEL, type RealmEvent } from "../repositories/events";
import { listen } from "../db/listen";

/**
 * One LISTEN connection per web process, fanned out to subscribers. Subscribers only ever see
 * events of the realm they ask for, and the realm they ask for comes from their session. After
 * a database restart the connection comes back and every subscribed realm is told to refetch
 * (what was notified meanwhile is lost).
 */

type Hub = { emitter: EventEmitter; ready: Promise<void> };
const globalForHub = globalThis as unknown as { realmgateHub?: Hub };

function startHub(): Hub {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  const listener = listen({
    connectionString: process.env.DATABASE_URL!,
    channel: EVENTS_CHANNEL,
    onNotification: (payload) => {
      try {
        const event = JSON.parse(payload) as RealmEvent;
        emitter.emit(`realm:${event.realmId}`, event);
      } catch {
        /* not ours */
      }
    },
    onReconnect: () => {
      for (const name of emitter.eventNames()) {
        if (typeof name === "string" && name.startsWith("realm:")) emitter.emit(name, { realmId: name.slice(6), kind: "vm" } satisfies RealmEvent);
      }
    },
  });
  return { emitter, ready: listener.ready };
}

export async function* realmEvents(realmId: string, signal: AbortSignal | undefined): AsyncGenerator<RealmEvent> {
  globalForHub.realmgateHub ??= startHub();
  const hub = globalForHub.realmgateHub;
  try {
    await hub.ready;
  } catch (error) {
    // The first connection failed: let the next subscriber try again.
    if (globalForHub.realmgateHub === hub) globalForHub.realmgateHub = undefined;
    throw error;
  }
  for await (const [event] of on(hub.emitter, `realm:${realmId}`, { signal })) {
    yield event as RealmEvent;
  }
}
