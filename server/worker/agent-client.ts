import http from "node:http";
import https from "node:https";
import {
  acmLoadReply,
  consoleReply,
  domainResult,
  flaskBooleanReply,
  flaskPolicyLoadReply,
  hostStatus,
  hypercallResult,
  metricsReply,
  ndvmStateReply,
  type FlowRequest,
  type NdvmRulesLoad,
  type NdvmStateReply,
  type BridgeCreate,
  type BridgeDestroy,
  type BridgeSend,
  type PlatformRulesLoad,
  type AcmLoadReply,
  type AcmPolicy,
  type FlaskBoolean,
  type FlaskBooleanReply,
  type FlaskPolicyLoad,
  type FlaskPolicyLoadReply,
  type ConsoleReply,
  type ConsoleRequest,
  type MetricsReply,
  type MetricsRequest,
  type DeviceRequest,
  type HypercallResult,
  type DomainRequest,
  type DomainResult,
  type HostStatusReply,
} from "../contracts/agent";
import { signedHeaders } from "../contracts/signing";

/** Signed HTTP calls from the worker to one host's agent. Transport failures throw AgentUnreachable. */

export class AgentUnreachable extends Error {
  override name = "AgentUnreachable";
}

export type AgentTarget = { url: string; secret: string };

export interface AgentClient {
  apply(target: AgentTarget, request: DomainRequest): Promise<DomainResult>;
  status(target: AgentTarget): Promise<HostStatusReply>;
  loadAcm(target: AgentTarget, policy: AcmPolicy): Promise<AcmLoadReply>;
  device(target: AgentTarget, request: DeviceRequest): Promise<HypercallResult>;
  console(target: AgentTarget, request: ConsoleRequest): Promise<ConsoleReply>;
  metrics(target: AgentTarget, request: MetricsRequest): Promise<MetricsReply>;
  loadFlaskPolicy(target: AgentTarget, request: FlaskPolicyLoad): Promise<FlaskPolicyLoadReply>;
  setFlaskBoolean(target: AgentTarget, request: FlaskBoolean): Promise<FlaskBooleanReply>;
  /** A realm's NDVM (issue 15 part 4): load its rules or the platform's, run a flow, read what it enforces. */
  network(target: AgentTarget, request: { kind: "rules"; body: NdvmRulesLoad } | { kind: "platform-rules"; body: PlatformRulesLoad } | { kind: "flow"; body: FlowRequest }): Promise<HypercallResult>;
  ndvm(target: AgentTarget, ndvmDomid: number): Promise<NdvmStateReply>;
  /** Sharing agreements' Argo bridges (issue 15 part 5): add, remove, list (dom0), test send. */
  bridges(target: AgentTarget, request: { kind: "create"; body: BridgeCreate } | { kind: "destroy"; body: BridgeDestroy } | { kind: "list"; subjectLabel: string } | { kind: "send"; body: BridgeSend }): Promise<HypercallResult>;
}

const TIMEOUT_MS = 5_000;

/**
 * Keep-alive sockets per agent, over node:http: a call reuses a connection instead of a TCP
 * handshake, and costs a fraction of fetch's per-request machinery (web streams, an AbortSignal,
 * transferables), which profiles put at a fifth of the worker's CPU. An idle socket is closed
 * after 4 s, before the agent's server (Node's default keep-alive timeout, 5 s) closes it.
 */
const pools = {
  "http:": new http.Agent({ keepAlive: true, maxSockets: 64, timeout: 4_000 }),
  "https:": new https.Agent({ keepAlive: true, maxSockets: 64, timeout: 4_000 }),
};

type Reply = { status: number; text: string };

function send(url: URL, method: string, headers: Record<string, string>, body: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const transport = url.protocol === "https:" ? https : http;
    const pool = url.protocol === "https:" ? pools["https:"] : pools["http:"];
    const request = transport.request(
      url,
      { method, agent: pool, headers: method === "GET" ? headers : { ...headers, "content-length": String(Buffer.byteLength(body)) } },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () => {
          clearTimeout(timer);
          resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8") });
        });
        response.on("error", fail);
      },
    );
    const timer = setTimeout(() => request.destroy(new AgentUnreachable(`agent did not answer within ${TIMEOUT_MS} ms`)), TIMEOUT_MS);
    function fail(error: Error) {
      clearTimeout(timer);
      // A kept-alive socket the agent closed just as we reused it: the request never reached it.
      const stale = request.reusedSocket && (error as { code?: string }).code === "ECONNRESET";
      reject(stale ? Object.assign(error, { stale: true }) : error);
    }
    request.on("error", fail);
    request.end(method === "GET" ? undefined : body);
  });
}

async function call(target: AgentTarget, method: "GET" | "POST" | "PUT", path: string, body = ""): Promise<unknown> {
  const url = new URL(path, target.url);
  let reply: Reply | undefined;
  for (let attempt = 0; reply === undefined; attempt++) {
    try {
      // Signed over the path as sent, query string included; a fresh nonce per call.
      const headers = { "content-type": "application/json", ...signedHeaders(target.secret, { method, pathAndQuery: url.pathname + url.search, body }) };
      reply = await send(url, method, headers, body);
    } catch (error) {
      if ((error as { stale?: boolean }).stale && attempt === 0) continue;
      if (error instanceof AgentUnreachable) throw error;
      const code = (error as { code?: string }).code;
      throw new AgentUnreachable(`agent unreachable (${code ?? (error as Error).message})`);
    }
  }
  if (reply.status < 200 || reply.status > 299) throw new AgentUnreachable(`agent answered ${reply.status}: ${reply.text.slice(0, 200)}`);
  try {
    return JSON.parse(reply.text);
  } catch {
    throw new AgentUnreachable("agent answered with something that is not JSON");
  }
}

export const httpAgentClient: AgentClient = {
  async apply(target, request) {
    return domainResult.parse(await call(target, "POST", "/v1/domains", JSON.stringify(request)));
  },
  async status(target) {
    return hostStatus.parse(await call(target, "GET", "/v1/status"));
  },
  async device(target, request) {
    return hypercallResult.parse(await call(target, "POST", "/v1/devices", JSON.stringify(request)));
  },
  async console(target, request) {
    return consoleReply.parse(await call(target, "POST", "/v1/console", JSON.stringify(request)));
  },
  async metrics(target, request) {
    return metricsReply.parse(await call(target, "POST", "/v1/metrics", JSON.stringify(request)));
  },
  async loadAcm(target, policy) {
    return acmLoadReply.parse(await call(target, "PUT", "/v1/acm", JSON.stringify(policy)));
  },
  async loadFlaskPolicy(target, request) {
    return flaskPolicyLoadReply.parse(await call(target, "PUT", "/v1/xsm/policy", JSON.stringify(request)));
  },
  async setFlaskBoolean(target, request) {
    return flaskBooleanReply.parse(await call(target, "PUT", "/v1/xsm/booleans", JSON.stringify(request)));
  },
  async network(target, request) {
    const [method, path] = request.kind === "flow" ? (["POST", "/v1/network/flow"] as const) : (["PUT", `/v1/network/${request.kind}`] as const);
    return hypercallResult.parse(await call(target, method, path, JSON.stringify(request.body)));
  },
  async ndvm(target, ndvmDomid) {
    return ndvmStateReply.parse(await call(target, "POST", "/v1/network/ndvm", JSON.stringify({ ndvmDomid })));
  },
  async bridges(target, request) {
    if (request.kind === "create") return hypercallResult.parse(await call(target, "PUT", "/v1/argo/bridges", JSON.stringify(request.body)));
    if (request.kind === "list") return hypercallResult.parse(await call(target, "POST", "/v1/argo/bridges/list", JSON.stringify({ subjectLabel: request.subjectLabel })));
    return hypercallResult.parse(await call(target, "POST", `/v1/argo/bridges/${request.kind}`, JSON.stringify(request.body)));
  },
};
