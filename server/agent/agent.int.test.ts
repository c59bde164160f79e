import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DOM0_LABEL } from "../contracts/labels";
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, sign } from "../contracts/signing";
import { startAgent, type AgentProcess } from "../test/processes";
import { httpAgentClient } from "../worker/agent-client";

/** The agent as a real process: authentication, validation, idempotency, restart. */

const SECRET = "test-host-secret";
const DOM0 = DOM0_LABEL;
const LABEL = "system_u:system_r:realm_guest_t:s0:c1,c2";
const MGMT = "system_u:system_r:realm_mgmt_t:s0:c1,c2";
let agent: AgentProcess;

beforeAll(async () => {
  agent = await startAgent({ hostName: "it-host", secret: SECRET });
});
afterAll(() => agent.stop());

const target = () => ({ url: agent.url, secret: SECRET });
const vm = (name: string) => ({ uuid: randomUUID(), name, label: LABEL, vcpus: 1, memoryMb: 512 });

async function raw(path: string, init: { method?: string; body?: string; secret?: string; timestamp?: number } = {}) {
  const method = init.method ?? "POST";
  const body = init.body ?? "";
  const timestamp = String(init.timestamp ?? Date.now());
  return fetch(agent.url + path, {
    method,
    body: method === "POST" ? body : undefined,
    headers: {
      "content-type": "application/json",
      [TIMESTAMP_HEADER]: timestamp,
      [SIGNATURE_HEADER]: sign(init.secret ?? SECRET, method, path, timestamp, body),
    },
  });
}

describe("agent authentication", () => {
  it("rejects a request without a signature", async () => {
    const response = await fetch(`${agent.url}/v1/status`);
    expect(response.status).toBe(401);
  });
  it("rejects another host's secret", async () => {
    expect((await raw("/v1/status", { method: "GET", secret: "other-host" })).status).toBe(401);
  });
  it("rejects a replayed request outside the window", async () => {
    expect((await raw("/v1/status", { method: "GET", timestamp: Date.now() - 120_000 })).status).toBe(401);
  });
  it("rejects a body altered after signing", async () => {
    const timestamp = String(Date.now());
    const response = await fetch(`${agent.url}/v1/domains`, {
      method: "POST",
      body: JSON.stringify({ tampered: true }),
      headers: { [TIMESTAMP_HEADER]: timestamp, [SIGNATURE_HEADER]: sign(SECRET, "POST", "/v1/domains", timestamp, "{}") },
    });
    expect(response.status).toBe(401);
  });
});

describe("agent requests", () => {
  it("refuses a malformed request, naming the field", async () => {
    const response = await raw("/v1/domains", { body: JSON.stringify({ idempotencyKey: randomUUID(), action: "explode" }) });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe("EINVAL");
    expect(body.error.message).toMatch(/action: /);
  });

  it("refuses a body that is not JSON", async () => {
    const response = await raw("/v1/domains", { body: "{nope" });
    expect(response.status).toBe(400);
  });

  it("creates, starts and stops a domain as the realm's management domain", async () => {
    const spec = vm("guest-1");
    const key = randomUUID();
    const created = await httpAgentClient.apply(target(), { idempotencyKey: key, action: "create", subjectLabel: MGMT, vm: spec });
    expect(created).toMatchObject({ ok: true, replayed: false, domain: { uuid: spec.uuid, state: "stopped", label: LABEL } });
    const started = await httpAgentClient.apply(target(), { idempotencyKey: randomUUID(), action: "start", subjectLabel: MGMT, vm: spec });
    expect(started.domain?.state).toBe("running");
    const stopped = await httpAgentClient.apply(target(), { idempotencyKey: randomUUID(), action: "stop", subjectLabel: MGMT, vm: spec });
    expect(stopped.domain?.state).toBe("stopped");
  });

  it("applies an idempotency key once: a retry returns the stored result", async () => {
    const spec = vm("guest-2");
    const request = { idempotencyKey: randomUUID(), action: "create" as const, subjectLabel: MGMT, vm: spec };
    const first = await httpAgentClient.apply(target(), request);
    const second = await httpAgentClient.apply(target(), request);
    expect(first.replayed).toBe(false);
    expect(second).toEqual({ ...first, replayed: true });
    const status = await httpAgentClient.status(target());
    expect(status.domains.filter((d) => d.uuid === spec.uuid)).toHaveLength(1);
  });

  it("denies another realm's subject with an AVC line, changing nothing", async () => {
    const spec = vm("guest-3");
    await httpAgentClient.apply(target(), { idempotencyKey: randomUUID(), action: "create", subjectLabel: MGMT, vm: spec });
    const foreign = "system_u:system_r:realm_mgmt_t:s0:c3,c4";
    const denied = await httpAgentClient.apply(target(), { idempotencyKey: randomUUID(), action: "start", subjectLabel: foreign, vm: spec });
    expect(denied.ok).toBe(false);
    expect(denied.error?.code).toBe("EACCES");
    expect(denied.avc.some((line) => line.startsWith("avc:  denied  { unpause }") && line.includes(`scontext=${foreign}`))).toBe(true);
    const status = await httpAgentClient.status(target());
    expect(status.domains.find((d) => d.uuid === spec.uuid)?.state).toBe("stopped");
  });

  it("refuses a second dom0", async () => {
    const result = await httpAgentClient.apply(target(), {
      idempotencyKey: randomUUID(),
      action: "create",
      subjectLabel: DOM0,
      vm: { ...vm("evil-dom0"), label: DOM0 },
    });
    expect(result.ok).toBe(false);
    expect(result.error?.code).toBe("EINVAL");
  });

  it("keeps the host's state across an agent restart", async () => {
    const before = await httpAgentClient.status(target());
    await agent.stop();
    agent = await startAgent({ hostName: "it-host", secret: SECRET, stateDir: agent.stateDir, port: agent.port });
    const after = await httpAgentClient.status(target());
    expect(after.bootId).toBe(before.bootId);
    expect(after.domains).toEqual(before.domains);
  });
});
