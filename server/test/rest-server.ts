import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { Db } from "../db/client";
import { isApiPath, serveApi } from "../web/api";

/**
 * The web process's API routes (server/web/api.ts: /api/trpc, /api/v1, /api/openapi.json,
 * /api/health) over real loopback HTTP for integration tests and examples, on a test database,
 * through the same handler and HTTP layer as the product, without Next.js (no pages). Token
 * callers only: there is no session cookie to read.
 */
export type RestServer = { url: string; close: () => Promise<void> };

export async function startRestServer(t: { db: Db; tenantDb: Db }): Promise<RestServer> {
  const server = createServer((req, res) => {
    if (!isApiPath((req.url ?? "/").split("?", 1)[0]!)) {
      res.statusCode = 404;
      res.end("not found");
      return;
    }
    serveApi(req, res, undefined, () => ({ clients: { tenant: t.tenantDb, platform: t.db }, sessionUser: async () => null }))
      .catch((error: unknown) => {
        console.error("[rest-server]", error);
        res.statusCode = 500;
        res.end();
      });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
