import { randomUUID } from "node:crypto";
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSession } from "../auth/sessions";
import { PLATFORM_URL_ENV, transaction } from "../db/client";
import { notifyRealm } from "../repositories/events";
import { unsafeDeleteMembership, unsafeUpdateMembershipRole } from "../repositories/memberships";
import { createTestDatabase, type TestDatabase } from "../test/db";
import { callerFor, createUser, setupPlatform, setupTenant, type Tenant } from "../test/fixtures";
import { createContext } from "./context";
import { appRouter, createCaller } from "./root";
import { refuseLastFactorIfRequired } from "./routers/mfa/shared";

/**
 * One person, several organizations (threat: a request that names an organization to reach a
 * realm the caller does not belong to). The request names an organization by slug
 * (ctx.requestedOrg: the page's ?org=, the client's header); realmProcedure resolves it against
 * the caller's memberships on every request. Casey is admin of A (first membership) and viewer of
 * B; C is a third organization Casey does not belong to.
 */

// The probe below calls every procedure as a user without membership, the MFA ones included.
process.env.NEXTAUTH_SECRET ??= "integration-test-nextauth-secret";

let t: TestDatabase;
let platform: Awaited<ReturnType<typeof setupPlatform>>;
let a: Tenant;
let b: Tenant;
let c: Tenant;
const slug = { a: "", b: "", c: "" };
let casey: { id: string; email: string };
let nomember: { id: string };
const previousUrl = process.env[PLATFORM_URL_ENV];

async function orgSlug(orgId: string): Promise<string> {
  return (await t.db.organization.findUniqueOrThrow({ where: { id: orgId } })).slug;
}

/** Casey's caller for one selection (null: none), signed in as the app's tRPC route would build it. */
const caseyIn = (requestedOrg: string | null) => callerFor(t, casey, { provenSameOrigin: true, requestedOrg });

beforeAll(async () => {
  t = await createTestDatabase();
  process.env[PLATFORM_URL_ENV] = t.url;
  platform = await setupPlatform(t.db);
  a = await setupTenant(t.db, "sel-a", platform.mgmtTemplate.id);
  b = await setupTenant(t.db, "sel-b", platform.mgmtTemplate.id);
  c = await setupTenant(t.db, "sel-c", platform.mgmtTemplate.id);
  Object.assign(slug, { a: await orgSlug(a.orgId), b: await orgSlug(b.orgId), c: await orgSlug(c.orgId) });
  casey = await createUser(t.db, "casey");
  // A first, B a day later: without a selection, A is meant.
  await t.db.membership.create({ data: { orgId: a.orgId, userId: casey.id, role: "admin", createdAt: new Date(Date.now() - 2 * 86_400_000) } });
  await t.db.membership.create({ data: { orgId: b.orgId, userId: casey.id, role: "viewer", createdAt: new Date(Date.now() - 86_400_000) } });
  nomember = await createUser(t.db, "nomad");
  for (const [tenant, name] of [[a, "a-web"], [b, "b-db"], [c, "c-app"]] as const) {
    await callerFor(t, tenant.members.owner).vm.create({ name, templateId: platform.template.id });
  }
});
afterAll(async () => {
  if (previousUrl === undefined) delete process.env[PLATFORM_URL_ENV];
  else process.env[PLATFORM_URL_ENV] = previousUrl;
  await t?.drop();
});

const guestNames = async (caller: ReturnType<typeof callerFor>) =>
  (await caller.vm.list()).items.filter((vm) => vm.kind === "guest").map((vm) => vm.name).sort();

async function outcome(call: () => Promise<unknown>): Promise<{ ok: true } | { ok: false; code: string; message: string }> {
  try {
    const value = await call();
    // A subscription that started: close it again.
    if (value && typeof value === "object" && Symbol.asyncIterator in value) await (value as AsyncIterable<unknown>)[Symbol.asyncIterator]().return?.();
    return { ok: true };
  } catch (error) {
    if (!(error instanceof TRPCError)) throw error;
    return { ok: false, code: error.code, message: error.message };
  }
}

function procedureOf(caller: unknown, path: string): (input?: unknown) => Promise<unknown> {
  let target = caller;
  for (const part of path.split(".")) target = (target as Record<string, unknown>)[part];
  return target as (input?: unknown) => Promise<unknown>;
}

/** Row counts of every table a procedure could write (the audit trail included): any write shows. */
async function snapshot(): Promise<string> {
  const rows = await t.db.$queryRaw<{ s: string }[]>`
    SELECT concat_ws('|',
      (SELECT count(*) FROM vms), (SELECT md5(string_agg(id::text || observed_state || desired_state || updated_at::text, ',' ORDER BY id)) FROM vms),
      (SELECT count(*) FROM operations), (SELECT count(*) FROM disks), (SELECT count(*) FROM networks),
      (SELECT count(*) FROM memberships), (SELECT count(*) FROM organizations), (SELECT count(*) FROM realms),
      (SELECT count(*) FROM audit_events), (SELECT count(*) FROM idempotency_keys), (SELECT count(*) FROM break_glass_grants),
      (SELECT count(*) FROM sessions)) AS s`;
  return rows[0]!.s;
}

describe("one person, several organizations: the request names the realm", () => {
  it("lists each organization's VMs depending on the selection", async () => {
    expect(await guestNames(caseyIn(slug.a))).toEqual(["a-web"]);
    expect(await guestNames(caseyIn(slug.b))).toEqual(["b-db"]);
    expect((await caseyIn(slug.b).realm.get()).org.slug).toBe(slug.b);
    // The selection only chooses among the memberships: another VM of B is not A's.
    const bVm = (await caseyIn(slug.b).vm.list()).items.find((vm) => vm.name === "b-db")!;
    await expect(caseyIn(slug.a).vm.get({ vmId: bVm.id })).rejects.toMatchObject({ code: "NOT_FOUND", message: "VM not found" });
    expect((await caseyIn(slug.b).vm.get({ vmId: bVm.id })).name).toBe("b-db");
  });

  it("without a selection, the first membership is the realm (existing links keep working)", async () => {
    const realm = await caseyIn(null).realm.get();
    expect(realm.org.slug).toBe(slug.a);
    expect(realm.role).toBe("admin");
    expect(await guestNames(caseyIn(null))).toEqual(["a-web"]);
  });

  it("the role is the one of the selected organization: a viewer in B cannot create there, though admin in A", async () => {
    expect((await caseyIn(slug.b).realm.get()).role).toBe("viewer");
    await expect(caseyIn(slug.b).vm.create({ name: "casey-b", templateId: platform.template.id })).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect(await guestNames(caseyIn(slug.b))).toEqual(["b-db"]);
    const created = await caseyIn(slug.a).vm.create({ name: "casey-a", templateId: platform.template.id });
    expect((await t.db.vm.findUniqueOrThrow({ where: { id: created.vmId } })).realmId).toBe(a.realmId);
  });

  it("session.me lists every membership and names the selected one; a foreign selection names none", async () => {
    const me = await caseyIn(slug.b).session.me();
    expect(me.memberships).toEqual([
      { name: expect.any(String), slug: slug.a, role: "admin" },
      { name: expect.any(String), slug: slug.b, role: "viewer" },
    ]);
    expect(me.org).toMatchObject({ slug: slug.b, role: "viewer" });
    expect((await caseyIn(null).session.me()).org).toMatchObject({ slug: slug.a, role: "admin" });
    expect((await caseyIn(slug.c).session.me()).org).toBeNull();
    const nomad = await callerFor(t, nomember).session.me();
    expect(nomad).toMatchObject({ org: null, memberships: [], breakGlass: null });
  });
});

describe("a selection naming a foreign organization answers exactly like no realm at all", () => {
  const procedures = Object.entries((appRouter._def as unknown as { procedures: Record<string, { _def: { type: string } }> }).procedures);

  it("for every realm procedure of the router: same code and message as a user without membership, and nothing written", async () => {
    // Which procedures need a realm: those that tell a user without any membership NOT_FOUND
    // "realm" (the realm is resolved before the input is read, so no input is needed).
    const baseline = new Map<string, Awaited<ReturnType<typeof outcome>>>();
    for (const [path] of procedures) {
      const answer = await outcome(() => procedureOf(callerFor(t, nomember), path)(undefined));
      if (!answer.ok && answer.code === "NOT_FOUND" && answer.message === "realm not found") baseline.set(path, answer);
    }
    expect([...baseline.keys()]).toEqual(expect.arrayContaining(["realm.get", "vm.list", "vm.create", "vm.start", "vm.destroy", "vm.onChange", "disk.list"]));

    // Casey names C (a real organization, not hers), a slug nobody has, and junk; each caller is
    // signed in before the snapshot, so the session row is not counted as a write.
    const callers = [slug.c, "no-such-org", "../" + slug.a, slug.a.toUpperCase()].map((org) => caseyIn(org));
    for (const caller of callers) await caller.session.me();
    const cVm = (await callerFor(t, c.members.owner).vm.list()).items.find((vm) => vm.name === "c-app")!;
    const before = await snapshot();
    for (const [path] of baseline) {
      for (const caller of callers) {
        // With input naming C's own VM, where a procedure takes one: still no realm.
        expect(await outcome(() => procedureOf(caller, path)(undefined)), `${path} without input`).toEqual(baseline.get(path));
        expect(await outcome(() => procedureOf(caller, path)({ vmId: cVm.id })), `${path} with C's VM`).toEqual(baseline.get(path));
      }
    }
    expect(await snapshot()).toBe(before);
  });

  it("a foreign selection never falls back to the first organization", async () => {
    await expect(caseyIn(slug.c).vm.list()).rejects.toMatchObject({ code: "NOT_FOUND", message: "realm not found" });
    await expect(caseyIn(slug.c).realm.get()).rejects.toMatchObject({ code: "NOT_FOUND", message: "realm not found" });
  });
});

describe("break-glass is unaffected", () => {
  it("an operator without membership gets the grant's realm; a selection matches only the grant's organization", async () => {
    const operator = await createUser(t.db, "sel-ops", true);
    await callerFor(t, operator).operator.breakGlass.request({ realmId: a.realmId, reason: "incident 7: tenant asked for help", minutes: 5 });
    const as = (org: string | null) => callerFor(t, operator, { provenSameOrigin: true, requestedOrg: org });
    expect((await as(null).realm.get()).org.slug).toBe(slug.a);
    expect((await as(slug.a).realm.get()).org.slug).toBe(slug.a);
    expect(await guestNames(as(slug.a))).toEqual(expect.arrayContaining(["a-web"]));
    await expect(as(slug.b).realm.get()).rejects.toMatchObject({ code: "NOT_FOUND", message: "realm not found" });
    await expect(as(slug.b).vm.list()).rejects.toMatchObject({ code: "NOT_FOUND", message: "realm not found" });
  });

  it("an operator who is a member somewhere gets its memberships only: naming the grant's organization gives no realm", async () => {
    const operator = await createUser(t.db, "sel-ops-member", true);
    await callerFor(t, operator).operator.breakGlass.request({ realmId: a.realmId, reason: "incident 8: tenant asked for help", minutes: 5 });
    await t.db.membership.create({ data: { orgId: c.orgId, userId: operator.id, role: "viewer" } });
    const as = (org: string | null) => callerFor(t, operator, { provenSameOrigin: true, requestedOrg: org });
    expect((await as(null).realm.get()).org.slug).toBe(slug.c);
    await expect(as(slug.a).realm.get()).rejects.toMatchObject({ code: "NOT_FOUND", message: "realm not found" });
  });
});

describe("live updates follow the stream's own organization", () => {
  type Stream = { events: { vmId: string | null }[]; ended: Promise<void>; isOpen: () => boolean; close: () => void };

  async function openStream(requestedOrg: string): Promise<Stream> {
    const { sid } = await startSession(t.db, casey.id, { userAgent: "stream test", clientAddress: null });
    const { sessionEpoch } = await t.db.user.findUniqueOrThrow({ where: { id: casey.id } });
    const abort = new AbortController();
    const ctx = createContext({ tenant: t.tenantDb, platform: t.db }, { id: casey.id, epoch: sessionEpoch, sid }, undefined, { provenSameOrigin: true, requestedOrg });
    const iterable = (await createCaller(ctx, { signal: abort.signal }).vm.onChange()) as AsyncIterable<{ vmId: string | null }>;
    const events: { vmId: string | null }[] = [];
    let open = true;
    const ended = (async () => {
      try {
        for await (const event of iterable) events.push(event);
      } catch {
        /* ended by an error: ended all the same */
      }
      open = false;
    })();
    return { events, ended, isOpen: () => open, close: () => abort.abort() };
  }

  /** Notifies `realmId` with a fresh id until `stream` hears it (or 5 s pass). */
  async function hears(stream: Stream, realmId: string): Promise<boolean> {
    const vmId = randomUUID();
    for (let i = 0; i < 50; i++) {
      await transaction(t.db, (tx) => notifyRealm(tx, { realmId, kind: "vm", vmId }));
      await new Promise((r) => setTimeout(r, 100));
      if (stream.events.some((e) => e.vmId === vmId)) return true;
    }
    return false;
  }

  it("a stream opened in B hears B only, survives re-validation, and ends when the B membership ends (A's stream stays)", async () => {
    const inA = await openStream(slug.a);
    const inB = await openStream(slug.b);
    expect(await hears(inB, b.realmId)).toBe(true);
    expect(await hears(inA, a.realmId)).toBe(true);
    // A's events never reach B's stream.
    const aOnly = randomUUID();
    await transaction(t.db, (tx) => notifyRealm(tx, { realmId: a.realmId, kind: "vm", vmId: aOnly }));
    await new Promise((r) => setTimeout(r, 500));
    expect(inB.events.some((e) => e.vmId === aOnly)).toBe(false);

    // Any change to Casey's access re-validates every stream of hers against its own
    // organization: B's stream must not be measured against A, her first.
    await transaction(t.db, (tx) => unsafeUpdateMembershipRole(tx, { orgId: a.orgId, userId: casey.id, role: "operator" }));
    await new Promise((r) => setTimeout(r, 1_000));
    expect(inB.isOpen()).toBe(true);
    expect(await hears(inB, b.realmId)).toBe(true);

    await transaction(t.db, (tx) => unsafeDeleteMembership(tx, { orgId: b.orgId, userId: casey.id }));
    await Promise.race([inB.ended, new Promise((_, reject) => setTimeout(() => reject(new Error("B's stream is still open 3 s after the membership ended")), 3_000))]);
    expect(inA.isOpen()).toBe(true);
    expect(await hears(inA, a.realmId)).toBe(true);
    inA.close();
    await inA.ended;
    // Restore for any later test.
    await t.db.membership.create({ data: { orgId: b.orgId, userId: casey.id, role: "viewer", createdAt: new Date(Date.now() - 86_400_000) } });
    await transaction(t.db, (tx) => unsafeUpdateMembershipRole(tx, { orgId: a.orgId, userId: casey.id, role: "admin" }));
  });
});

describe("decisions about a member of several organizations consider all of them", () => {
  it("explain answers for the VM's organization: Casey may read B's VM (viewer there), though A is her first", async () => {
    const operator = await createUser(t.db, "sel-explainer", true);
    const bVm = (await caseyIn(slug.b).vm.list()).items.find((vm) => vm.name === "b-db")!;
    const read = await callerFor(t, operator).operator.explain({ userEmail: casey.email, permission: "vm.read", vmId: bVm.id });
    expect(read.layers.find((l) => l.layer === "database")?.allowed).toBe(true);
    expect(read.layers.find((l) => l.layer === "trpc")?.allowed).toBe(true);
    // Her role there still decides: a viewer does not start VMs.
    const start = await callerFor(t, operator).operator.explain({ userEmail: casey.email, permission: "vm.start", vmId: bVm.id });
    expect(start.allowed).toBe(false);
    expect(start.layers.find((l) => l.layer === "trpc")?.allowed).toBe(false);
  });

  it("the last second factor cannot be removed when any organization (not only the first) requires one", async () => {
    await t.db.organization.update({ where: { id: b.orgId }, data: { requireMfa: true } });
    try {
      await expect(refuseLastFactorIfRequired(t.db, casey.id, "totp")).rejects.toMatchObject({ kind: "precondition_failed" });
    } finally {
      await t.db.organization.update({ where: { id: b.orgId }, data: { requireMfa: false } });
    }
    await expect(refuseLastFactorIfRequired(t.db, casey.id, "totp")).resolves.toBeUndefined();
  });
});
