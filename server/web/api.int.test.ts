import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSession } from "../auth/sessions";
import type { SessionUser } from "../auth/session-user";
import { PLATFORM_URL_ENV } from "../db/client";
import { createTestDatabase, type TestDatabase } from "../test/db";
import { setupPlatform, setupTenant, type Tenant } from "../test/fixtures";
import { isApiPath, serveApi } from "./api";

/**
 * The web process's own API routes over real HTTP (server/web/main.ts serves them the same way,
 * in front of Next.js): what Next used to add for these routes must still be there (security
 * headers, an expired poisoned callback-url cookie, compression) and a live-update stream must
 * flow as it is written and end when the client goes away.
 */

let t: TestDatabase;
let acme: Tenant;
let server: Server;
let base: string;
/** The session the server attributes to requests carrying `cookie: session=alice` (a real session row). */
let aliceSession: SessionUser;
const previousUrl = process.env[PLATFORM_URL_ENV];

beforeAll(async () => {
  t = await createTestDatabase();
  process.env[PLATFORM_URL_ENV] = t.url;
  const platform = await setupPlatform(t.db);
  acme = await setupTenant(t.db, "acme", platform.mgmtTemplate.id);
  const owner = acme.members.owner;
  const { sid } = await startSession(t.db, owner.id, { userAgent: "web test", clientAddress: null });
  const { sessionEpoch } = await t.db.user.findUniqueOrThrow({ where: { id: owner.id } });
  aliceSession = { id: owner.id, epoch: sessionEpoch, sid };

  server = createServer((req, res) => {
    if (!isApiPath((req.url ?? "/").split("?", 1)[0]!)) {
      res.statusCode = 404;
      res.end();
      return;
    }
    void serveApi(req, res, undefined, (incoming) => {
      const signedIn = incoming.cookies.some((c) => c.name === "session" && c.value === "alice");
      return { clients: { tenant: t.tenantDb, platform: t.db }, sessionUser: async () => (signedIn ? aliceSession : null) };
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  if (previousUrl === undefined) delete process.env[PLATFORM_URL_ENV];
  else process.env[PLATFORM_URL_ENV] = previousUrl;
  await t?.drop();
});

const trpcGet = (procedure: string, headers: Record<string, string> = {}) =>
  fetch(`${base}/api/trpc/${procedure}`, { headers: { "x-realmgate-client": "web", ...headers } });

describe("the API routes' HTTP layer", () => {
  it("every answer carries the API's security headers; HSTS only when a TLS proxy says https", async () => {
    const answers = [
      await fetch(`${base}/api/health`),
      await fetch(`${base}/api/openapi.json`),
      await trpcGet("session.me"),
      await fetch(`${base}/api/v1/vms`),
      await fetch(`${base}/api/trpc/vm.start`, {
        method: "POST",
        headers: { "content-type": "text/plain" },
        body: "x",
      }),
    ];
    expect(answers.map((r) => r.status)).toEqual([200, 200, 401, 401, 415]);
    for (const answer of answers) {
      expect(answer.headers.get("x-content-type-options")).toBe("nosniff");
      expect(answer.headers.get("x-frame-options")).toBe("DENY");
      expect(answer.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
      expect(answer.headers.get("content-security-policy")).toContain("default-src 'none'");
      expect(answer.headers.get("strict-transport-security")).toBeNull();
    }
    const overTls = await fetch(`${base}/api/health`, { headers: { "x-forwarded-proto": "https" } });
    expect(overTls.headers.get("strict-transport-security")).toBe("max-age=63072000; includeSubDomains");
  });

  it("a poisoned callback-url cookie is expired on the answer and the request still works; a same-origin one is left alone", async () => {
    const poisoned = await trpcGet("session.me", {
      cookie: "session=alice; next-auth.callback-url=javascript%3Aalert(1)",
    });
    expect(poisoned.status).toBe(200);
    expect(poisoned.headers.getSetCookie()).toEqual([
      "next-auth.callback-url=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax",
    ]);
    const fine = await trpcGet("session.me", {
      cookie: `session=alice; next-auth.callback-url=${encodeURIComponent(`${base}/realm`)}`,
    });
    expect(fine.status).toBe(200);
    expect(fine.headers.getSetCookie()).toEqual([]);
  });

  it("bodies: one of announced length within the limit is read once and still reaches tRPC checked; one announced over it, or streamed past it, is refused with 413", async () => {
    const post = (path: string, body: string) =>
      fetch(`${base}${path}`, { method: "POST", headers: { cookie: "session=alice", "content-type": "application/json", "x-realmgate-client": "web" }, body });
    // Held by the HTTP layer, checked, and still read by tRPC: a well-formed input reaches the procedure.
    const held = await post("/api/trpc/vm.start", JSON.stringify({ json: { vmId: "not-a-uuid" } }));
    expect(held.status).toBe(400);
    expect(JSON.stringify(await held.json())).toContain("vmId");
    // A prototype key in a held body is still refused by the input check.
    const proto = await post("/api/trpc/vm.start", '{"json":{"__proto__":{"x":1}}}');
    expect(proto.status).toBe(400);
    // Over the limit, on connections of their own (the server closes a connection whose body it
    // did not read): announced, refused without reading it; streamed (chunked), cut off.
    const refused = (chunks: Buffer[], announce: boolean) =>
      new Promise<number>((resolve, reject) => {
        import("node:http").then(({ request }) => {
          const length = chunks.reduce((n, c) => n + c.length, 0);
          const req = request(`${base}/api/trpc/vm.start`, {
            method: "POST",
            agent: false,
            headers: { cookie: "session=alice", "content-type": "application/json", "x-realmgate-client": "web", ...(announce ? { "content-length": String(length) } : {}) },
          }, (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          });
          req.on("error", (error: NodeJS.ErrnoException) => (error.code === "ECONNRESET" || error.code === "EPIPE" ? undefined : reject(error)));
          for (const chunk of chunks) req.write(chunk);
          req.end();
        }, reject);
      });
    expect(await refused([Buffer.alloc(1024 * 1024 + 1, 32)], true)).toBe(413);
    expect(await refused([Buffer.alloc(512 * 1024, 32), Buffer.alloc(512 * 1024, 32), Buffer.alloc(512 * 1024, 32)], false)).toBe(413);
  });

  it("compresses answers worth compressing for clients that accept gzip, and only those", async () => {
    const get = (path: string, encoding: string) =>
      fetch(`${base}${path}`, { headers: { "accept-encoding": encoding } });
    // node's fetch would decompress on its own: read the raw bytes through node:http instead.
    const raw = (path: string, encoding: string) =>
      new Promise<{ headers: Record<string, string | string[] | undefined>; body: Buffer }>((resolve, reject) => {
        import("node:http").then(({ get: httpGet }) =>
          httpGet(`${base}${path}`, { headers: { "accept-encoding": encoding } }, (res) => {
            const chunks: Buffer[] = [];
            res.on("data", (c: Buffer) => chunks.push(c));
            res.on("end", () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
          }).on("error", reject),
        );
      });
    const plain = await (await get("/api/openapi.json", "identity")).text();
    const gzipped = await raw("/api/openapi.json", "gzip, deflate");
    expect(gzipped.headers["content-encoding"]).toBe("gzip");
    expect(gzipped.headers["vary"]).toContain("Accept-Encoding");
    expect(gunzipSync(gzipped.body).toString()).toBe(plain);
    expect(gzipped.body.length).toBeLessThan(plain.length / 3);
    expect((await raw("/api/openapi.json", "gzip;q=0")).headers["content-encoding"]).toBeUndefined();
    // A small answer is not worth it.
    expect((await raw("/api/health", "gzip")).headers["content-encoding"]).toBeUndefined();
  });

  it("a live-update stream flows as written and ends when the client leaves (its per-user slot is released)", async () => {
    // More streams than a user may hold at once (services/access-revocations.ts), one after
    // another: each is opened, read, and dropped by the client. A stream the server kept open
    // after its client left would hold its slot and the later ones would be refused.
    for (let i = 0; i < 12; i++) {
      const leave = new AbortController();
      const response = await fetch(`${base}/api/trpc/vm.onChange`, {
        headers: { cookie: "session=alice", "x-realmgate-client": "web", accept: "text/event-stream" },
        signal: leave.signal,
      });
      expect(response.status, `stream ${i + 1}`).toBe(200);
      expect(response.headers.get("content-type")).toMatch(/^text\/event-stream/);
      // The stream's first events arrive while it is still open: "connected", then the realm's
      // first event (a refused stream would send an error event instead).
      const reader = response.body!.getReader();
      let seen = "";
      while (!/"kind":"sync"|event: serialized-error/.test(seen)) {
        const chunk = await reader.read();
        if (chunk.done) break;
        seen += new TextDecoder().decode(chunk.value);
      }
      expect(seen, `stream ${i + 1}`).toContain("event: connected");
      expect(seen, `stream ${i + 1}`).toContain('"kind":"sync"');
      leave.abort();
      await reader.cancel().catch(() => undefined);
      // Give the server a moment to see the connection close.
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  });
});
