import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PLATFORM_URL_ENV, transaction } from "../db/client";
import { notifyRealm } from "../repositories/events";
import { createTestDatabase, type TestDatabase } from "../test/db";
import { callerFor, restFor, setupPlatform, setupTenant, tokenCallerFor, type Tenant } from "../test/fixtures";
import { handleRest } from "./rest";
import { liftDefaultQuotas } from "../test/quotas";

/** The REST surface end to end against PostgreSQL: tokens, 202 + Location, problem+json, idempotency. */

let t: TestDatabase;
let platform: Awaited<ReturnType<typeof setupPlatform>>;
let acme: Tenant;
let rest: ReturnType<typeof restFor>;
const previousUrl = process.env[PLATFORM_URL_ENV];

beforeAll(async () => {
  t = await createTestDatabase();
  process.env[PLATFORM_URL_ENV] = t.url;
  platform = await setupPlatform(t.db);
  acme = await setupTenant(t.db, "acme", platform.mgmtTemplate.id);
  await liftDefaultQuotas(t.urls.owner);
  rest = restFor(t);
});
afterAll(async () => {
  if (previousUrl === undefined) delete process.env[PLATFORM_URL_ENV];
  else process.env[PLATFORM_URL_ENV] = previousUrl;
  await t?.drop();
});

async function mint(user: { id: string }, permissions: string[], extra: Record<string, unknown> = {}) {
  const created = await callerFor(t, user).token.create({ name: `t-${Math.random().toString(36).slice(2, 8)}`, permissions: permissions as never, expiresInDays: 30, ...extra });
  return created;
}

describe("REST with an API token", () => {
  it("lists, creates and starts VMs; lifecycle answers 202 with the operation's Location", async () => {
    const { token } = await mint(acme.members.owner, ["vm.read", "vm.create", "vm.start"]);
    expect(token).toMatch(/^rgt_[a-z2-7]{16}_[A-Za-z0-9]{32}$/);
    const listed = await rest("GET", "/vms", { token });
    expect(listed.status).toBe(200);
    expect(listed.body).toMatchObject({ items: expect.any(Array), nextCursor: null });

    const created = await rest("POST", "/vms", { token, body: { name: "rest-1", templateId: platform.template.id } });
    expect(created.status, JSON.stringify(created.body)).toBe(202);
    expect(created.headers.get("location")).toBe(`/api/v1/operations/${created.body.operationId}`);
    const op = await rest("GET", `/operations/${created.body.operationId}`, { token });
    expect(op.status).toBe(200);
    expect(op.body).toMatchObject({ id: created.body.operationId, action: "create", status: "pending", done: false });
    expect(op.body.steps.map((s: { name: string }) => s.name)).toEqual(["accepted", "dispatched", "applied"]);
  });

  it("answers problem+json naming the field", async () => {
    const { token } = await mint(acme.members.owner, ["vm.read", "vm.create"]);
    const bad = await rest("POST", "/vms", { token, body: { name: "Bad Name", templateId: platform.template.id } });
    expect(bad.status).toBe(400);
    expect(bad.headers.get("content-type")).toBe("application/problem+json");
    expect(bad.body).toMatchObject({ status: 400, title: "Bad Request", code: "BAD_REQUEST", errors: { name: [expect.stringMatching(/must start with a letter/)] } });
    const missing = await rest("GET", "/vms/00000000-0000-4000-8000-000000000000", { token });
    expect(missing).toMatchObject({ status: 404, body: { detail: "VM not found" } });
    const none = await rest("GET", "/nothing-here", { token });
    expect(none).toMatchObject({ status: 404, body: { detail: expect.stringMatching(/no such endpoint/) } });
    const anonymous = await rest("GET", "/vms");
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get("www-authenticate")).toMatch(/^Bearer/);
  });

  it("refuses what the token does not carry, even when the member could", async () => {
    const { token } = await mint(acme.members.owner, ["vm.read"]);
    const refused = await rest("POST", "/vms", { token, body: { name: "rest-2", templateId: platform.template.id } });
    expect(refused.status).toBe(403);
    expect(refused.body.detail).toMatch(/does not carry vm.create/);
  });
});

/** Settles an operation the way the worker's finish() does (row, then the realm's NOTIFY), after a delay. */
async function settleLater(realmId: string, operationId: string, status: "succeeded" | "failed", delayMs: number) {
  await new Promise((resolve) => setTimeout(resolve, delayMs));
  await transaction(t.db, async (tx) => {
    const op = await tx.operation.update({
      where: { id: operationId },
      data: { status, startedAt: new Date(), finishedAt: new Date(), attempts: 1, result: { reason: status === "failed" ? "host said no" : "applied", avc: [] }, lastError: status === "failed" ? "host said no" : null },
    });
    await notifyRealm(tx, { realmId, kind: "vm", vmId: op.vmId, operationId });
  });
}

describe("REST operations and retries", () => {
  it("Idempotency-Key: a retried create answers the first response and creates one VM", async () => {
    const { token } = await mint(acme.members.owner, ["vm.read", "vm.create"]);
    const request = { token, body: { name: "idem-1", templateId: platform.template.id }, headers: { "idempotency-key": "retry-key-0001" } };
    const first = await rest("POST", "/vms", request);
    const second = await rest("POST", "/vms", request);
    expect(first.status).toBe(202);
    expect(second.status).toBe(202);
    expect(second.body.operationId).toBe(first.body.operationId);
    expect(await t.db.vm.count({ where: { realmId: acme.realmId, name: "idem-1" } })).toBe(1);
    // The same key for a different request is refused, not silently replayed.
    const other = await rest("POST", "/vms", { ...request, body: { name: "idem-2", templateId: platform.template.id } });
    expect(other).toMatchObject({ status: 400, body: { detail: expect.stringMatching(/already used for a different request/) } });
    const malformed = await rest("POST", "/vms", { ...request, headers: { "idempotency-key": "no spaces allowed" } });
    expect(malformed).toMatchObject({ status: 400, body: { errors: { "Idempotency-Key": [expect.stringMatching(/may use only/)] } } });
  });

  it("?wait= answers once the operation is done: 200 with the outcome, woken by the realm's NOTIFY", async () => {
    const { token } = await mint(acme.members.owner, ["vm.read", "vm.create"]);
    const created = await rest("POST", "/vms", { token, body: { name: "wait-1", templateId: platform.template.id } });
    const started = Date.now();
    const [waited] = await Promise.all([rest("GET", `/operations/${created.body.operationId}?wait=20`, { token }), settleLater(acme.realmId, created.body.operationId, "succeeded", 300)]);
    expect(waited.status).toBe(200);
    expect(waited.body).toMatchObject({ status: "succeeded", done: true, steps: [{ name: "accepted" }, { name: "dispatched", status: "done" }, { name: "applied", status: "done", detail: "applied" }] });
    // Woken by the notification, not by the timeout.
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it("?wait= on an action that fails: 200 with the failed operation and its error", async () => {
    const { token } = await mint(acme.members.owner, ["vm.read", "vm.create"]);
    const created = await rest("POST", "/vms", { token, body: { name: "wait-2", templateId: platform.template.id } });
    const waited = rest("GET", `/operations/${created.body.operationId}?wait=20`, { token });
    await settleLater(acme.realmId, created.body.operationId, "failed", 200);
    expect(await waited).toMatchObject({ status: 200, body: { status: "failed", done: true, error: "host said no" } });
  });

  it("?wait= that runs out answers the operation as it is, still 202 on an action", async () => {
    const { token } = await mint(acme.members.owner, ["vm.read", "vm.create"]);
    const created = await rest("POST", "/vms?wait=1", { token, body: { name: "wait-3", templateId: platform.template.id } });
    expect(created.status).toBe(202);
    expect(created.body.operation).toMatchObject({ id: created.body.operationId, status: "pending", done: false });
  });

  it.each(["-1", "61", "abc", "1.5"])("refuses wait=%s naming the parameter", async (wait) => {
    const { token } = await mint(acme.members.owner, ["vm.read"]);
    const answer = await rest("GET", `/vms?wait=${wait}`, { token });
    expect(answer).toMatchObject({ status: 400, body: { errors: { wait: [expect.stringMatching(/whole number of seconds from 0 to 60/)] } } });
  });
});

describe("REST request hygiene", () => {
  it("refuses a body that is not JSON (no cross-site form posts), prototype keys and non-objects", async () => {
    const { token } = await mint(acme.members.owner, ["vm.read", "vm.create"]);
    const form = await rest("POST", "/vms", { token, headers: { "content-type": "application/x-www-form-urlencoded" } });
    expect(form.status).toBe(415);
    const proto = await handleRaw("POST", "/vms", token, '{"__proto__": {"admin": true}, "name": "x"}');
    expect(proto).toMatchObject({ status: 400, body: { detail: "key __proto__ is not allowed" } });
    const array = await handleRaw("POST", "/vms", token, "[1,2]");
    expect(array).toMatchObject({ status: 400, body: { detail: "the body must be a JSON object" } });
    const broken = await handleRaw("POST", "/vms", token, "{nope");
    expect(broken.status).toBe(400);
  });

  it("a token may POST an action without a body (curl -X POST); a cookie may not (no body-less cross-site posts)", async () => {
    const { token } = await mint(acme.members.owner, ["vm.read", "vm.create"]);
    const bare = await handleRest(new Request("http://localhost/api/v1/vms?wait=0", { method: "POST", headers: { authorization: `Bearer ${token}` } }), {
      clients: { tenant: t.tenantDb, platform: t.db },
      sessionUser: async () => null,
    });
    // Reached the procedure: the empty body is an input without name or template.
    expect(bare.status).toBe(400);
    expect(JSON.parse(await bare.text())).toMatchObject({ errors: { name: expect.any(Array), templateId: expect.any(Array) } });
    const cookie = await rest("POST", "/vms", { user: acme.members.owner, headers: { "content-type": "text/plain" } });
    expect(cookie.status).toBe(415);
  });

  it("a token never reaches session-only procedures: operator and account routes answer 401", async () => {
    const { token } = await mint(acme.members.owner, ["vm.read"]);
    const viaTrpc = await tokenCaller(token).session.me().catch((e: { code: string; message: string }) => e);
    expect(viaTrpc).toMatchObject({ code: "UNAUTHORIZED", message: expect.stringMatching(/API tokens work on realm procedures only/) });
  });

  it("a browser session works on REST too (same-origin), and the answer is the same as over tRPC", async () => {
    const viaRest = await rest("GET", "/vms", { user: acme.members.viewer });
    expect(viaRest.status).toBe(200);
    const viaTrpc = await callerFor(t, acme.members.viewer).vm.list();
    expect(viaRest.body.items.map((vm: { id: string }) => vm.id)).toEqual(viaTrpc.items.map((vm) => vm.id));
  });

  it("an expired token answers 401 naming the date; a revoked one 401 like an unknown one", async () => {
    const created = await mint(acme.members.owner, ["vm.read"]);
    await t.db.apiToken.update({ where: { id: created.id }, data: { expiresAt: new Date(Date.now() - 1000), createdAt: new Date(Date.now() - 5000) } });
    const expired = await rest("GET", "/vms", { token: created.token });
    expect(expired).toMatchObject({ status: 401, body: { detail: expect.stringMatching(/^API token '.+' expired on \d{4}-/) } });
    const other = await mint(acme.members.owner, ["vm.read"]);
    await callerFor(t, acme.members.owner).token.revoke({ tokenId: other.id });
    const revoked = await rest("GET", "/vms", { token: other.token });
    const unknown = await rest("GET", "/vms", { token: other.token.slice(0, -4) + "AAAA" });
    expect(revoked.status).toBe(401);
    expect(revoked.body.detail).toBe(unknown.body.detail);
  });
});

async function handleRaw(method: string, path: string, token: string, body: string) {
  const response = await handleRest(new Request(`http://localhost/api/v1${path}`, { method, headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body }), {
    clients: { tenant: t.tenantDb, platform: t.db },
    sessionUser: async () => null,
  });
  return { status: response.status, body: JSON.parse(await response.text()) as Record<string, unknown> };
}

const tokenCaller = (token: string) => tokenCallerFor(t, token);
