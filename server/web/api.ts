import { randomUUID } from "node:crypto";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { createContext } from "../api/context";
import { openApiJson, openApiJsonGzipped } from "../api/openapi";
import { handleRest, REST_BASE } from "../api/rest";
import { appRouter } from "../api/root";
import { bearerToken } from "../auth/api-tokens";
import { peerAddress } from "../auth/client-address";
import type { SessionUser } from "../auth/session-user";
import type { Db } from "../db/client";
import { DomainError } from "../errors";
import { ORG_HEADER, ORG_PARAM, orgSelection } from "../edge/realm-selection";
import { provesSameOrigin } from "../edge/same-origin";
import {
  MAX_BATCH_CALLS,
  checkBatchSize,
  checkTrpcInput,
  edgeErrorResponse,
  heldBody,
  readBodyCapped,
} from "../edge/trpc-request";
import type { IncomingMessage, ServerResponse } from "node:http";
import { acceptsGzip, sendFetchResponse, toFetchRequest, type IncomingContext } from "./node-http";

/**
 * The machine-facing routes, served by the web process's own HTTP server (server/web/main.ts) in
 * front of Next.js: `/api/trpc` (the console and tRPC clients), `/api/v1` (REST), the OpenAPI
 * document and `/api/health`. They render no page, so Next's per-request machinery (routing,
 * the proxy, the App Router's request context) bought them nothing and cost about 4 ms each
 * (bench/lifecycle.bench.ts: the route floor). Every check lives in the handlers below or in the
 * procedure chain, exactly as when Next served them; the security headers Next added are added by
 * the HTTP layer (server/web/node-http.ts). Integration tests serve the same function
 * (server/test/rest-server.ts).
 */

export const TRPC_ENDPOINT = "/api/trpc";

export type ApiDeps = {
  clients: { tenant: Db; platform: Db };
  /** The session a cookie-carrying request belongs to (never called for a bearer-token request). */
  sessionUser: (req: Request) => Promise<SessionUser | null>;
  /** The public URL (NEXTAUTH_URL) the OpenAPI document names as its server; the request's origin without it. */
  publicUrl?: string;
};

/** True for the paths this module answers; everything else is Next's (pages, next-auth, exports). */
export function isApiPath(pathname: string): boolean {
  return (
    pathname === "/api/health" ||
    pathname === "/api/openapi.json" ||
    pathname.startsWith(`${TRPC_ENDPOINT}/`) ||
    pathname.startsWith(`${REST_BASE}/`)
  );
}

/**
 * One API request on Node's objects: read as a fetch Request (node-http.ts), answered by
 * handleApi with the dependencies `depsOf` gives for it (its cookies decide the session), written
 * back. Rejects only for a failure the handlers did not answer (or a client gone mid-body).
 */
export async function serveApi(req: IncomingMessage, res: ServerResponse, publicUrl: string | undefined, depsOf: (incoming: IncomingContext) => ApiDeps): Promise<void> {
  const incoming = await toFetchRequest(req, res, publicUrl);
  const response = await handleApi(incoming.request, depsOf(incoming));
  await sendFetchResponse(req, res, response, incoming.poisoned);
}

export async function handleApi(req: Request, deps: ApiDeps): Promise<Response> {
  const url = new URL(req.url);
  if (url.pathname === "/api/health") {
    // Liveness: the web process answers. Touches no database and no session, so it is also the
    // floor of what a request costs here (bench/lifecycle.bench.ts).
    return Response.json({ status: "ok" }, { headers: { "cache-control": "no-store" } });
  }
  if (url.pathname === "/api/openapi.json") {
    if (req.method !== "GET" && req.method !== "HEAD") return methodNotAllowed("GET, HEAD");
    const base = (deps.publicUrl ?? url.origin).replace(/\/$/, "");
    const headers = { "content-type": "application/json", "cache-control": "no-cache", vary: "Accept-Encoding" };
    if (acceptsGzip(req.headers.get("accept-encoding") ?? undefined)) {
      return new Response(new Uint8Array(openApiJsonGzipped(base)), {
        headers: { ...headers, "content-encoding": "gzip" },
      });
    }
    return new Response(openApiJson(base), { headers });
  }
  if (url.pathname.startsWith(`${REST_BASE}/`)) {
    return handleRest(req, { clients: deps.clients, sessionUser: () => deps.sessionUser(req) });
  }
  if (req.method !== "GET" && req.method !== "POST") return methodNotAllowed("GET, POST");
  return handleTrpc(req, url, deps);
}

function methodNotAllowed(allow: string): Response {
  return Response.json(
    { error: { message: `method not allowed (allowed: ${allow})` } },
    { status: 405, headers: { allow } },
  );
}

/**
 * tRPC over HTTP. Threats, in the order they are stopped:
 * - cross-site form posts riding the session cookie (tRPC 11 accepts form bodies): a POST must
 *   be JSON, which browsers cannot send cross-site without a CORS preflight this endpoint never
 *   grants;
 * - oversized bodies and batches (edge/trpc-request.ts): refused before the body is parsed;
 * - prototype keys and non-object inputs: refused as invalid input naming the key;
 * - denials planted by cross-site links: ctx.provenSameOrigin (edge/same-origin.ts).
 * A planted callback-url cookie is never read here (and is expired by the HTTP layer).
 * The organization a request names (edge/realm-selection.ts) is passed on as a request only.
 * An `Authorization: Bearer` API token (auth/api-tokens.ts) replaces the cookie: the session
 * is then not read at all, and only realm procedures accept the token (api/trpc.ts).
 */
async function handleTrpc(req: Request, url: URL, deps: ApiDeps): Promise<Response> {
  const requestId = randomUUID();
  const headers = { "x-request-id": requestId };
  if (req.method === "POST" && !(req.headers.get("content-type") ?? "").startsWith("application/json")) {
    return Response.json({ error: { message: "content-type must be application/json" } }, { status: 415, headers });
  }
  const isBatch = url.searchParams.get("batch") === "1";
  const tooMany = checkBatchSize(url.pathname, TRPC_ENDPOINT);
  if (tooMany) return edgeErrorResponse(tooMany, headers);

  let body: string | undefined;
  if (req.method === "POST") {
    const read = await readBodyCapped(req);
    if (!read.ok) return edgeErrorResponse(read.error, headers);
    body = read.text;
  }
  const inputError = checkTrpcInput(req.method === "POST" ? (body ?? "") : url.searchParams.get("input"), isBatch);
  if (inputError) return edgeErrorResponse(inputError, headers);

  const bearer = bearerToken(req.headers);
  // A cross-site page cannot attach a bearer token (that needs a CORS preflight this endpoint
  // never grants), so a token request proves as much as the same-origin header does.
  const provenSameOrigin = bearer !== null || provesSameOrigin(req.method, req.headers);
  // tRPC reads the body we already read (and checked) instead of the consumed stream; a body the
  // HTTP layer held was not consumed (readBodyCapped answered from what it held).
  const checked =
    body === undefined || heldBody(req) !== undefined
      ? req
      : new Request(req.url, { method: req.method, headers: req.headers, body, signal: req.signal });
  return fetchRequestHandler({
    endpoint: TRPC_ENDPOINT,
    req: checked,
    router: appRouter,
    maxBatchSize: MAX_BATCH_CALLS,
    // The organization the caller's tab works in: the client's header, or, for a live-update
    // stream (an EventSource cannot send headers), its connectionParams. Resolved against the
    // caller's memberships per request (edge/realm-selection.ts).
    createContext: async ({ info }) =>
      createContext(deps.clients, bearer === null ? await deps.sessionUser(req) : null, requestId, {
        provenSameOrigin,
        requestedOrg: orgSelection(req.headers.get(ORG_HEADER) ?? info.connectionParams?.[ORG_PARAM]),
        bearer,
        peer: peerAddress(req.headers),
      }),
    responseMeta: ({ errors }) => {
      // 429 for a token over its rate limit says when to come back.
      const retryAfter = errors
        .map((e) => (e.cause instanceof DomainError ? e.cause.details.retryAfter : undefined))
        .find((s) => typeof s === "number");
      return { headers: new Headers({ ...headers, ...(retryAfter ? { "retry-after": String(retryAfter) } : {}) }) };
    },
  });
}
