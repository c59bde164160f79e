import { randomUUID } from "node:crypto";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { cookies } from "next/headers";
import { createContext } from "@/server/api/context";
import { appRouter } from "@/server/api/root";
import { bearerToken } from "@/server/auth/api-tokens";
import { peerAddress } from "@/server/auth/client-address";
import { getSessionUser } from "@/server/auth/session";
import { platformDb, tenantDb } from "@/server/db/client";
import { DomainError } from "@/server/errors";
import { poisonedCallbackCookies } from "@/server/edge/auth-urls";
import { ORG_HEADER, ORG_PARAM, orgSelection } from "@/server/edge/realm-selection";
import { provesSameOrigin } from "@/server/edge/same-origin";
import { MAX_BATCH_CALLS, checkBatchSize, checkTrpcInput, edgeErrorResponse, readBodyCapped } from "@/server/edge/trpc-request";

export const dynamic = "force-dynamic";

const ENDPOINT = "/api/trpc";

/**
 * tRPC over HTTP. Threats, in the order they are stopped:
 * - cross-site form posts riding the session cookie (tRPC 11 accepts form bodies): a POST must
 *   be JSON, which browsers cannot send cross-site without a CORS preflight this endpoint never
 *   grants;
 * - oversized bodies and batches (edge/trpc-request.ts): refused before the body is parsed;
 * - prototype keys and non-object inputs: refused as invalid input naming the key;
 * - a planted callback-url cookie that next-auth would answer 500 for: dropped before the
 *   session is read (edge/auth-urls.ts);
 * - denials planted by cross-site links: ctx.provenSameOrigin (edge/same-origin.ts).
 * The organization a request names (edge/realm-selection.ts) is passed on as a request only.
 * An `Authorization: Bearer` API token (auth/api-tokens.ts) replaces the cookie: the session
 * is then not read at all, and only realm procedures accept the token (api/trpc.ts).
 */
async function handler(req: Request): Promise<Response> {
  const requestId = randomUUID();
  const headers = { "x-request-id": requestId };
  if (req.method === "POST" && !(req.headers.get("content-type") ?? "").startsWith("application/json")) {
    return Response.json({ error: { message: "content-type must be application/json" } }, { status: 415, headers });
  }
  const url = new URL(req.url);
  const isBatch = url.searchParams.get("batch") === "1";
  const tooMany = checkBatchSize(url.pathname, ENDPOINT);
  if (tooMany) return edgeErrorResponse(tooMany, headers);

  let body: string | undefined;
  if (req.method === "POST") {
    const read = await readBodyCapped(req);
    if (!read.ok) return edgeErrorResponse(read.error, headers);
    body = read.text;
  }
  const inputError = checkTrpcInput(req.method === "POST" ? (body ?? "") : url.searchParams.get("input"), isBatch);
  if (inputError) return edgeErrorResponse(inputError, headers);

  const jar = await cookies();
  for (const name of poisonedCallbackCookies(jar.getAll(), process.env.NEXTAUTH_URL ?? url.origin)) jar.delete(name);

  const bearer = bearerToken(req.headers);
  // A cross-site page cannot attach a bearer token (that needs a CORS preflight this endpoint
  // never grants), so a token request proves as much as the same-origin header does.
  const provenSameOrigin = bearer !== null || provesSameOrigin(req.method, req.headers);
  // tRPC reads the body we already read (and checked) instead of the consumed stream.
  const checked = body === undefined ? req : new Request(req.url, { method: req.method, headers: req.headers, body, signal: req.signal });
  return fetchRequestHandler({
    endpoint: ENDPOINT,
    req: checked,
    router: appRouter,
    maxBatchSize: MAX_BATCH_CALLS,
    // The organization the caller's tab works in: the client's header, or, for a live-update
    // stream (an EventSource cannot send headers), its connectionParams. Resolved against the
    // caller's memberships per request (edge/realm-selection.ts).
    createContext: async ({ info }) =>
      createContext({ tenant: tenantDb(), platform: platformDb() }, bearer === null ? await getSessionUser() : null, requestId, {
        provenSameOrigin,
        requestedOrg: orgSelection(req.headers.get(ORG_HEADER) ?? info.connectionParams?.[ORG_PARAM]),
        bearer,
        peer: peerAddress(req.headers),
      }),
    responseMeta: ({ errors }) => {
      // 429 for a token over its rate limit says when to come back.
      const retryAfter = errors.map((e) => (e.cause instanceof DomainError ? e.cause.details.retryAfter : undefined)).find((s) => typeof s === "number");
      return { headers: new Headers({ ...headers, ...(retryAfter ? { "retry-after": String(retryAfter) } : {}) }) };
    },
  });
}

export { handler as GET, handler as POST };
