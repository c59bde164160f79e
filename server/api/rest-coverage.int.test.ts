import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PLATFORM_URL_ENV } from "../db/client";
import { ROLE_GRANTS } from "../policy/permissions";
import { createTestDatabase, type TestDatabase } from "../test/db";
import { callerFor, createUser, restFor, setupPlatform, setupTenant, type Tenant } from "../test/fixtures";
import { openApiDocument } from "./openapi";
import { appRouter } from "./root";
import type { ApiMeta } from "./trpc";

/**
 * The REST surface covers the API (threat: a procedure added to the console and forgotten on
 * the REST side, or exposed with a broken schema). Every procedure has a REST route except the
 * session-only ones listed below with the reason; the document is well formed; every
 * parameterless GET answers 200 to its caller (a member's token, an operator's session) and an
 * API token never reaches an operator route.
 */

/** Procedures with no REST route, each for a reason. Anything else without `meta.openapi` fails. */
const SESSION_ONLY: { match: (path: string) => boolean; why: string }[] = [
  // The signed-in person's own account: sessions, password, sign-out. A token is not a session.
  { match: (p) => p.startsWith("session."), why: "the browser session's own account" },
  // Second factors (TOTP, passkeys: WebAuthn ceremonies need the browser) and the org's MFA rule.
  { match: (p) => p.startsWith("mfa."), why: "second factors need the person at a browser" },
  // Accepting an invitation: the link's token is the credential, before any account or API token.
  { match: (p) => p.startsWith("invitation."), why: "invitation acceptance (a link, not an API call)" },
  // Live updates are a server-sent-event subscription: OpenAPI cannot describe it.
  { match: (p) => p === "vm.onChange", why: "a subscription (server-sent events)" },
  { match: (p) => p === "vm.console.stream", why: "a subscription (server-sent events); API clients poll GET /consoles/{consoleId}/output" },
  // The audit exports stream a file (NDJSON/CSV): GET /api/v1/audit/export and /api/v1/operator/audit/export
  // (api/rest-export.ts) call these procedures to decide, then stream; OpenAPI describes JSON answers only.
  { match: (p) => p === "realm.auditExport" || p === "operator.audit.export", why: "a streamed file, served beside the generated routes" },
];

type Procedure = { _def: { meta?: ApiMeta; type: string } };
const procedures = Object.entries(appRouter._def.procedures as unknown as Record<string, Procedure>);
type Operation = { operationId?: string; tags?: string[]; parameters?: { name: string; in: string; required?: boolean }[]; responses?: Record<string, { content?: Record<string, { schema?: unknown }> }> };
const document = openApiDocument("http://localhost");
const operations = Object.entries(document.paths ?? {}).flatMap(([path, item]) =>
  Object.entries(item as Record<string, Operation>).map(([method, operation]) => ({ method: method.toUpperCase(), path, operation })),
);
const isOperator = (o: Operation) => o.tags?.includes("Operator") ?? false;

describe("every procedure is on the REST surface", () => {
  it("has meta.openapi unless it is session-only for a stated reason", () => {
    const missing = procedures.filter(([path, p]) => !p._def.meta?.openapi && !SESSION_ONLY.some((s) => s.match(path))).map(([path]) => path);
    expect(missing).toEqual([]);
    // The allowlist names only procedures that exist and are indeed off the surface.
    for (const entry of SESSION_ONLY) {
      const matched = procedures.filter(([path]) => entry.match(path));
      expect(matched.length, entry.why).toBeGreaterThan(0);
      expect(matched.filter(([, p]) => p._def.meta?.openapi).map(([path]) => path), entry.why).toEqual([]);
    }
  });

  it("operator procedures are tagged Operator (session-only in the document) and live under /operator", () => {
    for (const [path, p] of procedures) {
      const openapi = p._def.meta?.openapi;
      if (!openapi) continue;
      expect(path.startsWith("operator.") ? openapi.tags : [], path).toEqual(path.startsWith("operator.") ? expect.arrayContaining(["Operator"]) : []);
      expect(openapi.path.startsWith("/operator/"), path).toBe(path.startsWith("operator."));
    }
  });

  it("the document has unique operationIds and a 2xx JSON schema on every operation", () => {
    const ids = operations.map((o) => o.operation.operationId);
    expect(ids.every((id) => typeof id === "string" && id.length > 0)).toBe(true);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
    expect(operations.length).toBe(procedures.filter(([, p]) => p._def.meta?.openapi).length);
    for (const { method, path, operation } of operations) {
      const ok = Object.entries(operation.responses ?? {}).filter(([status]) => /^2\d\d$/.test(status));
      expect(ok.length, `${method} ${path}`).toBeGreaterThan(0);
      for (const [status, response] of ok) expect(response.content?.["application/json"]?.schema, `${method} ${path} ${status}`).toBeDefined();
      // Operator routes are documented as session-only; the rest accept a token or a session.
      const security = (operation as { security?: Record<string, unknown>[] }).security ?? [];
      expect(security.map((s) => Object.keys(s)[0]).sort(), `${method} ${path}`).toEqual(isOperator(operation) ? ["session"] : ["session", "token"]);
    }
  });
});

describe("every parameterless GET answers its caller", () => {
  let t: TestDatabase;
  let acme: Tenant;
  let ops: { id: string };
  let token: string;
  let rest: ReturnType<typeof restFor>;
  let samples: Record<string, string>;
  const previousUrl = process.env[PLATFORM_URL_ENV];

  beforeAll(async () => {
    t = await createTestDatabase();
    process.env[PLATFORM_URL_ENV] = t.url;
    const platform = await setupPlatform(t.db);
    acme = await setupTenant(t.db, "acme", platform.mgmtTemplate.id);
    ops = await createUser(t.db, "ops", true);
    ({ token } = await callerFor(t, acme.members.owner).token.create({ name: "coverage", permissions: [...ROLE_GRANTS.owner], expiresInDays: 1 }));
    const owner = await t.db.user.findUniqueOrThrow({ where: { id: acme.members.owner.id } });
    const vm = await t.db.vm.findFirstOrThrow({ where: { realmId: acme.realmId } });
    const operation = await t.db.operation.findFirstOrThrow({ where: { realmId: acme.realmId } });
    // Values for path parameters and required query parameters (operator.explain's question).
    // A second realm for the Chinese Wall's plan (operator.conflicts.plan names two); a prefix for the pickers (operator.search.*);
    // a VM of each realm for operator.explainArgo (issue 15 part 5).
    const other = await setupTenant(t.db, "globex", platform.mgmtTemplate.id);
    samples = { userEmail: owner.email, permission: "vm.start", vmId: vm.id, operationId: operation.id, orgId: acme.orgId, realmA: acme.realmId, realmB: other.realmId, query: "acme", fromVmId: vm.id, toVmId: (await t.db.vm.findFirstOrThrow({ where: { realmId: other.realmId } })).id };
    rest = restFor(t);
  });
  afterAll(async () => {
    if (previousUrl === undefined) delete process.env[PLATFORM_URL_ENV];
    else process.env[PLATFORM_URL_ENV] = previousUrl;
    await t?.drop();
  });

  const query = (operation: Operation) => {
    const required = (operation.parameters ?? []).filter((p) => p.in === "query" && p.required).map((p) => p.name);
    for (const name of required) if (!(name in samples)) throw new Error(`no sample value for required query parameter ${name}`);
    return required.length === 0 ? "" : `?${new URLSearchParams(required.map((name) => [name, samples[name]!])).toString()}`;
  };
  /** The path with its parameters filled from the samples (null: a parameter without one). */
  const concrete = (path: string) => {
    const names = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
    if (names.some((name) => !(name in samples))) return null;
    return path.replace(/\{([^}]+)\}/g, (_, name: string) => samples[name]!);
  };
  const gets = operations.filter((o) => o.method === "GET");

  it("realm GETs: 200 for an owner's token (without path parameters, and those the fixture can fill)", async () => {
    const realm = gets.filter((o) => !isOperator(o.operation) && !o.path.includes("{"));
    expect(realm.length).toBeGreaterThan(5);
    // And those whose path parameters the fixture has (a VM, an operation).
    const withParams = gets.filter((o) => !isOperator(o.operation) && o.path.includes("{") && concrete(o.path) !== null);
    expect(withParams.map((o) => o.path)).toEqual(expect.arrayContaining(["/vms/{vmId}", "/operations/{operationId}"]));
    for (const { path, operation } of [...realm, ...withParams]) {
      const answer = await rest("GET", `${concrete(path)}${query(operation)}`, { token });
      expect(answer.status, `GET ${path}: ${JSON.stringify(answer.body)}`).toBe(200);
    }
  });

  it("operator GETs: 200 for an operator's session (an organization's, its trail's too)", async () => {
    const operator = gets.filter((o) => isOperator(o.operation) && concrete(o.path) !== null);
    expect(operator.length).toBeGreaterThan(5);
    expect(operator.map((o) => o.path)).toEqual(expect.arrayContaining(["/operator/organizations/{orgId}", "/operator/organizations/{orgId}/audit"]));
    for (const { path, operation } of operator) {
      const answer = await rest("GET", `${concrete(path)}${query(operation)}`, { user: ops });
      expect(answer.status, `GET ${path}: ${JSON.stringify(answer.body)}`).toBe(200);
    }
  });

  it("operator routes: 401 for an API token, whatever the method", async () => {
    const operator = operations.filter((o) => isOperator(o.operation));
    for (const { method, path } of operator) {
      const anyIds = path.replace(/\{[^}]+\}/g, "00000000-0000-4000-8000-000000000000");
      const answer = await rest(method, anyIds, { token, ...(method === "GET" || method === "DELETE" ? {} : { body: {} }) });
      expect(answer.status, `${method} ${path}`).toBe(401);
    }
  });
});
