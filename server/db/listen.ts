import pg from "pg";

/**
 * A LISTEN connection that survives database restarts: on error or end it reconnects with
 * backoff, LISTENs again to every channel it has and calls onReconnect (notifications sent
 * while it was away are lost, so the caller resynchronises). Channels can be added and removed
 * while it runs (the realm hub listens to the realms it has subscribers for).
 */
export type Listener = {
  ready: Promise<void>;
  add: (channel: string) => Promise<void>;
  remove: (channel: string) => Promise<void>;
  close: () => Promise<void>;
};

const quote = (channel: string) => `"${channel.replace(/"/g, '""')}"`;

export function listen(options: {
  connectionString: string;
  channels: readonly string[];
  onNotification: (payload: string, channel: string) => void;
  onReconnect: () => void;
  log?: (line: string) => void;
}): Listener {
  const channels = new Set(options.channels);
  let client: pg.Client | null = null;
  let closed = false;
  let delay = 250;

  const connect = async (): Promise<void> => {
    const next = new pg.Client({ connectionString: options.connectionString });
    next.on("notification", (msg) => options.onNotification(msg.payload ?? "", msg.channel));
    const lost = () => {
      if (client !== next || closed) return;
      client = null;
      options.log?.("notification connection lost; reconnecting");
      retry();
    };
    next.on("error", lost);
    next.on("end", lost);
    await next.connect();
    // Current before the LISTENs: a channel added meanwhile is LISTENed by add() (twice is harmless).
    client = next;
    await serially(async () => {
      for (const channel of channels) await next.query(`LISTEN ${quote(channel)}`);
    });
    delay = 250;
  };

  const retry = (): void => {
    setTimeout(() => {
      if (closed) return;
      connect().then(
        () => options.onReconnect(),
        () => {
          delay = Math.min(delay * 2, 5_000);
          retry();
        },
      );
    }, delay).unref();
  };

  // One statement at a time on the connection (pg queues concurrent ones, but is retiring that).
  let queue: Promise<unknown> = Promise.resolve();
  function serially<T>(fn: () => Promise<T>): Promise<T> {
    const run = queue.then(fn);
    queue = run.catch(() => undefined);
    return run;
  }

  // A failed LISTEN/UNLISTEN means the connection is going away: the reconnect applies the set.
  const apply = (statement: string): Promise<void> => serially(async () => void (await client?.query(statement).catch(() => undefined)));

  return {
    ready: connect(),
    add: async (channel) => {
      if (channels.has(channel)) return;
      channels.add(channel);
      await apply(`LISTEN ${quote(channel)}`);
    },
    remove: async (channel) => {
      if (!channels.delete(channel)) return;
      await apply(`UNLISTEN ${quote(channel)}`);
    },
    close: async () => {
      closed = true;
      await client?.end().catch(() => undefined);
    },
  };
}
