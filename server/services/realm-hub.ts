import { EventEmitter, on } from "node:events";
import pg from "pg";
import { EVENTS_CHANNEL, type RealmEvent } from "./events";

/**
 * One LISTEN connection per web process, fanned out to subscribers. Subscribers only ever see
 * events of the realm they ask for, and the realm they ask for comes from their session.
 */

type Hub = { emitter: EventEmitter; ready: Promise<void> };
const globalForHub = globalThis as unknown as { realmgateHub?: Hub };

function startHub(): Hub {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  const connect = async (): Promise<void> => {
    const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
    client.on("notification", (msg) => {
      if (!msg.payload) return;
      try {
        const event = JSON.parse(msg.payload) as RealmEvent;
        emitter.emit(`realm:${event.realmId}`, event);
      } catch {
        /* not ours */
      }
    });
    client.on("error", () => {
      // Reconnect after a database restart; subscribers keep their iterators.
      setTimeout(() => void connect().catch(() => undefined), 1_000);
    });
    await client.connect();
    await client.query(`LISTEN ${EVENTS_CHANNEL}`);
  };
  return { emitter, ready: connect() };
}

export async function* realmEvents(realmId: string, signal: AbortSignal | undefined): AsyncGenerator<RealmEvent> {
  globalForHub.realmgateHub ??= startHub();
  const hub = globalForHub.realmgateHub;
  await hub.ready;
  for await (const [event] of on(hub.emitter, `realm:${realmId}`, { signal })) {
    yield event as RealmEvent;
  }
}
