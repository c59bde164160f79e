import { createServer } from "node:http";
import path from "node:path";
import next from "next";
import { sessionUserFromCookies } from "../auth/session";
import { platformDb, tenantDb } from "../db/client";
import { isApiPath, serveApi } from "./api";

/**
 * The web process (started by scripts/realmgate.ts): one HTTP server on the web port. The
 * machine-facing routes (server/web/api.ts: tRPC, REST, the OpenAPI document, health) are
 * answered here; pages, next-auth and everything else go to Next.js's request handler, which
 * runs proxy.ts and next.config.ts's headers as `next start` would.
 *
 * Usage: main.ts <start|dev> <port> <hostname>
 */

const [mode = "start", portText = "3000", hostname = "127.0.0.1"] = process.argv.slice(2);
const port = Number(portText);
const dev = mode === "dev";
const root = path.resolve(import.meta.dirname, "../..");

const app = next({ dev, dir: root, hostname, port });
const handleNext = app.getRequestHandler();
const publicUrl = process.env.NEXTAUTH_URL || undefined;

const server = createServer((req, res) => {
  const pathname = (req.url ?? "/").split("?", 1)[0]!;
  if (!isApiPath(pathname)) {
    void handleNext(req, res);
    return;
  }
  serveApi(req, res, publicUrl, (incoming) => ({
    clients: { tenant: tenantDb(), platform: platformDb() },
    sessionUser: () => sessionUserFromCookies(incoming.cookies),
    publicUrl,
  })).catch((error: unknown) => {
    // A client that left while sending its body has nobody to answer.
    if ((error as { code?: string }).code === "ECONNRESET") return void res.destroy();
    // The handlers answer every expected failure themselves; this is a bug, logged once and
    // answered without details.
    console.error(`[web] ${req.method} ${pathname}:`, error);
    if (!res.headersSent) {
      res.statusCode = 500;
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ error: { message: "internal error" } }));
    } else res.destroy();
  });
});
// Keep-alive connections outlive a client's idle gap (Node's default of 5 s is shorter than most
// clients' pools keep sockets, which turns reuse into resets).
server.keepAliveTimeout = 65_000;

if (dev) server.on("upgrade", (req, socket, head) => void app.getUpgradeHandler()(req, socket, head));

for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.on(signal, () => {
    // process.exit lets --cpu-prof write its profile (bench/lifecycle.bench.ts).
    server.close();
    void app.close().finally(() => process.exit(0));
    setTimeout(() => process.exit(0), 5_000).unref();
  });
}

await app.prepare();
server.listen(port, hostname, () => {
  console.log(`[web] listening on http://${hostname}:${port} (${dev ? "development" : "production"})`);
});
