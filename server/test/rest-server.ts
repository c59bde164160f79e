import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { bearerToken } from "../auth/api-tokens";
import { peerAddress } from "../auth/client-address";
import { createContext } from "../api/context";
import { appRouter } from "../api/root";
import { openApiDocument } from "../api/openapi";
import { handleRest, REST_BASE } from "../api/rest";
import type { Db } from "../db/client";

/**
 * The REST surface over real loopback HTTP for integration tests and examples: the same
 * handler as app/api/v1 (server/api/rest.ts) and the same document as /api/openapi.json, on a
 * test database, without building Next; also /api/trpc (the router, as the console's route
 * serves it) for bearer-token clients. Token callers only (no session cookie).
 */
export type RestServer = { url: string; close: () => Promise<void> };

export async function startRestServer(t: { db: Db; tenantDb: Db }): Promise<RestServer> {
  let server: Server | null = null;
  server = createServer((req, res) => {
    void (async () => {
      const url = `http://${req.headers.host ?? "127.0.0.1"}${req.url ?? "/"}`;
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const body = chunks.length > 0 ? Buffer.concat(chunks) : undefined;
      const headers = new Headers();
      for (const [key, value] of Object.entries(req.headers)) {
        if (typeof value === "string") headers.set(key, value);
        else if (Array.isArray(value)) for (const v of value) headers.append(key, v);
      }
      let response: Response;
      if (new URL(url).pathname === "/api/openapi.json") {
        response = Response.json(openApiDocument(new URL(url).origin));
      } else if (new URL(url).pathname.startsWith(`${REST_BASE}/`)) {
        response = await handleRest(new Request(url, { method: req.method, headers, body: req.method === "GET" || req.method === "HEAD" ? undefined : body }), {
          clients: { tenant: t.tenantDb, platform: t.db },
          sessionUser: async () => null,
        });
      } else if (new URL(url).pathname.startsWith("/api/trpc/")) {
        const request = new Request(url, { method: req.method, headers, body: req.method === "GET" || req.method === "HEAD" ? undefined : body });
        const bearer = bearerToken(headers);
        response = await fetchRequestHandler({
          endpoint: "/api/trpc",
          req: request,
          router: appRouter,
          // A bearer token cannot be attached cross-site (rest.ts says why): proof enough.
          createContext: () => createContext({ tenant: t.tenantDb, platform: t.db }, null, undefined, { provenSameOrigin: bearer !== null, bearer, peer: peerAddress(headers) }),
        });
      } else {
        response = new Response("not found", { status: 404 });
      }
      res.statusCode = response.status;
      response.headers.forEach((value, key) => res.setHeader(key, value));
      res.end(Buffer.from(await response.arrayBuffer()));
    })().catch((error: unknown) => {
      console.error("[rest-server]", error);
      res.statusCode = 500;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}
