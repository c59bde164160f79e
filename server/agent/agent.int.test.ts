import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DOM0_LABEL } from "../xsm";
import { NONCE_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, newNonce, sign, signedHeaders } from "../contracts/signing";
import { restartAgent, startAgent, type AgentProc } from "../test/processes";
import { httpAgentClient } from "../worker/agent-client";

/** The agent as a real process: authentication, validation, idempotency, restart. */

const SECRET = "test-host-secret";
const DOM0 = DOM0_LABEL;
const LABEL = "system_u:system_r:realm_guest_t:s0:c1,c2";
const MGMT = "system_u:system_r:realm_mgmt_t:s0:c1,c2";
let agent: AgentProc;

beforeAll(async () => {
  agent = await startAgent({ hostName: "it-host", secret: SECRET });
});
afterAll(() => agent.stop());

const target = () => ({ url: agent.url, secret: SECRET });
const vm = (name: string) => ({ uuid: randomUUID(), name, label: LABEL, vcpus: 1, memoryMb: 512 });

async function raw(path: string, init: { method?: string; body?: string; secret?: string; timestamp?: number } = {}) {
  const method = init.method ?? "POST";
  const body = init.body ?? "";
  return fetch(agent.url + path, {
    method,
    body: method === "POST" ? body : undefined,
    headers: {
      "content-type": "application/json",
      ...signedHeaders(init.secret ?? SECRET, { method, pathAndQuery: path, body }, init.timestamp ?? Date.now()),
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
    const response = await fetch(`${agent.url}/v1/domains`, {
      method: "POST",
      body: JSON.stringify({ tampered: true }),
      headers: signedHeaders(SECRET, { method: "POST", pathAndQuery: "/v1/domains", body: "{}" }),
    });
    expect(response.status).toBe(401);
  });
  it("rejects a query string added after signing", async () => {
    const response = await fetch(`${agent.url}/v1/status?verbose=1`, {
      headers: signedHeaders(SECRET, { method: "GET", pathAndQuery: "/v1/status", body: "" }),
    });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: { message: "bad signature" } });
  });
  it("rejects a signed request without a nonce", async () => {
    const timestamp = String(Date.now());
    const response = await fetch(`${agent.url}/v1/status`, {
      headers: { [TIMESTAMP_HEADER]: timestamp, [SIGNATURE_HEADER]: sign(SECRET, { method: "GET", pathAndQuery: "/v1/status", timestamp, nonce: "", body: "" }) },
    });
    expect(response.status).toBe(401);
  });
  it("replayed request: a captured signed request is accepted once, its replays get 401", async () => {
    // Captured off the wire: the exact headers and body of one create.
    const body = JSON.stringify({ idempotencyKey: randomUUID(), action: "create", subjectLabel: DOM0, vm: vm("replay-1") });
    const captured: Record<string, string> = { "content-type": "application/json", ...signedHeaders(SECRET, { method: "POST", pathAndQuery: "/v1/domains", body }) };
    const send = () => fetch(`${agent.url}/v1/domains`, { method: "POST", body, headers: captured });
    expect((await send()).status).toBe(200);
    for (let i = 0; i < 2; i++) {
      const replay = await send();
      expect(replay.status).toBe(401);
      expect(await replay.json()).toEqual({ error: { code: "UNAUTHENTICATED", message: "replayed request" } });
    }
    // A fresh signature of the same body (the worker's retry) is a new request.
    const retry = await fetch(`${agent.url}/v1/domains`, { method: "POST", body, headers: { "content-type": "application/json", ...signedHeaders(SECRET, { method: "POST", pathAndQuery: "/v1/domains", body }) } });
    expect(retry.status).toBe(200);
    expect(newNonce()).toMatch(/^[0-9a-f]{32}$/);
    expect(captured[NONCE_HEADER]).toMatch(/^[0-9a-f]{32}$/);
  });
  it("replayed request: a request captured before an agent restart is refused after it", async () => {
    const headers = signedHeaders(SECRET, { method: "GET", pathAndQuery: "/v1/status", body: "" });
    await agent.stop();
    agent = await restartAgent(agent);
    const response = await fetch(`${agent.url}/v1/status`, { headers });
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
    // State of its own (a running domain), not what earlier tests left on the host.
    const spec = vm("guest-restart");
    await httpAgentClient.apply(target(), { idempotencyKey: randomUUID(), action: "create", subjectLabel: MGMT, vm: spec });
    await httpAgentClient.apply(target(), { idempotencyKey: randomUUID(), action: "start", subjectLabel: MGMT, vm: spec });
    const before = await httpAgentClient.status(target());
    expect(before.domains.find((d) => d.uuid === spec.uuid)?.state).toBe("running");
    await agent.stop();
    agent = await restartAgent(agent);
    const after = await httpAgentClient.status(target());
    expect(after.bootId).toBe(before.bootId);
    expect(after.domains).toEqual(before.domains);
  });
});

// ---------------------------------------------------------------------------------------
// The simulated Xen host through the real process: hypercall endpoints, explain, ACM, crash.
// These run their own agent with REALMGATE_AGENT_TEST_HOOKS=1 (the crash hook) on a loopback port.
// ---------------------------------------------------------------------------------------

type Hooked = AgentProc;

const startHooked = (): Promise<Hooked> => startAgent({ hostName: "hooked", secret: SECRET, env: { REALMGATE_AGENT_TEST_HOOKS: "1" } });

async function call(host: { url: string }, method: string, route: string, payload?: unknown) {
  const body = payload === undefined ? "" : JSON.stringify(payload);
  const response = await fetch(host.url + route, {
    method,
    body: method === "GET" ? undefined : body,
    headers: { "content-type": "application/json", ...signedHeaders(SECRET, { method, pathAndQuery: route, body }) },
  });
  // Loosely typed on purpose: the tests assert the wire shapes themselves.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return { status: response.status, body: (await response.json()) as Record<string, any> };
}

const MGMT_B = "system_u:system_r:realm_mgmt_t:s0:c3,c4";
const GUEST_B = "system_u:system_r:realm_guest_t:s0:c3,c4";
const domainCall = (host: Hooked, action: string, subjectLabel: string, spec: ReturnType<typeof vm>) =>
  call(host, "POST", "/v1/domains", { idempotencyKey: randomUUID(), action, subjectLabel, vm: spec });

describe("the simulated Xen host over HTTP", () => {
  let host: Hooked;
  const a = { mgmt: vm("mgmt-a"), guest: vm("guest-a") };
  const b = { mgmt: { ...vm("mgmt-b"), label: MGMT_B }, guest: { ...vm("guest-b"), label: GUEST_B } };
  a.mgmt.label = MGMT;
  const domid: Record<string, number> = {};

  beforeAll(async () => {
    host = await startHooked();
    for (const [realm, mgmtLabel] of [[a, MGMT], [b, MGMT_B]] as const) {
      domid[realm.mgmt.name] = (await domainCall(host, "create", DOM0, realm.mgmt)).body.domain.domid;
      await domainCall(host, "start", DOM0, realm.mgmt);
      domid[realm.guest.name] = (await domainCall(host, "create", mgmtLabel, realm.guest)).body.domain.domid;
      await domainCall(host, "start", mgmtLabel, realm.guest);
    }
  });
  afterAll(() => host?.stop());

  const snapshot = async () => (await call(host, "GET", "/v1/host/snapshot")).body;

  it("pauses and resumes a realm's own guest, and denies the other realm with the AVC line", async () => {
    expect((await domainCall(host, "pause", MGMT, a.guest)).body).toMatchObject({ ok: true, domain: { state: "paused" } });
    expect((await domainCall(host, "resume", MGMT, a.guest)).body).toMatchObject({ ok: true, domain: { state: "running" } });
    const before = await snapshot();
    const denied = (await domainCall(host, "pause", MGMT_B, a.guest)).body;
    expect(denied).toMatchObject({ ok: false, error: { code: "EACCES" } });
    expect(denied.avc).toEqual([
      `avc:  denied  { pause } for source=${domid["mgmt-b"]} target=${domid["guest-a"]} scontext=${MGMT_B} tcontext=${LABEL} tclass=domain`,
    ]);
    expect(await snapshot()).toEqual(before);
  });

  it("wires an event channel inside a realm and refuses one across realms", async () => {
    const ok = (await call(host, "POST", "/v1/evtchn", { action: "alloc-unbound", subjectLabel: MGMT, domid: domid["guest-a"], remoteDomid: domid["mgmt-a"] })).body;
    expect(ok).toMatchObject({ ok: true, data: { port: expect.any(Number) } });
    const before = await snapshot();
    const denied = (await call(host, "POST", "/v1/evtchn", { action: "alloc-unbound", subjectLabel: MGMT, domid: domid["guest-a"], remoteDomid: domid["guest-b"] })).body;
    expect(denied).toMatchObject({ ok: false, error: { code: "EACCES" }, data: null });
    expect(denied.avc[0]).toMatch(/^avc:  denied  \{ bind \} .*tclass=event$/);
    expect(await snapshot()).toEqual(before);
  });

  it("refuses another realm's disk and attaches the realm's own", async () => {
    const attach = (label: string, id: string) =>
      call(host, "POST", "/v1/devices", { action: "attach-disk", subjectLabel: MGMT, domid: domid["guest-a"], disk: { id, label, readOnly: false } });
    const denied = (await attach("system_u:object_r:realm_disk_t:s0:c3,c4", "disk-b")).body;
    expect(denied.avc).toEqual([`avc:  denied  { use } for source=${domid["guest-a"]} scontext=${LABEL} tcontext=system_u:object_r:realm_disk_t:s0:c3,c4 tclass=resource`]);
    expect((await attach("system_u:object_r:realm_disk_t:s0:c1,c2", "disk-a")).body).toMatchObject({ ok: true, data: { device: { devid: 51712 } } });
  });

  it("maps grants within a realm only", async () => {
    const granted = (await call(host, "POST", "/v1/grants", { action: "grant-access", subjectLabel: MGMT, domid: domid["guest-a"], granteeDomid: domid["guest-b"] })).body;
    const denied = (await call(host, "POST", "/v1/grants", { action: "map", subjectLabel: MGMT_B, domid: domid["guest-b"], granterDomid: domid["guest-a"], gref: granted.data.gref })).body;
    expect(denied.avc[0]).toMatch(/^avc:  denied  \{ map_read map_write \} .*tclass=grant$/);
  });

  it("answers ENOENT for an unknown domain, EINVAL for a bad label and 400 naming the field", async () => {
    expect((await call(host, "POST", "/v1/xenstore", { action: "read", subjectLabel: MGMT, domid: 999, path: "/local" })).body.error.code).toBe("ENOENT");
    expect((await domainCall(host, "create", MGMT, { ...vm("bad"), label: "system_u:system_r:realm_guest_t:s0:c5000" })).body.error).toMatchObject({ code: "EINVAL", message: expect.stringMatching(/^Invalid seclabel/) });
    const malformed = await call(host, "POST", "/v1/grants", { action: "map", subjectLabel: MGMT, domid: 1, granterDomid: "x", gref: 1 });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.message).toMatch(/granterDomid: /);
  });

  it("explains a decision (POST /v1/access-check) without acting", async () => {
    const before = await snapshot();
    const reply = await call(host, "POST", "/v1/access-check", { subject: MGMT, target: GUEST_B, tclass: "domain", perms: ["pause"], source: 1, targetDomid: 4 });
    expect(reply.body).toMatchObject({ allowed: false, denied: ["pause"], reasons: { pause: { layer: "constraint" } } });
    expect(reply.body.avc).toBe(`avc:  denied  { pause } for source=1 target=4 scontext=${MGMT} tcontext=${GUEST_B} tclass=domain`);
    expect(await snapshot()).toEqual(before);
  });

  it("refuses an ACM reload that conflicts with running domains, changing nothing", async () => {
    const before = await snapshot();
    const policy = {
      name: "rivals",
      conflictSets: [{ name: "rivals", types: ["realm:c1,c2", "realm:c3,c4"] }],
      labels: [{ match: "dom0_t", ste: ["*"] }, { match: "shared_image_t", ste: ["*"] }],
      categoryTypes: { wall: "realm:{categories}", ste: "realm:{categories}" },
    };
    const reply = (await call(host, "PUT", "/v1/acm", policy)).body;
    expect(reply).toMatchObject({ ok: false, error: { code: "EACCES", message: expect.stringMatching(/Chinese Wall/) }, policy: "realmgate-default" });
    expect(await snapshot()).toEqual(before);
    expect((await call(host, "GET", "/v1/status")).body.security).toEqual({ xsm: expect.objectContaining({ enforcing: true }), acm: { module: "chinese-wall+ste", policy: "realmgate-default" } });
  });

  it("survives a restart (same boot id, same state) and loses everything in a crash (new boot id)", async () => {
    const before = await call(host, "GET", "/v1/status");
    const state = await snapshot();
    await host.stop();
    host = await restartAgent(host);
    const after = await call(host, "GET", "/v1/status");
    expect(after.body.bootId).toBe(before.body.bootId);
    expect(after.body.domains).toEqual(before.body.domains);
    expect(await snapshot()).toEqual(state);

    const crashed = await call(host, "POST", "/v1/host/crash");
    expect(crashed.body.bootId).not.toBe(before.body.bootId);
    const rebooted = await call(host, "GET", "/v1/status");
    expect(rebooted.body.bootId).toBe(crashed.body.bootId);
    // A new boot: dom0 and the platform's backend domains it starts (issue 15 part 3), nothing else.
    expect(rebooted.body.domains.map((d: { label: string }) => d.label.split(":")[2])).toEqual(["dom0_t", "storage_backend_t", "net_backend_t"]);
    // … and the crash is what the host remembers after another restart.
    await host.stop();
    host = await restartAgent(host);
    expect((await call(host, "GET", "/v1/status")).body.bootId).toBe(crashed.body.bootId);
  });
});

describe("test hooks", () => {
  it("the crash hook does not exist unless REALMGATE_AGENT_TEST_HOOKS=1", async () => {
    const response = await fetch(`${agent.url}/v1/host/crash`, {
      method: "POST",
      body: "",
      headers: signedHeaders(SECRET, { method: "POST", pathAndQuery: "/v1/host/crash", body: "" }),
    });
    expect(response.status).toBe(404);
  });
});
