import type { IncomingMessage, ServerResponse } from "node:http";
import { Readable } from "node:stream";
import type { ReadableStream as NodeReadableStream } from "node:stream/web";
import { pipeline } from "node:stream/promises";
import { promisify } from "node:util";
import { gzip as gzipCallback } from "node:zlib";
import { poisonedCallbackCookies } from "../edge/auth-urls";
import { parseCookies } from "../edge/cookies";
import { holdBody, MAX_BODY_BYTES } from "../edge/trpc-request";
import {
  API_CONTENT_SECURITY_POLICY,
  BASE_SECURITY_HEADERS,
  STRICT_TRANSPORT_SECURITY,
} from "../edge/security-headers";

/**
 * Node's HTTP objects ⇄ the Fetch API's Request and Response, for the routes the web process
 * answers itself (server/web/api.ts). What Next.js did for these routes and nothing more:
 * - the request as a fetch Request whose signal aborts when the client goes away (a live-update
 *   stream then ends and releases its listener); a body of announced length within the API's
 *   limit is read here, as bytes, and held for the handlers (edge/trpc-request.ts holdBody)
 *   instead of going through a web stream twice (issue 12: a small POST's Request objects and
 *   stream reads were a tenth of the web process's time); any other body streams as before and
 *   is capped by the handlers;
 * - the security headers of every API answer (next.config.ts gives Next's own answers the same,
 *   from the same definitions), HSTS only when a TLS proxy says the request came over https;
 * - a planted callback-url cookie (edge/auth-urls.ts) is expired on the answer, as proxy.ts does
 *   for Next's routes;
 * - gzip for answers worth compressing, when the client accepts it; streams (Server-Sent Events)
 *   are written as they come, never buffered or compressed.
 */

const gzip = promisify(gzipCallback);
/** Below this an answer fits a packet or two and compressing costs more than it saves. */
const COMPRESS_FROM_BYTES = 1024;

export type IncomingContext = {
  request: Request;
  cookies: { name: string; value: string }[];
  /** Callback-url cookies next-auth would refuse: expired on the answer (edge/auth-urls.ts). */
  poisoned: string[];
};

/**
 * `publicUrl` (NEXTAUTH_URL) is the origin request URLs are built on; without it, the Host
 * header, falling back to loopback when that is missing or not a plain host[:port].
 */
export async function toFetchRequest(
  req: IncomingMessage,
  res: ServerResponse,
  publicUrl: string | undefined,
): Promise<IncomingContext> {
  const host = req.headers.host && /^[A-Za-z0-9.\-:[\]]+$/.test(req.headers.host) ? req.headers.host : "127.0.0.1";
  const origin = publicUrl ? new URL(publicUrl).origin : `http://${host}`;
  const headers = new Headers();
  for (let i = 0; i < req.rawHeaders.length; i += 2) headers.append(req.rawHeaders[i]!, req.rawHeaders[i + 1]!);
  const aborted = new AbortController();
  res.once("close", () => {
    if (!res.writableFinished) aborted.abort();
  });
  const method = req.method ?? "GET";
  const hasBody = method !== "GET" && method !== "HEAD";
  const held = hasBody ? await readAnnouncedBody(req, MAX_BODY_BYTES) : null;
  const body = held ?? (hasBody ? (Readable.toWeb(req) as ReadableStream<Uint8Array>) : undefined);
  const request = new Request(`${origin}${req.url ?? "/"}`, {
    method,
    headers,
    signal: aborted.signal,
    ...(body === undefined ? {} : { body, duplex: "half" }),
  } as RequestInit);
  if (held) holdBody(request, new TextDecoder().decode(held));
  const cookies = parseCookies(req.headers.cookie);
  return { request, cookies, poisoned: poisonedCallbackCookies(cookies, origin) };
}

/**
 * The body, if its length is announced (Content-Length, not chunked) and within `limit`: read
 * whole. Null otherwise (left to stream, and to the handler's cap). A client that goes away
 * before sending all of it rejects.
 */
async function readAnnouncedBody(req: IncomingMessage, limit: number): Promise<Buffer | null> {
  const declared = req.headers["content-length"];
  if (declared === undefined || req.headers["transfer-encoding"] !== undefined || !/^\d+$/.test(declared) || Number(declared) > limit) return null;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    chunks.push(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return Buffer.concat(chunks, size);
}

/** Writes a fetch Response to Node's response with the API's security headers. */
export async function sendFetchResponse(
  req: IncomingMessage,
  res: ServerResponse,
  response: Response,
  poisoned: string[] = [],
): Promise<void> {
  res.statusCode = response.status;
  const setCookies = response.headers.getSetCookie();
  response.headers.forEach((value, key) => {
    if (key !== "set-cookie") res.setHeader(key, value);
  });
  for (const { key, value } of BASE_SECURITY_HEADERS) res.setHeader(key, value);
  res.setHeader("content-security-policy", API_CONTENT_SECURITY_POLICY);
  if (req.headers["x-forwarded-proto"] === "https")
    res.setHeader("strict-transport-security", STRICT_TRANSPORT_SECURITY);
  for (const name of poisoned)
    setCookies.push(`${name}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax${name.startsWith("__") ? "; Secure" : ""}`);
  if (setCookies.length > 0) res.setHeader("set-cookie", setCookies);

  if (!response.body) {
    res.end();
    return;
  }
  const contentType = response.headers.get("content-type") ?? "";
  if (contentType.startsWith("text/event-stream") || contentType.startsWith("application/x-ndjson") || contentType.startsWith("text/csv")) {
    // A live-update stream, or an audit export (api/rest-export.ts): written as it is produced,
    // pulled only as fast as the client reads (pipeline's back-pressure), never held whole.
    res.flushHeaders();
    await pipeline(Readable.fromWeb(response.body as NodeReadableStream), res).catch(() => undefined);
    return;
  }
  const body = Buffer.from(await response.arrayBuffer());
  if (
    body.length >= COMPRESS_FROM_BYTES &&
    acceptsGzip(req.headers["accept-encoding"]) &&
    !response.headers.has("content-encoding")
  ) {
    const compressed = await gzip(body);
    res.setHeader("content-encoding", "gzip");
    res.setHeader("vary", "Accept-Encoding");
    res.setHeader("content-length", compressed.length);
    res.end(compressed);
    return;
  }
  res.setHeader("content-length", body.length);
  res.end(body);
}

/** `gzip` listed in Accept-Encoding with a non-zero quality. */
export function acceptsGzip(header: string | string[] | undefined): boolean {
  const value = Array.isArray(header) ? header.join(",") : (header ?? "");
  return value.split(",").some((entry) => {
    const [coding, ...params] = entry.trim().toLowerCase().split(";");
    if (coding !== "gzip" && coding !== "*") return false;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
    return q === undefined || Number(q.slice(2)) > 0;
  });
}
