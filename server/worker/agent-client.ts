import {
  acmLoadReply,
  consoleReply,
  domainResult,
  hostStatus,
  hypercallResult,
  metricsReply,
  type AcmLoadReply,
  type AcmPolicy,
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
}

const TIMEOUT_MS = 5_000;

async function call(target: AgentTarget, method: "GET" | "POST" | "PUT", path: string, body = ""): Promise<unknown> {
  const url = new URL(path, target.url);
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      // Signed over the path as sent, query string included; a fresh nonce per call.
      headers: { "content-type": "application/json", ...signedHeaders(target.secret, { method, pathAndQuery: url.pathname + url.search, body }) },
      body: method === "GET" ? undefined : body,
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    const timedOut = error instanceof Error && error.name === "TimeoutError";
    throw new AgentUnreachable(timedOut ? `agent did not answer within ${TIMEOUT_MS} ms` : `agent unreachable (${cause ?? (error as Error).message})`);
  }
  const text = await response.text();
  if (!response.ok) throw new AgentUnreachable(`agent answered ${response.status}: ${text.slice(0, 200)}`);
  try {
    return JSON.parse(text);
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
};
