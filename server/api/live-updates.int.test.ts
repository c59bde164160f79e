import { randomUUID } from "node:crypto";
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { endSession, startSession } from "../auth/sessions";
import { PLATFORM_URL_ENV, transaction } from "../db/client";
import { unsafeInsertBreakGlass } from "../repositories/break-glass";
import { notifyRealm } from "../repositories/events";
import { unsafeDeleteMembership, unsafeUpdateMembershipRole } from "../repositories/memberships";
import { MAX_STREAMS_PER_USER } from "../services/access-revocations";
import { createTestDatabase, type TestDatabase } from "../test/db";
import { callerFor, createUser, setupPlatform, setupTenant, type Tenant } from "../test/fixtures";
import { createContext } from "./context";
import { createCaller } from "./root";

/**
 * Live-update streams end when access ends (threat: a removed member or a revoked break-glass
 * operator who keeps receiving the realm's events). Real realm hub and access listener (LISTEN
 * on the platform role) against PostgreSQL; each stream is a vm.onChange subscription called
 * with an abort signal, as the HTTP adapter does for a browser's request.
 */

let t: TestDatabase;
let tenant: Tenant;
const previousUrl = process.env[PLATFORM_URL_ENV];

beforeAll(async () => {
  t = await createTestDatabase();
  process.env[PLATFORM_URL_ENV] = t.url;
  const { mgmtTemplate } = await setupPlatform(t.db);
  tenant = await setupTenant(t.db, "live", mgmtTemplate.id);
});
afterAll(async () => {
  if (previousUrl === undefined) delete process.env[PLATFORM_URL_ENV];
  else process.env[PLATFORM_URL_ENV] = previousUrl;
  await t?.drop();
});

type Stream = { events: unknown[]; ended: Promise<number>; close: () => void; sid: string };

/** Opens vm.onChange as a signed-in browser would, and waits until it hears the realm's events. */
async function openStream(user: { id: string }, sid?: string): Promise<Stream> {
  const session = sid ?? (await startSession(t.db, user.id, { userAgent: "stream test", clientAddress: null })).sid;
  const { sessionEpoch } = await t.db.user.findUniqueOrThrow({ where: { id: user.id } });
  const abort = new AbortController();
  const caller = createCaller(createContext({ tenant: t.tenantDb, platform: t.db }, { id: user.id, epoch: sessionEpoch, sid: session }), { signal: abort.signal });
  const iterable = (await caller.vm.onChange()) as AsyncIterable<unknown>;
  const events: unknown[] = [];
  const ended = (async () => {
    try {
      for await (const event of iterable) events.push(event);
    } catch {
      /* ended by an error: ended all the same */
    }
    return Date.now();
  })();
  await hears(events, tenant.realmId);
  return { events, ended, close: () => abort.abort(), sid: session };
}

/** Notifies the realm until the stream has an event (the subscription is live end to end). */
async function hears(events: unknown[], realmId: string): Promise<void> {
  const before = events.length;
  for (let i = 0; i < 50 && events.length === before; i++) {
    await transaction(t.db, (tx) => notifyRealm(tx, { realmId, kind: "vm", vmId: randomUUID() }));
    await new Promise((r) => setTimeout(r, 100));
  }
  expect(events.length, "the stream hears the realm's events").toBeGreaterThan(before);
}

/** Milliseconds from `revokedAt` until the stream ended; fails if it is still open after 3 s. */
async function endsWithin(stream: Stream, revokedAt: number): Promise<number> {
  const timeout = new Promise<number>((_, reject) => setTimeout(() => reject(new Error("the stream is still open 3 s after the revocation")), 3_000));
  return (await Promise.race([stream.ended, timeout])) - revokedAt;
}

describe("live-update streams end when access ends", () => {
  it("a revoked break-glass operator's stream ends within 1 s", async () => {
    const operator = await createUser(t.db, "glass-op", true);
    const grantId = randomUUID();
    await unsafeInsertBreakGlass(t.db, { id: grantId, realmId: tenant.realmId, operatorId: operator.id, reason: "incident 42: tenant asked for help", expiresAt: new Date(Date.now() + 3600_000) });
    const stream = await openStream(operator);
    const revokedAt = Date.now();
    await callerFor(t, await createUser(t.db, "glass-revoker", true)).operator.breakGlass.revoke({ grantId });
    expect(await endsWithin(stream, revokedAt)).toBeLessThan(1_000);
    // And the realm's later events never reach it.
    const seen = stream.events.length;
    await transaction(t.db, (tx) => notifyRealm(tx, { realmId: tenant.realmId, kind: "vm", vmId: randomUUID() }));
    await new Promise((r) => setTimeout(r, 300));
    expect(stream.events.length).toBe(seen);
  });

  it("a removed member's stream ends within 1 s", async () => {
    const member = await createUser(t.db, "leaving");
    await t.db.membership.create({ data: { orgId: tenant.orgId, userId: member.id, role: "operator" } });
    const stream = await openStream(member);
    const revokedAt = Date.now();
    await transaction(t.db, (tx) => unsafeDeleteMembership(tx, { orgId: tenant.orgId, userId: member.id }));
    expect(await endsWithin(stream, revokedAt)).toBeLessThan(1_000);
  });

  it("signing out ends that session's stream within 1 s", async () => {
    const member = await createUser(t.db, "signs-out");
    await t.db.membership.create({ data: { orgId: tenant.orgId, userId: member.id, role: "viewer" } });
    const stream = await openStream(member);
    const revokedAt = Date.now();
    await endSession(t.db, { uid: member.id, sid: stream.sid });
    expect(await endsWithin(stream, revokedAt)).toBeLessThan(1_000);
  });

  it("a role change that still allows reading keeps the stream open (not over-blocked)", async () => {
    const member = await createUser(t.db, "demoted");
    await t.db.membership.create({ data: { orgId: tenant.orgId, userId: member.id, role: "admin" } });
    const stream = await openStream(member);
    await transaction(t.db, (tx) => unsafeUpdateMembershipRole(tx, { orgId: tenant.orgId, userId: member.id, role: "viewer" }));
    await new Promise((r) => setTimeout(r, 1_000));
    await hears(stream.events, tenant.realmId);
    stream.close();
    await endsWithin(stream, Date.now());
  });

  it(`the ${MAX_STREAMS_PER_USER + 1}th stream of one user is refused with TOO_MANY_REQUESTS`, async () => {
    const member = await createUser(t.db, "many-tabs");
    await t.db.membership.create({ data: { orgId: tenant.orgId, userId: member.id, role: "viewer" } });
    const { sid } = await startSession(t.db, member.id, { userAgent: "tabs", clientAddress: null });
    const streams: Stream[] = [];
    for (let i = 0; i < MAX_STREAMS_PER_USER; i++) streams.push(await openStream(member, sid));
    const refused = await openStream(member, sid).then(
      () => null,
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(TRPCError);
    expect((refused as TRPCError).code).toBe("TOO_MANY_REQUESTS");
    // Another user is not affected, and closing a stream frees its slot.
    const other = await openStream(tenant.members.viewer);
    streams[0]!.close();
    await streams[0]!.ended;
    streams.push(await openStream(member, sid));
    for (const stream of [...streams.slice(1), other]) stream.close();
    await Promise.all(streams.map((s) => s.ended));
  });
});
