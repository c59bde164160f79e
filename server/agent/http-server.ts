import http from "node:http";
import { NONCE_HEADER, NonceCache, SIGNATURE_HEADER, TIMESTAMP_HEADER, verify } from "../contracts/signing";
import { ROUTES, type RouteContext } from "./routes";
import type { Toolstack } from "./toolstack";

/**
 * The agent's HTTP face, loopback only. Threat: anyone on the machine calling the hypervisor.
 * Every request must carry this host's HMAC signature over method, path and query, timestamp,
 * nonce and body (see contracts/signing.ts), and a nonce this agent has not accepted before
 * (a captured request replayed inside the window gets 401 "replayed request"); bodies are
 * validated against the shared contract before the toolstack sees them (400 naming the
 * field); test hooks do not exist unless the agent was started with them enabled.
 */

const MAX_BODY_BYTES = 64 * 1024;

export type AgentOptions = {
  hostName: string;
  secret: string;
  capacity: { vcpus: number; memoryMb: number };
  log: (line: string) => void;
  /** REALMGATE_AGENT_TEST_HOOKS=1: serve POST /v1/host/crash. */
  testHooks?: boolean;
};

function send(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

function readBody(req: http.IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new Error("body too large"));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

/** One log line per mutating request: what, the outcome, and its AVC lines. */
function describe(method: string, path: string, body: unknown, reply: unknown): string {
  const b = (body ?? {}) as { action?: string; vm?: { name: string; uuid: string }; domid?: number; idempotencyKey?: string };
  const r = (reply ?? {}) as { ok?: boolean; error?: { code: string }; replayed?: boolean; avc?: unknown };
  const lines = Array.isArray(r.avc) ? (r.avc as string[]) : typeof r.avc === "string" ? [`(would log) ${r.avc}`] : [];
  const what = b.vm ? `${b.action} ${b.vm.name} (${b.vm.uuid})` : `${method} ${path}${b.action ? ` ${b.action}` : ""}${b.domid !== undefined ? ` dom${b.domid}` : ""}`;
  return (
    `${what}${b.idempotencyKey ? ` key=${b.idempotencyKey}` : ""} → ${r.ok === false ? r.error?.code : "ok"}` +
    (r.replayed ? " (replayed)" : "") +
    lines.map((l) => `\n  ${l}`).join("")
  );
}

export function createAgentServer(toolstack: Toolstack, options: AgentOptions): http.Server {
  const ctx: RouteContext = { toolstack, hostName: options.hostName, capacity: options.capacity, testHooks: options.testHooks ?? false };
  const nonces = new NonceCache();
  return http.createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? "/", "http://agent");
      const method = req.method ?? "GET";
      // The route's own limit (a policy upload is larger than any hypercall), by path alone.
      const body = await readBody(req, ROUTES.find((r) => r.path === url.pathname)?.maxBodyBytes ?? MAX_BODY_BYTES);
      const auth = verify(options.secret, {
        method,
        pathAndQuery: url.pathname + url.search,
        timestamp: req.headers[TIMESTAMP_HEADER] as string | undefined,
        nonce: req.headers[NONCE_HEADER] as string | undefined,
        signature: req.headers[SIGNATURE_HEADER] as string | undefined,
        body,
      });
      if (!auth.ok) {
        options.log(`rejected unauthenticated ${method} ${url.pathname}: ${auth.reason}`);
        return send(res, 401, { error: { code: "UNAUTHENTICATED", message: auth.reason } });
      }
      // Only after the signature holds: an unsigned request cannot fill the cache.
      const claim = nonces.claim(req.headers[NONCE_HEADER] as string, auth.timestamp);
      if (claim === "replayed") {
        options.log(`rejected replayed ${method} ${url.pathname}`);
        return send(res, 401, { error: { code: "UNAUTHENTICATED", message: "replayed request" } });
      }
      if (claim === "full") {
        options.log(`refused ${method} ${url.pathname}: nonce cache full`);
        return send(res, 503, { error: { code: "EBUSY", message: "too many requests inside the replay window" } });
      }
      const route = ROUTES.find((r) => r.method === method && r.path === url.pathname && (!r.testHook || ctx.testHooks));
      if (!route) return send(res, 404, { error: { code: "ENOENT", message: `no such endpoint ${method} ${url.pathname}` } });
      let input: unknown = undefined;
      if (route.schema) {
        let json: unknown;
        try {
          json = JSON.parse(body);
        } catch {
          return send(res, 400, { error: { code: "EINVAL", message: "body is not JSON" } });
        }
        const parsed = route.schema.safeParse(json);
        if (!parsed.success) {
          const issues = parsed.error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; ");
          return send(res, 400, { error: { code: "EINVAL", message: `malformed request: ${issues}` } });
        }
        input = parsed.data;
      }
      const reply = route.handle(ctx, input);
      if (method !== "GET") options.log(describe(method, url.pathname, input, reply.body));
      return send(res, reply.status, reply.body);
    } catch (error) {
      options.log(`internal error: ${error instanceof Error ? error.stack : String(error)}`);
      return send(res, 500, { error: { code: "EIO", message: "agent internal error" } });
    }
  });
}
