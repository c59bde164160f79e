import net from "node:net";

/**
 * Free loopback ports, for tests and benches. No test framework here: the benches import it, and
 * compare.bench.ts loads two checkouts' copies in one process.
 */

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** A free port whose next one is free too: the launcher's two agents listen on REALMGATE_AGENT_BASE_PORT and the one after it. */
export async function freePortPair(): Promise<number> {
  for (;;) {
    const base = await freePort();
    const next = await new Promise<boolean>((resolve) => {
      const server = net.createServer();
      server.once("error", () => resolve(false));
      server.listen(base + 1, "127.0.0.1", () => server.close(() => resolve(true)));
    });
    if (next) return base;
  }
}
