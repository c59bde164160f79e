/**
 * Checks on a tRPC HTTP request before tRPC reads it. Threats:
 * - memory and CPU spent on a huge body (a 10 MB JSON was read and parsed before being refused):
 *   the body is capped by Content-Length and, without one, by counting bytes as they stream,
 *   and refused (413) before any parsing;
 * - one request fanning out into hundreds of procedure calls: the batch is capped by the number
 *   of comma-separated paths in the URL, known before the body is read;
 * - prototype keys (`__proto__`, `constructor`, `prototype`) slipping past `.strict()` schemas
 *   (zod never sees `__proto__` as an own key) and into objects built from the input;
 * - a body of `null` or a batch entry that is not an object, which superjson fails to
 *   destructure and tRPC answered with the internal TypeError's text.
 * Each refusal is a tRPC-shaped error (the `json` envelope of the superjson transformer) that
 * names the limit or the key.
 */

export const MAX_BODY_BYTES = 1024 * 1024;
export const MAX_BATCH_CALLS = 20;
const FORBIDDEN_KEYS = new Set(["__proto__", "constructor", "prototype"]);

const JSON_RPC_CODES = { BAD_REQUEST: -32600, PAYLOAD_TOO_LARGE: -32413 } as const;

export type EdgeError = { status: 400 | 413; code: keyof typeof JSON_RPC_CODES; message: string; limit?: number };

export function edgeErrorResponse(error: EdgeError, headers?: HeadersInit): Response {
  const data = { code: error.code, httpStatus: error.status, ...(error.limit !== undefined ? { limit: error.limit } : {}) };
  return Response.json({ error: { json: { message: error.message, code: JSON_RPC_CODES[error.code], data } } }, { status: error.status, headers });
}

/** How many procedure calls the URL asks for: `/api/trpc/a,b,c` is three. */
export function batchCalls(pathname: string, endpoint: string): number {
  const rest = pathname.startsWith(`${endpoint}/`) ? pathname.slice(endpoint.length + 1) : "";
  return rest === "" ? 0 : rest.split(",").length;
}

export function checkBatchSize(pathname: string, endpoint: string, limit = MAX_BATCH_CALLS): EdgeError | null {
  const calls = batchCalls(pathname, endpoint);
  if (calls <= limit) return null;
  return { status: 400, code: "BAD_REQUEST", message: `too many calls in one batch: ${calls} (limit ${limit})`, limit };
}

const tooLarge = (limit: number): EdgeError => ({
  status: 413,
  code: "PAYLOAD_TOO_LARGE",
  message: `request body too large (limit ${limit} bytes)`,
  limit,
});

/**
 * Bodies the HTTP layer already read whole (web/node-http.ts: announced, within MAX_BODY_BYTES),
 * as text, so a handler need not read the Request's body (it stays unread, for tRPC to read).
 */
const heldBodies = new WeakMap<Request, string>();
export function holdBody(req: Request, text: string): void {
  heldBodies.set(req, text);
}
/** The text holdBody kept for `req`, if any. */
export function heldBody(req: Request): string | undefined {
  return heldBodies.get(req);
}

/**
 * The body as text, read at most `limit` bytes: a declared length over the limit is refused
 * without reading; otherwise the stream is counted and cancelled as soon as it passes the limit.
 * A body the HTTP layer held (within MAX_BODY_BYTES) is answered from there, the Request's own
 * left unread.
 */
export async function readBodyCapped(req: Request, limit = MAX_BODY_BYTES): Promise<{ ok: true; text: string } | { ok: false; error: EdgeError }> {
  const declared = req.headers.get("content-length");
  if (declared !== null && (!/^\d+$/.test(declared) || Number(declared) > limit)) return { ok: false, error: tooLarge(limit) };
  const held = heldBodies.get(req);
  if (held !== undefined && Buffer.byteLength(held) <= limit) return { ok: true, text: held };
  if (!req.body) return { ok: true, text: "" };
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      return { ok: false, error: tooLarge(limit) };
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return { ok: true, text: new TextDecoder().decode(bytes) };
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const invalid = (message: string): EdgeError => ({ status: 400, code: "BAD_REQUEST", message: `invalid input: ${message}` });

/**
 * The JSON input of a request (a POST body, or a GET's `input` parameter) checked for shape and
 * prototype keys. Text that is not JSON is left to tRPC, which answers its own parse error.
 */
export function checkTrpcInput(text: string | null, isBatch: boolean): EdgeError | null {
  if (text === null || text === "") return null;
  let forbidden: string | null = null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text, function (key, value) {
      if (forbidden === null && FORBIDDEN_KEYS.has(key)) forbidden = key;
      return value;
    });
  } catch {
    return null;
  }
  if (forbidden !== null) return invalid(`key ${forbidden} is not allowed`);
  if (!isPlainObject(parsed)) return invalid(isBatch ? 'a batch must be an object of calls ({"0": {"json": …}})' : 'the input must be an object ({"json": …})');
  if (isBatch && !Object.values(parsed).every(isPlainObject)) return invalid('every call of a batch must be an object ({"json": …})');
  return null;
}
