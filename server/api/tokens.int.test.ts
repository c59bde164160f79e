// The per-token rate limit is read when the limiter is first used (auth/api-tokens.ts, lazily):
// low enough here to reach in a test, high enough for every other test's few calls per token.
process.env.REALMGATE_TOKEN_RATE_LIMIT = "20";

import { randomUUID } from "node:crypto";
import pg from "pg";
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { ZodError } from "zod";
import { DomainError } from "../errors";
import { createTestDatabase, type TestDatabase } from "../test/db";
import { callerFor, createUser, restFor, setupPlatform, setupTenant, tokenCallerFor, type Tenant } from "../test/fixtures";
import { liftDefaultQuotas } from "../test/quotas";
import { inject } from "vitest";
import { createContext } from "./context";
import { createCaller } from "./root";

/**
 * API tokens against PostgreSQL, one test per threat: a token acting beyond its member (now, not
 * when it was made), outliving its expiry, member or revocation, used from elsewhere, read from
 * the database or the logs, hammering the API, or reaching what only a session (or an operator)
 * may reach.
 */

let t: TestDatabase;
let platform: Awaited<ReturnType<typeof setupPlatform>>;
let acme: Tenant;
let beta: Tenant;
let rest: ReturnType<typeof restFor>;

beforeAll(async () => {
  t = await createTestDatabase();
  platform = await setupPlatform(t.db);
  acme = await setupTenant(t.db, "tok-acme", platform.mgmtTemplate.id);
  beta = await setupTenant(t.db, "tok-beta", platform.mgmtTemplate.id);
  await liftDefaultQuotas(t.urls.owner);
  rest = restFor(t);
});
afterAll(() => t?.drop());

type Minted = Awaited<ReturnType<ReturnType<typeof callerFor>["token"]["create"]>>;

async function mint(user: { id: string }, permissions: string[], extra: Record<string, unknown> = {}): Promise<Minted> {
  return callerFor(t, user).token.create({ name: `t-${randomUUID().slice(0, 8)}`, permissions: permissions as never, expiresInDays: 30, ...extra });
}

/** A stopped guest VM of the tenant (its create operation marked done). */
async function stoppedVm(tenant: Tenant): Promise<string> {
  const { vmId } = await callerFor(t, tenant.members.owner).vm.create({ name: `vm-${randomUUID().slice(0, 6)}`, templateId: platform.template.id });
  await t.db.operation.updateMany({ where: { vmId }, data: { status: "succeeded" } });
  await t.db.vm.update({ where: { realmId_id: { realmId: tenant.realmId, id: vmId } }, data: { observedState: "stopped", desiredState: "stopped" } });
  return vmId;
}

/** A second member of the tenant with this role (the org's own owner stays untouched). */
async function addMember(tenant: Tenant, role: "owner" | "admin" | "operator" | "viewer") {
  const user = await createUser(t.db, `${role}-${randomUUID().slice(0, 6)}`);
  await t.db.membership.create({ data: { orgId: tenant.orgId, userId: user.id, role } });
  return user;
}

async function refusal(call: Promise<unknown>): Promise<TRPCError> {
  try {
    await call;
  } catch (error) {
    if (error instanceof TRPCError) return error;
    throw error;
  }
  throw new Error("expected the call to be refused");
}

/** The field a refusal names (a zod issue's path or a domain error's field). */
function fieldsOf(error: TRPCError): string[] {
  if (error.cause instanceof ZodError) return error.cause.issues.map((i) => String(i.path[0]));
  if (error.cause instanceof DomainError && typeof error.cause.details.field === "string") return [error.cause.details.field];
  return [];
}

const secretOf = (token: string) => token.split("_")[2]!;

describe("permission intersection", () => {
  it("a vm.read token cannot start or create, even for an owner; the refusal is audited with the token", async () => {
    const vmId = await stoppedVm(acme);
    const minted = await mint(acme.members.owner, ["vm.read"]);
    const caller = tokenCallerFor(t, minted.token);
    expect((await caller.vm.get({ vmId })).id).toBe(vmId);
    const start = await refusal(caller.vm.start({ vmId }));
    expect(start.code).toBe("FORBIDDEN");
    expect(start.message).toMatch(/does not carry vm\.start/);
    const create = await refusal(caller.vm.create({ name: "tok-nope", templateId: platform.template.id }));
    expect(create.code).toBe("FORBIDDEN");
    const denials = await t.db.auditEvent.findMany({ where: { realmId: acme.realmId, actorTokenId: minted.id, decision: "deny" } });
    expect(denials.map((d) => d.action).sort()).toEqual(["vm.create", "vm.start"]);
    expect(await t.db.vm.count({ where: { realmId: acme.realmId, name: "tok-nope" } })).toBe(0);
  });

  it("demoting the member shrinks its token on the next request", async () => {
    const member = await addMember(acme, "owner");
    const vmId = await stoppedVm(acme);
    const minted = await mint(member, ["vm.read", "vm.start", "vm.stop"]);
    const caller = tokenCallerFor(t, minted.token);
    expect(await caller.vm.start({ vmId })).toMatchObject({ operationId: expect.any(String) });
    await t.db.operation.updateMany({ where: { vmId }, data: { status: "succeeded" } });
    await t.db.vm.update({ where: { realmId_id: { realmId: acme.realmId, id: vmId } }, data: { observedState: "running", desiredState: "running" } });
    await callerFor(t, acme.members.owner).realm.members.changeRole({ userId: member.id, role: "viewer" });
    const stop = await refusal(caller.vm.stop({ vmId }));
    expect(stop.code).toBe("FORBIDDEN");
    // What the role still grants, the token still does.
    expect((await caller.vm.get({ vmId })).id).toBe(vmId);
  });

  it("removing the member kills its token (revoked in the database), and re-adding does not revive it", async () => {
    const member = await addMember(acme, "operator");
    const minted = await mint(member, ["vm.read"]);
    const caller = tokenCallerFor(t, minted.token);
    await caller.vm.list({ limit: 5 });
    await callerFor(t, acme.members.owner).realm.members.remove({ userId: member.id });
    const after = await refusal(caller.vm.list({ limit: 5 }));
    expect(["UNAUTHORIZED", "NOT_FOUND"]).toContain(after.code);
    const row = await t.db.apiToken.findFirstOrThrow({ where: { id: minted.id } });
    expect(row.revokedAt).not.toBeNull();
    expect(row.revokeReason).toBe("membership ended");
    await t.db.membership.create({ data: { orgId: acme.orgId, userId: member.id, role: "operator" } });
    expect((await refusal(caller.vm.list({ limit: 5 }))).code).toBe("UNAUTHORIZED");
  });
});

describe("expiry and creation limits", () => {
  it("an expired token is refused, naming the date", async () => {
    const minted = await mint(acme.members.viewer, ["vm.read"]);
    await t.db.$executeRaw`UPDATE "api_tokens" SET "created_at" = now() - interval '2 days', "expires_at" = now() - interval '1 day' WHERE "id" = ${minted.id}::uuid`;
    const { expiresAt } = await t.db.apiToken.findFirstOrThrow({ where: { id: minted.id } });
    const error = await refusal(tokenCallerFor(t, minted.token).vm.list({ limit: 5 }));
    expect(error.code).toBe("UNAUTHORIZED");
    expect(error.message).toContain(expiresAt.toISOString());
    const viaRest = await rest("GET", "/vms", { token: minted.token });
    expect(viaRest.status).toBe(401);
    expect(viaRest.body.detail).toContain(expiresAt.toISOString());
  });

  it("refuses a lifetime beyond 366 days, naming the field", async () => {
    const owner = callerFor(t, acme.members.owner);
    const days = await refusal(owner.token.create({ name: "too-long", permissions: ["vm.read"], expiresInDays: 367 }));
    expect(days.code).toBe("BAD_REQUEST");
    expect(fieldsOf(days)).toContain("expiresInDays");
    const at = await refusal(owner.token.create({ name: "too-long", permissions: ["vm.read"], expiresAt: new Date(Date.now() + 400 * 86_400_000).toISOString() }));
    expect(at.code).toBe("BAD_REQUEST");
    expect(fieldsOf(at)).toContain("expiresAt");
    const viaRest = await rest("POST", "/tokens", { user: acme.members.owner, body: { name: "too-long", permissions: ["vm.read"], expiresInDays: 367 } });
    expect(viaRest.status).toBe(400);
    expect(Object.keys(viaRest.body.errors ?? {})).toContain("expiresInDays");
  });

  it("refuses permissions beyond the member's role, naming permissions; a viewer can make a read-only token", async () => {
    const viewer = callerFor(t, acme.members.viewer);
    const beyond = await refusal(viewer.token.create({ name: "escalate", permissions: ["vm.read", "vm.start"], expiresInDays: 1 }));
    expect(beyond.code).toBe("BAD_REQUEST");
    expect(fieldsOf(beyond)).toEqual(["permissions"]);
    expect(beyond.message).toMatch(/vm\.start/);
    const readOnly = await viewer.token.create({ name: "read-only", permissions: ["vm.read"], expiresInDays: 1 });
    expect(readOnly.permissions).toContain("vm.read");
    expect(readOnly.permissions).not.toContain("vm.start");
    expect((await tokenCallerFor(t, readOnly.token).vm.list({ limit: 5 })).items.length).toBeGreaterThan(0);
  });

  it("a token cannot mint tokens (a leak must not outlive its own expiry)", async () => {
    const minted = await mint(acme.members.owner, ["vm.read", "realm.read", "realm.tokens.manage"]);
    const error = await refusal(tokenCallerFor(t, minted.token).token.create({ name: "child", permissions: ["vm.read"], expiresInDays: 1 }));
    expect(error.code).toBe("FORBIDDEN");
    expect(await t.db.apiToken.count({ where: { realmId: acme.realmId, name: "child" } })).toBe(0);
  });
});

describe("revocation", () => {
  it("a member revokes its own token; the next request is refused", async () => {
    const minted = await mint(acme.members.operator, ["vm.read"]);
    await tokenCallerFor(t, minted.token).vm.list({ limit: 5 });
    await callerFor(t, acme.members.operator).token.revoke({ tokenId: minted.id });
    expect((await refusal(tokenCallerFor(t, minted.token).vm.list({ limit: 5 }))).code).toBe("UNAUTHORIZED");
  });

  it("an owner revokes another member's token", async () => {
    const minted = await mint(acme.members.operator, ["vm.read"]);
    const revoked = await callerFor(t, acme.members.owner).token.revoke({ tokenId: minted.id });
    expect(revoked.id).toBe(minted.id);
    expect((await refusal(tokenCallerFor(t, minted.token).vm.list({ limit: 5 }))).code).toBe("UNAUTHORIZED");
  });

  it("a non-owner cannot revoke another member's token: answered like a missing one", async () => {
    const minted = await mint(acme.members.viewer, ["vm.read"]);
    const admin = callerFor(t, acme.members.admin);
    const other = await refusal(admin.token.revoke({ tokenId: minted.id }));
    const missing = await refusal(admin.token.revoke({ tokenId: randomUUID() }));
    expect(other.code).toBe("NOT_FOUND");
    expect({ code: other.code, message: other.message }).toEqual({ code: missing.code, message: missing.message });
    expect(await tokenCallerFor(t, minted.token).vm.list({ limit: 5 })).toBeTruthy();
  });

  it("another realm's token id answers like a missing one, even for an owner", async () => {
    const foreign = await mint(beta.members.owner, ["vm.read"]);
    const owner = callerFor(t, acme.members.owner);
    const other = await refusal(owner.token.revoke({ tokenId: foreign.id }));
    const missing = await refusal(owner.token.revoke({ tokenId: randomUUID() }));
    expect(other.code).toBe("NOT_FOUND");
    expect({ code: other.code, message: other.message }).toEqual({ code: missing.code, message: missing.message });
    const foreignRest = await rest("DELETE", `/tokens/${foreign.id}`, { user: acme.members.owner });
    const missingRest = await rest("DELETE", `/tokens/${randomUUID()}`, { user: acme.members.owner });
    expect(foreignRest.status).toBe(404);
    expect(foreignRest.body.detail).toBe(missingRest.body.detail);
    expect((await t.db.apiToken.findFirstOrThrow({ where: { id: foreign.id } })).revokedAt).toBeNull();
  });
});

describe("address range", () => {
  it("a token limited to 10.0.0.0/8 works from 10.1.2.3 and not from 192.0.2.1", async () => {
    const minted = await mint(acme.members.owner, ["vm.read"], { allowedCidr: "10.0.0.0/8" });
    expect(minted.allowedCidr).toBe("10.0.0.0/8");
    expect((await tokenCallerFor(t, minted.token, "10.1.2.3").vm.list({ limit: 5 })).items).toBeDefined();
    const elsewhere = await refusal(tokenCallerFor(t, minted.token, "192.0.2.1").vm.list({ limit: 5 }));
    expect(elsewhere.code).toBe("UNAUTHORIZED");
    expect(elsewhere.message).toContain("192.0.2.1");
  });

  it("refuses an invalid range (host bits set), naming allowedCidr", async () => {
    const error = await refusal(mint(acme.members.owner, ["vm.read"], { allowedCidr: "10.0.0.1/8" }));
    expect(error.code).toBe("BAD_REQUEST");
    expect(fieldsOf(error)).toEqual(["allowedCidr"]);
  });
});

describe("hashed at rest, not logged", () => {
  it("no row of any table and no console line holds a token's secret", async () => {
    const lines: string[] = [];
    const spies = (["log", "info", "warn", "error", "debug"] as const).map((level) =>
      vi.spyOn(console, level).mockImplementation((...args: unknown[]) => {
        lines.push(args.map((a) => (typeof a === "string" ? a : JSON.stringify(a) ?? String(a))).join(" "));
      }),
    );
    const secrets: string[] = [];
    try {
      const vmId = await stoppedVm(acme);
      for (const permissions of [["vm.read", "vm.start"], ["vm.read"]]) {
        const minted = await mint(acme.members.owner, permissions);
        secrets.push(secretOf(minted.token));
        const caller = tokenCallerFor(t, minted.token);
        await caller.vm.list({ limit: 5 });
        await caller.vm.start({ vmId }).catch(() => undefined); // allowed for one, refused (audited) for the other
        await rest("GET", `/vms/${vmId}`, { token: minted.token });
        await rest("POST", `/vms/${vmId}/stop`, { token: minted.token, body: {} });
        // A mangled copy (wrong secret) is refused: its text must not be logged either.
        await rest("GET", "/vms", { token: `${minted.token.slice(0, -1)}x` });
      }
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
    // Every row of every table, as text, read by a superuser (row-level security does not hide rows).
    const url = new URL(inject("pgAdminUrl"));
    url.pathname = new URL(t.url).pathname;
    const admin = new pg.Client({ connectionString: url.toString() });
    await admin.connect();
    try {
      const { rows: tables } = await admin.query<{ table_schema: string; table_name: string }>(
        `SELECT table_schema, table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')`,
      );
      expect(tables.map((r) => r.table_name)).toEqual(expect.arrayContaining(["api_tokens", "audit_events", "operations"]));
      for (const { table_schema, table_name } of tables) {
        for (const secret of secrets) {
          const { rows } = await admin.query<{ n: string }>(`SELECT count(*) AS n FROM "${table_schema}"."${table_name}" r WHERE r::text LIKE $1`, [`%${secret}%`]);
          expect(Number(rows[0]!.n), `${table_name} holds a token secret`).toBe(0);
        }
      }
      const { rows: stored } = await admin.query<{ secret_hash: string }>(`SELECT secret_hash FROM api_tokens WHERE realm_id = $1`, [acme.realmId]);
      expect(stored.every((r) => /^[0-9a-f]{64}$/.test(r.secret_hash))).toBe(true);
    } finally {
      await admin.end();
    }
    const logged = lines.join("\n");
    for (const secret of secrets) expect(logged).not.toContain(secret);
  });
});

describe("last use and rate limit", () => {
  it("records the time and address of the last use", async () => {
    const minted = await mint(acme.members.owner, ["vm.read", "realm.read"]);
    expect(minted.lastUsedAt).toBeNull();
    const before = Date.now();
    await tokenCallerFor(t, minted.token, "10.9.8.7").vm.list({ limit: 5 });
    const row = await t.db.apiToken.findFirstOrThrow({ where: { id: minted.id } });
    expect(row.lastUsedAddress).toBe("10.9.8.7");
    expect(row.lastUsedAt!.getTime()).toBeGreaterThanOrEqual(before - 1000);
    const listed = await callerFor(t, acme.members.owner).token.list({ all: false, limit: 200 });
    expect(listed.items.find((x) => x.id === minted.id)).toMatchObject({ lastUsedAddress: "10.9.8.7", lastUsedAt: expect.any(Date) });
  });

  it("a token past its per-minute limit gets TOO_MANY_REQUESTS, and over REST 429 with Retry-After", async () => {
    const minted = await mint(acme.members.owner, ["vm.read"]);
    const other = await mint(acme.members.owner, ["vm.read"]);
    const caller = tokenCallerFor(t, minted.token);
    let allowed = 0;
    let error: TRPCError | null = null;
    for (let i = 0; i < 25 && !error; i++) {
      try {
        await caller.vm.list({ limit: 1 });
        allowed++;
      } catch (e) {
        if (!(e instanceof TRPCError)) throw e;
        error = e;
      }
    }
    expect(allowed).toBe(20);
    expect(error?.code).toBe("TOO_MANY_REQUESTS");
    const viaRest = await rest("GET", "/vms", { token: minted.token });
    expect(viaRest.status).toBe(429);
    expect(Number(viaRest.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(viaRest.headers.get("content-type")).toBe("application/problem+json");
    // Per token: another token of the same member is not throttled.
    expect((await rest("GET", "/vms", { token: other.token })).status).toBe(200);
  });
});

describe("a token is not a session", () => {
  it("session, MFA and operator procedures answer UNAUTHORIZED to a token", async () => {
    const minted = await mint(acme.members.owner, ["vm.read", "realm.read", "realm.members.manage"]);
    const caller = tokenCallerFor(t, minted.token);
    for (const call of [() => caller.session.me(), () => caller.session.sessions(), () => caller.mfa.status(), () => caller.operator.hosts()]) {
      expect((await refusal(call())).code).toBe("UNAUTHORIZED");
    }
  });

  it("a token naming another organization (?org=, x-realmgate-org) finds nothing", async () => {
    // The owner of acme also belongs to beta: the token still reaches only acme.
    await t.db.membership.create({ data: { orgId: beta.orgId, userId: acme.members.admin.id, role: "owner" } });
    const minted = await mint(acme.members.admin, ["vm.read"]);
    const betaSlug = (await t.db.organization.findUniqueOrThrow({ where: { id: beta.orgId } })).slug;
    const acmeSlug = (await t.db.organization.findUniqueOrThrow({ where: { id: acme.orgId } })).slug;
    const naming = (org: string) =>
      createCaller(createContext({ tenant: t.tenantDb, platform: t.db }, null, undefined, { provenSameOrigin: true, bearer: minted.token, peer: "127.0.0.1", requestedOrg: org }));
    expect((await refusal(naming(betaSlug).vm.list({ limit: 5 }))).code).toBe("NOT_FOUND");
    expect((await refusal(naming("no-such-org").vm.list({ limit: 5 }))).code).toBe("NOT_FOUND");
    expect((await naming(acmeSlug).vm.list({ limit: 5 })).items.length).toBeGreaterThan(0);
    const viaRest = await rest("GET", "/vms", { token: minted.token, headers: { "x-realmgate-org": betaSlug } });
    expect(viaRest.status).toBe(404);
  });

  it("a platform operator's token carries no operator power, only its membership's", async () => {
    const operator = await createUser(t.db, "tok-ops", true);
    await t.db.membership.create({ data: { orgId: acme.orgId, userId: operator.id, role: "viewer" } });
    const minted = await mint(operator, ["vm.read"]);
    const caller = tokenCallerFor(t, minted.token);
    expect((await refusal(caller.operator.realms())).code).toBe("UNAUTHORIZED");
    expect((await refusal(caller.operator.hosts())).code).toBe("UNAUTHORIZED");
    expect((await caller.vm.list({ limit: 5 })).items.length).toBeGreaterThan(0);
    expect((await rest("GET", "/operator/tokens", { token: minted.token })).status).not.toBe(200);
  });
});

describe("audit", () => {
  it("a VM started through a token names the token on its operation and in the trail", async () => {
    const vmId = await stoppedVm(acme);
    const minted = await mint(acme.members.operator, ["vm.read", "vm.start"]);
    const { operationId } = await tokenCallerFor(t, minted.token).vm.start({ vmId });
    const operation = await t.db.operation.findFirstOrThrow({ where: { id: operationId } });
    expect(operation.requestedByTokenId).toBe(minted.id);
    const events = await t.db.auditEvent.findMany({ where: { realmId: acme.realmId, actorTokenId: minted.id, decision: "allow" } });
    expect(events.length).toBeGreaterThan(0);
    expect(events.every((e) => e.actorId === acme.members.operator.id)).toBe(true);
  });
});

describe("names", () => {
  it("a second live token with the same name is refused naming the field, not a server error", async () => {
    const owner = callerFor(t, acme.members.owner);
    await owner.token.create({ name: "deploy", permissions: ["vm.read"], expiresInDays: 1 });
    const error = await refusal(owner.token.create({ name: "deploy", permissions: ["vm.read"], expiresInDays: 1 }));
    expect(["CONFLICT", "BAD_REQUEST"]).toContain(error.code);
    expect(fieldsOf(error)).toEqual(["name"]);
  });
});
