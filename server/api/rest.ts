import { randomUUID } from "node:crypto";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import { createOpenApiNodeHttpHandler } from "trpc-to-openapi";
import { bearerToken } from "../auth/api-tokens";
import { peerAddress } from "../auth/client-address";
import type { SessionUser } from "../auth/session-user";
import type { Db } from "../db/client";
import { ORG_HEADER, orgSelection } from "../edge/realm-selection";
import { provesSameOrigin } from "../edge/same-origin";
import { MAX_BODY_BYTES, readBodyCapped } from "../edge/trpc-request";
import { DomainError } from "../errors";
import { MAX_WAIT_SECONDS } from "../services/operations";
import { createContext, type Context } from "./context";
import { isExportRoute, serveAuditExport } from "./rest-export";
import { appRouter } from "./root";
import type { ApiMeta } from "./trpc";

/**
 * The REST surface (`/api/v1`): the same procedures as tRPC, routed by their `openapi` meta
 * (trpc-to-openapi), so there is one API and one set of checks. What this file adds is HTTP:
 * - credentials: `Authorization: Bearer <token>` (no cookie, no CSRF header needed), or the
 *   session cookie for the browser (same-origin proof as for tRPC);
 * - `Idempotency-Key` (a mutation's key) and `?wait=<seconds>` (an accepted operation awaited
 *   after commit), passed to the chain through the context;
 * - `202 Accepted` + `Location: /api/v1/operations/{id}` for lifecycle requests;
 * - every error as RFC 9457 `application/problem+json` with the field errors, `Retry-After` on
 *   429, `WWW-Authenticate` on 401;
 * - the same body limits as tRPC (1 MiB, JSON only, no prototype keys).
 */

export const REST_BASE = "/api/v1";
const FORBIDDEN_KEYS = new Set(["__proto__", "constructor", "prototype"]);

type Procedure = { _def: { meta?: ApiMeta } };
const procedures = appRouter._def.procedures as unknown as Record<string, Procedure>;
const metaOf = (path: string | undefined): ApiMeta | undefined => (path ? procedures[path]?._def.meta : undefined);

export type RestRequestDeps = {
  clients: { tenant: Db; platform: Db };
  /** The cookie session, read only when the request carries no bearer token. */
  sessionUser: () => Promise<SessionUser | null>;
};

type Problem = { status: number; title: string; detail: string; code: string; errors?: Record<string, string[]>; headers?: Record<string, string> };

const TITLES: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  409: "Conflict",
  412: "Precondition Failed",
  413: "Content Too Large",
  415: "Unsupported Media Type",
  429: "Too Many Requests",
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout",
};

export function problemResponse(problem: Problem, instance: string, requestId: string): Response {
  const slug = problem.code.toLowerCase().replace(/_/g, "-");
  const body = {
    type: `urn:realmgate:problem:${slug}`,
    title: TITLES[problem.status] ?? "Error",
    status: problem.status,
    detail: problem.detail,
    instance,
    code: problem.code,
    requestId,
    ...(problem.errors && Object.keys(problem.errors).length > 0 ? { errors: problem.errors } : {}),
  };
  const headers = new Headers({ "content-type": "application/problem+json", "x-request-id": requestId, "cache-control": "no-store", ...problem.headers });
  if (problem.status === 401) headers.set("www-authenticate", 'Bearer realm="realmgate"');
  return new Response(JSON.stringify(body), { status: problem.status, headers });
}

const badRequest = (detail: string, field?: string): Problem => ({ status: 400, title: "Bad Request", code: "BAD_REQUEST", detail, ...(field ? { errors: { [field]: [detail] } } : {}) });

/** The body as an object, or a problem naming what is wrong with it. */
function parseBody(text: string): { ok: true; value: Record<string, unknown> } | { ok: false; problem: Problem } {
  if (text.trim() === "") return { ok: true, value: {} };
  let forbidden: string | null = null;
  let value: unknown;
  try {
    value = JSON.parse(text, (key, v: unknown) => {
      if (forbidden === null && FORBIDDEN_KEYS.has(key)) forbidden = key;
      return v;
    });
  } catch (error) {
    return { ok: false, problem: badRequest(`the body is not valid JSON: ${(error as Error).message}`) };
  }
  if (forbidden !== null) return { ok: false, problem: badRequest(`key ${forbidden} is not allowed`, forbidden) };
  if (typeof value !== "object" || value === null || Array.isArray(value)) return { ok: false, problem: badRequest("the body must be a JSON object") };
  return { ok: true, value: value as Record<string, unknown> };
}

function parseWait(url: URL): { ok: true; seconds: number } | { ok: false; problem: Problem } {
  const raw = url.searchParams.get("wait");
  url.searchParams.delete("wait");
  if (raw === null) return { ok: true, seconds: 0 };
  if (!/^\d+$/.test(raw) || Number(raw) > MAX_WAIT_SECONDS) return { ok: false, problem: badRequest(`wait must be a whole number of seconds from 0 to ${MAX_WAIT_SECONDS}`, "wait") };
  return { ok: true, seconds: Number(raw) };
}

const CONTEXT = Symbol("realmgate.context");
type RestReq = Request & { [CONTEXT]: Context };
type Captured = { status: number; headers: Headers; body: string };

let handler: ReturnType<typeof createOpenApiNodeHttpHandler> | null = null;

function openApiHandler() {
  handler ??= createOpenApiNodeHttpHandler({
    router: appRouter,
    maxBodySize: MAX_BODY_BYTES,
    createContext: ({ req }: { req: unknown }) => (req as RestReq)[CONTEXT],
    responseMeta: ({ paths, data, errors }) => {
      const error = errors[0];
      if (error) {
        const retryAfter = error.cause instanceof DomainError ? error.cause.details.retryAfter : undefined;
        return { status: getHTTPStatusCodeFromError(error), headers: typeof retryAfter === "number" ? { "retry-after": String(retryAfter) } : {} };
      }
      const result = data[0] as { operationId?: string; operation?: { done: boolean } } | undefined;
      if (metaOf(paths?.[0])?.awaits === "accepted" && result?.operationId) {
        // Accepted: the operation runs on; its Location is where to follow it. Finished within
        // `?wait=`: the answer carries the outcome, so 200.
        return { status: result.operation?.done ? 200 : 202, headers: { location: `${REST_BASE}/operations/${result.operationId}` } };
      }
      return { status: 200, headers: {} };
    },
  } as Parameters<typeof createOpenApiNodeHttpHandler>[0]);
  return handler;
}

/** Runs trpc-to-openapi's handler on an already checked request and captures its answer. */
function dispatch(req: Request, url: URL, body: Record<string, unknown> | undefined, ctx: Context): Promise<Captured> {
  // The body was checked above (JSON, or none from a token caller): it is JSON now.
  const headers = new Headers(req.headers);
  if (body !== undefined) headers.set("content-type", "application/json");
  const proxied = new Proxy(req, {
    get: (target, prop) => {
      if (prop === "url") return url.toString();
      if (prop === "headers") return headers;
      if (prop === "body") return body;
      if (prop === CONTEXT) return ctx;
      const value = Reflect.get(target, prop, target) as unknown;
      return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
    has: (target, prop) => prop === "body" || Reflect.has(target, prop),
  });
  return new Promise((resolve) => {
    const answer = new Headers();
    let status = 200;
    const res = {
      setHeader: (key: string, value: string | string[]) => {
        for (const v of Array.isArray(value) ? value : [value]) answer.append(key, v);
      },
      get statusCode() {
        return status;
      },
      set statusCode(code: number) {
        status = code;
      },
      end: (text: string) => resolve({ status, headers: answer, body: text ?? "" }),
    };
    void openApiHandler()(proxied as never, res as never);
  });
}

type ErrorBody = { message?: string; code?: string; data?: { path?: string; fieldErrors?: Record<string, string[]>; formErrors?: string[] } };

function toProblem(captured: Captured, method: string, path: string): Problem {
  let body: ErrorBody = {};
  try {
    body = JSON.parse(captured.body) as ErrorBody;
  } catch {
    /* an empty or non-JSON answer: described by its status alone */
  }
  const code = body.code ?? "INTERNAL_SERVER_ERROR";
  const headers: Record<string, string> = {};
  const retryAfter = captured.headers.get("retry-after");
  if (retryAfter) headers["retry-after"] = retryAfter;
  // No procedure matched: the route does not exist (or not with this method).
  if (code === "NOT_FOUND" && !body.data?.path) return { status: 404, title: "Not Found", code, detail: `no such endpoint: ${method} ${path} (see /api/openapi.json)` };
  const fieldErrors = body.data?.fieldErrors;
  const fields = fieldErrors ? Object.entries(fieldErrors).map(([field, messages]) => `${field}: ${messages.join("; ")}`) : [];
  const detail = fields.length > 0 ? `invalid input: ${fields.join(", ")}` : (body.data?.formErrors?.join("; ") || body.message) ?? "error";
  return { status: captured.status, title: TITLES[captured.status] ?? "Error", code, detail, ...(fieldErrors ? { errors: fieldErrors } : {}), headers };
}

/** One REST request, from the raw Request to the Response. */
export async function handleRest(req: Request, deps: RestRequestDeps): Promise<Response> {
  const requestId = randomUUID();
  const url = new URL(req.url);
  const instance = url.pathname;
  const method = req.method.toUpperCase();
  const routeUrl = new URL(url.toString().replace(REST_BASE, ""));

  const wait = parseWait(routeUrl);
  if (!wait.ok) return problemResponse(wait.problem, instance, requestId);

  const bearer = bearerToken(req.headers);
  let body: Record<string, unknown> | undefined;
  if (method === "POST" || method === "PUT" || method === "PATCH") {
    const read = await readBodyCapped(req);
    if (!read.ok) return problemResponse({ status: 413, title: "", code: "PAYLOAD_TOO_LARGE", detail: read.error.message }, instance, requestId);
    // JSON only: a cross-site page can send a form or a body-less POST with the browser's
    // cookie, never a JSON one (that needs a CORS preflight). A token request cannot be forged
    // that way, so `curl -X POST …/start` with a token and no body is fine.
    const contentType = req.headers.get("content-type");
    const isJson = (contentType ?? "").toLowerCase().startsWith("application/json");
    if (!isJson && !(bearer !== null && read.text === "" && contentType === null)) {
      return problemResponse({ status: 415, title: "", code: "UNSUPPORTED_MEDIA_TYPE", detail: "content-type must be application/json" }, instance, requestId);
    }
    const parsed = parseBody(read.text);
    if (!parsed.ok) return problemResponse(parsed.problem, instance, requestId);
    body = parsed.value;
  }

  const ctx = createContext(deps.clients, bearer === null ? await deps.sessionUser() : null, requestId, {
    // A bearer token cannot be attached by a cross-site page (it would need a CORS preflight
    // this server never grants), so a token request proves as much as the same-origin header.
    provenSameOrigin: bearer !== null || provesSameOrigin(method, req.headers),
    // A member of several organizations names one (a token names its own; another is not found).
    requestedOrg: orgSelection(req.headers.get(ORG_HEADER)),
    bearer,
    peer: peerAddress(req.headers),
    idempotencyKey: req.headers.get("idempotency-key"),
    waitSeconds: wait.seconds,
  });

  // The audit exports stream a file: the same context and procedure chain, answered here (api/rest-export.ts).
  if (isExportRoute(method, routeUrl.pathname)) {
    const answer = await serveAuditExport(routeUrl.pathname, routeUrl, ctx, deps.clients, req.signal);
    if (answer.ok) return answer.response;
    return problemResponse(toProblem(answer, method, instance), instance, requestId);
  }
  const captured = await dispatch(req, routeUrl, body, ctx);
  if (captured.status >= 400) return problemResponse(toProblem(captured, method, instance), instance, requestId);
  const headers = new Headers(captured.headers);
  headers.set("content-type", "application/json");
  headers.set("x-request-id", requestId);
  headers.set("cache-control", "no-store");
  return new Response(captured.body, { status: captured.status, headers });
}
