import { gzipSync } from "node:zlib";
import { generateOpenApiDocument, type OpenAPIObject } from "trpc-to-openapi";
import { tokenRateLimit } from "../auth/api-tokens";
import { MAX_TOKEN_LIFETIME_DAYS, TOKEN_PREFIX } from "../policy/api-tokens";
import { MAX_WAIT_SECONDS } from "../services/operations";
import { REST_BASE } from "./rest";
import { appRouter } from "./root";
import type { ApiMeta } from "./trpc";

/**
 * The OpenAPI 3.1 document of the REST surface, generated from the router (paths, parameters,
 * request and response schemas come from each procedure's meta and zod schemas), plus what HTTP
 * adds and the generator cannot know: `?wait=` and 202 + Location on lifecycle requests, the
 * `Idempotency-Key` header on mutations, problem+json errors, the two credentials.
 */

type Operation = {
  parameters?: unknown[];
  responses?: Record<string, unknown>;
  security?: unknown[];
  [key: string]: unknown;
};

const problem = {
  type: "object",
  description: "RFC 9457 problem details",
  required: ["type", "title", "status", "detail"],
  properties: {
    type: { type: "string", description: "urn:realmgate:problem:<code>" },
    title: { type: "string" },
    status: { type: "integer" },
    detail: { type: "string", description: "What is wrong, in words" },
    instance: { type: "string" },
    code: { type: "string", description: "NOT_FOUND, BAD_REQUEST, …" },
    requestId: { type: "string" },
    errors: { type: "object", additionalProperties: { type: "array", items: { type: "string" } }, description: "Field → problems" },
  },
};

const waitParameter = {
  name: "wait",
  in: "query",
  required: false,
  description: `Seconds (0–${MAX_WAIT_SECONDS}) to wait for the operation to finish before answering`,
  schema: { type: "integer", minimum: 0, maximum: MAX_WAIT_SECONDS },
};

const idempotencyParameter = {
  name: "Idempotency-Key",
  in: "header",
  required: false,
  description: "Retrying with the same key and request returns the first answer (24 h) instead of acting twice",
  schema: { type: "string", minLength: 8, maxLength: 128, pattern: "^[A-Za-z0-9_.:-]+$" },
};

const DESCRIPTION = `Realmgate's REST API: the same procedures as the web console, with the same checks.

**Credentials.** Send \`Authorization: Bearer ${TOKEN_PREFIX}…\` with an API token created on the console's API page (a subset of your permissions in one realm, for at most ${MAX_TOKEN_LIFETIME_DAYS} days; ${tokenRateLimit()} requests per minute per token). Operator endpoints need a signed-in operator session.

**Operations.** Lifecycle requests answer \`202 Accepted\` with \`Location: ${REST_BASE}/operations/{id}\`; add \`?wait=<seconds>\` to wait for the outcome.

**Errors** are \`application/problem+json\` (RFC 9457) with \`errors\` naming each invalid field. An object of another realm answers exactly like a missing one.`;

function build(baseUrl: string): OpenAPIObject {
  const document = generateOpenApiDocument(appRouter, {
    title: "Realmgate API",
    version: "1.0.0",
    description: DESCRIPTION,
    baseUrl: `${baseUrl}${REST_BASE}`,
    openApiVersion: "3.1.0",
    tags: ["Realm", "VMs", "VM lifecycle", "Operations", "Devices", "Disks", "Networks", "Templates", "People", "API tokens", "Audit", "Operator"],
    securitySchemes: {
      token: { type: "http", scheme: "bearer", description: `An API token (${TOKEN_PREFIX}…)` },
      session: { type: "apiKey", in: "cookie", name: "next-auth.session-token", description: "The console's session (browsers)" },
    },
  });
  const procedures = appRouter._def.procedures as unknown as Record<string, { _def: { meta?: ApiMeta; type: string } }>;
  const byRoute = new Map<string, { meta: ApiMeta; type: string }>();
  for (const procedure of Object.values(procedures)) {
    const openapi = procedure._def.meta?.openapi;
    if (openapi) byRoute.set(`${openapi.method.toLowerCase()} ${openapi.path}`, { meta: procedure._def.meta!, type: procedure._def.type });
  }
  document.components = { ...document.components, schemas: { ...document.components?.schemas, Problem: problem } as never };
  for (const [path, item] of Object.entries(document.paths ?? {})) {
    for (const [method, operation] of Object.entries(item as Record<string, Operation>)) {
      const procedure = byRoute.get(`${method} ${path}`);
      if (!procedure) continue;
      const { meta, type } = procedure;
      const operator = meta.openapi?.tags?.includes("Operator");
      operation.security = operator ? [{ session: [] }] : [{ token: [] }, { session: [] }];
      if (type === "mutation") operation.parameters = [...(operation.parameters ?? []), idempotencyParameter];
      if (meta.awaits) operation.parameters = [...(operation.parameters ?? []), waitParameter];
      const responses = (operation.responses ??= {});
      if (meta.awaits === "accepted") {
        const ok = responses["200"] as { content?: unknown } | undefined;
        responses["202"] = {
          description: "Accepted: the operation runs on; follow it at Location",
          headers: { Location: { description: "The operation", schema: { type: "string" } } },
          content: ok?.content,
        };
        responses["200"] = { ...(ok ?? {}), description: "With ?wait=: the operation finished within the wait" };
      }
      for (const [status, description] of [
        ["400", "Invalid input (the fields are named in errors)"],
        ["401", "No credential, or an expired, revoked or unknown one"],
        ["403", "Your role or your token does not allow this"],
        ["404", "Not found (or not in your realm)"],
        ["409", "Conflicts with the current state"],
        ["429", "Rate limited: see Retry-After"],
      ] as const) {
        responses[status] = { description, content: { "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } } } };
      }
      delete responses.default;
    }
  }
  return document;
}

/**
 * Built once per base URL, and serialised once: the document only changes with the code. The
 * base URL can come from the request's Host header (when NEXTAUTH_URL is unset), so the cache
 * is bounded: made-up hosts cannot grow it.
 */
const MAX_CACHED = 16;
const cache = new Map<string, { document: OpenAPIObject; text: string; gzipped?: Buffer }>();

function cached(baseUrl: string) {
  let entry = cache.get(baseUrl);
  if (!entry) {
    const document = build(baseUrl);
    entry = { document, text: JSON.stringify(document) };
    if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value!);
    cache.set(baseUrl, entry);
  }
  return entry;
}

/** The document for a public base URL (NEXTAUTH_URL, or the request's origin). */
export function openApiDocument(baseUrl: string): OpenAPIObject {
  return cached(baseUrl).document;
}

/** The same document as JSON text (what GET /api/openapi.json answers). */
export function openApiJson(baseUrl: string): string {
  return cached(baseUrl).text;
}

/** The JSON text gzipped, once (compressing ~80 kB on every request cost more than the rest of it). */
export function openApiJsonGzipped(baseUrl: string): Buffer {
  const entry = cached(baseUrl);
  entry.gzipped ??= gzipSync(entry.text);
  return entry.gzipped;
}
