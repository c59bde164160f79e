import http from "node:http";
import { domainRequest, type HostStatusReply } from "../contracts/agent";
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, verify } from "../contracts/signing";
import type { Toolstack } from "./toolstack";

/**
 * The agent's HTTP face, loopback only. Threat: anyone on the machine calling the hypervisor.
 * Every request must carry this host's HMAC signature (see contracts/signing.ts); bodies are
 * validated against the shared contract before the toolstack sees them.
 */

const MAX_BODY_BYTES = 64 * 1024;

export type AgentOptions = {
  hostName: string;
  secret: string;
  capacity: { vcpus: number; memoryMb: number };
  log: (line: string) => void;
};

function send(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
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

export function createAgentServer(toolstack: Toolstack, options: AgentOptions): http.Server {
  return http.createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? "/", "http://agent");
      const body = await readBody(req);
      const auth = verify(options.secret, {
        method: req.method ?? "GET",
        path: url.pathname,
        timestamp: req.headers[TIMESTAMP_HEADER] as string | undefined,
        signature: req.headers[SIGNATURE_HEADER] as string | undefined,
        body,
      });
      if (!auth.ok) {
        options.log(`rejected unauthenticated ${req.method} ${url.pathname}: ${auth.reason}`);
        return send(res, 401, { error: { code: "UNAUTHENTICATED", message: auth.reason } });
      }
      if (req.method === "GET" && url.pathname === "/v1/status") {
        const reply: HostStatusReply = {
          host: options.hostName,
          bootId: toolstack.bootId,
          domains: toolstack.status(),
          capacity: options.capacity,
        };
        return send(res, 200, reply);
      }
      if (req.method === "POST" && url.pathname === "/v1/domains") {
        let json: unknown;
        try {
          json = JSON.parse(body);
        } catch {
          return send(res, 400, { error: { code: "EINVAL", message: "body is not JSON" } });
        }
        const parsed = domainRequest.safeParse(json);
        if (!parsed.success) {
          const issues = parsed.error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; ");
          return send(res, 400, { error: { code: "EINVAL", message: `malformed request: ${issues}` } });
        }
        const result = toolstack.apply(parsed.data);
        const r = parsed.data;
        options.log(
          `${r.action} ${r.vm.name} (${r.vm.uuid}) key=${r.idempotencyKey} → ${result.ok ? "ok" : result.error?.code}` +
            (result.replayed ? " (replayed)" : "") +
            result.avc.map((l) => `\n  ${l}`).join(""),
        );
        return send(res, 200, result);
      }
      return send(res, 404, { error: { code: "ENOENT", message: `no such endpoint ${req.method} ${url.pathname}` } });
    } catch (error) {
      options.log(`internal error: ${error instanceof Error ? error.stack : String(error)}`);
      return send(res, 500, { error: { code: "EIO", message: "agent internal error" } });
    }
  });
}
