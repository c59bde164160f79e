import pg from "pg";

/**
 * A LISTEN connection that survives database restarts: on error or end it reconnects with
 * backoff, LISTENs again and calls onReconnect (notifications sent while it was away are lost,
 * so the caller resynchronises).
 */
export type Listener = { ready: Promise<void>; close: () => Promise<void> };

export function listen(options: {
  connectionString: string;
  channel: string;
  onNotification: (payload: string) => void;
  onReconnect: () => void;
  log?: (line: string) => void;
}): Listener {
  let client: pg.Client | null = null;
  let closed = false;
  let delay = 250;

  const connect = async (): Promise<void> => {
    const next = new pg.Client({ connectionString: options.connectionString });
    next.on("notification", (msg) => msg.payload && options.onNotification(msg.payload));
    const lost = () => {
      if (client !== next || closed) return;
      client = null;
      options.log?.("notification connection lost; reconnecting");
      retry();
    };
    next.on("error", lost);
    next.on("end", lost);
    await next.connect();
    await next.query(`LISTEN ${options.channel}`);
    client = next;
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

  return {
    ready: connect(),
    close: async () => {
      closed = true;
      await client?.end().catch(() => undefined);
    },
  };
}
