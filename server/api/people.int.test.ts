import { randomUUID } from "node:crypto";
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSession } from "../auth/sessions";
import { verifyPassword } from "../auth/password";
import { PLATFORM_URL_ENV, transaction } from "../db/client";
import { notifyRealm } from "../repositories/events";
import { hashToken, INVITATION_MESSAGES } from "../services/invitations";
import { createTestDatabase, type TestDatabase } from "../test/db";
import { callerFor, createUser, setupPlatform, setupTenant, type Tenant } from "../test/fixtures";
import { createContext } from "./context";
import { createCaller } from "./root";

/**
 * Invitations and people, through the procedures against PostgreSQL. Threats: a link that works
 * for the wrong person, twice, late or after revocation; a link that reveals another
 * organization; an organization left without an owner (also by two concurrent demotions); an
 * admin acting on owners; a removed member who keeps access or keeps a live-update stream open.
 */

let t: TestDatabase;
let acme: Tenant;
let globex: Tenant;
const previousUrl = process.env[PLATFORM_URL_ENV];

beforeAll(async () => {
  t = await createTestDatabase();
  // The access listener (live-update streams) connects with the platform URL.
  process.env[PLATFORM_URL_ENV] = t.url;
  const { mgmtTemplate } = await setupPlatform(t.db);
  acme = await setupTenant(t.db, "people-acme", mgmtTemplate.id);
  globex = await setupTenant(t.db, "people-globex", mgmtTemplate.id);
});
afterAll(async () => {
  if (previousUrl === undefined) delete process.env[PLATFORM_URL_ENV];
  else process.env[PLATFORM_URL_ENV] = previousUrl;
  await t?.drop();
});

const anonymous = () => callerFor(t, null);
const uniqueEmail = (name: string) => `${name}-${randomUUID().slice(0, 8)}@invitee.test`;
const tokenOf = (link: string) => link.split("/invite/")[1]!;
const STRONG = "correct horse battery staple";

async function refusal(promise: Promise<unknown>): Promise<TRPCError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error, "the call was refused").toBeInstanceOf(TRPCError);
  return error as TRPCError;
}

async function invite(tenant: Tenant, role: "owner" | "admin" | "operator" | "viewer" = "viewer", email = uniqueEmail(role)) {
  const created = await callerFor(t, tenant.members.owner).realm.invitations.create({ email, role });
  return { ...created, token: tokenOf(created.link), email };
}

function auditOf(realmId: string, action: string) {
  return t.db.auditEvent.findMany({ where: { realmId, action }, orderBy: { id: "asc" } });
}

describe("invitation links", () => {
  it("a new person signs up through the link and becomes a member with the invited role", async () => {
    const { token, email, invitationId, link } = await invite(acme, "viewer");
    expect(link).toMatch(/^https?:\/\/[^/]+\/invite\/[A-Za-z0-9_-]{43}$/);
    // Only the hash is stored; the outbox holds the mail a mailer would send.
    const row = await t.db.invitation.findUniqueOrThrow({ where: { id: invitationId } });
    expect(row.tokenHash).toBe(hashToken(token));
    expect(JSON.stringify(row)).not.toContain(token);
    const mail = await t.db.outboxMessage.findFirstOrThrow({ where: { to: email } });
    expect(mail.body).toContain(link);
    expect(mail.sentAt).toBeNull();

    const preview = await anonymous().invitation.preview({ token });
    expect(preview).toMatchObject({ ok: true, orgName: "people-acme", role: "viewer", email, hasAccount: false });

    const accepted = await anonymous().invitation.accept({ token, name: "Vera Viewer", password: STRONG });
    expect(accepted).toMatchObject({ orgName: "people-acme", role: "viewer", email });
    const user = await t.db.user.findUniqueOrThrow({ where: { email } });
    expect(user.passwordHash).toMatch(/^\$argon2id\$/);
    expect(await verifyPassword(user.passwordHash, STRONG)).toBe(true);
    const realm = await callerFor(t, user).realm.get();
    expect(realm).toMatchObject({ id: acme.realmId, role: "viewer" });

    // Audited in the realm's trail, with actor and target.
    const [create] = await auditOf(acme.realmId, "realm.invitation.create").then((rows) => rows.filter((r) => r.targetId === invitationId));
    expect(create).toMatchObject({ actorId: acme.members.owner.id, targetType: "invitation", decision: "allow" });
    const [accept] = await auditOf(acme.realmId, "realm.invitation.accept").then((rows) => rows.filter((r) => r.targetId === invitationId));
    expect(accept).toMatchObject({ actorId: user.id, targetType: "invitation", decision: "allow" });
    const [joined] = await auditOf(acme.realmId, "realm.members.add").then((rows) => rows.filter((r) => r.targetId === user.id));
    expect(joined).toMatchObject({ actorId: user.id, targetType: "member" });
  });

  it("refuses a wrong token with one message that names no organization", async () => {
    const { token } = await invite(acme);
    const flipped = (token[0] === "A" ? "B" : "A") + token.slice(1);
    for (const wrong of [flipped, "not-a-token", randomUUID(), ""]) {
      const preview = await anonymous().invitation.preview({ token: wrong });
      expect(preview).toEqual({ ok: false, problem: "invalid", message: INVITATION_MESSAGES.invalid });
      const error = await refusal(anonymous().invitation.accept({ token: wrong, name: "Mallory", password: STRONG }));
      expect(error.code).toBe("NOT_FOUND");
      expect(error.message).toBe(INVITATION_MESSAGES.invalid);
      expect(JSON.stringify([preview, error.message])).not.toMatch(/acme|globex/i);
    }
  });

  it("refuses a reused token: the second acceptance finds it used", async () => {
    const { token } = await invite(acme);
    await anonymous().invitation.accept({ token, name: "First", password: STRONG });
    const error = await refusal(anonymous().invitation.accept({ token, name: "Second", password: STRONG }));
    expect(error).toMatchObject({ code: "PRECONDITION_FAILED", message: INVITATION_MESSAGES.accepted });
    expect(await anonymous().invitation.preview({ token })).toMatchObject({ ok: false, problem: "accepted" });
  });

  it("refuses two concurrent acceptances of one token but one (single use under a row lock)", async () => {
    const { token, email } = await invite(acme);
    const user = await t.db.user.create({ data: { id: randomUUID(), email, name: "Twice", passwordHash: "x" } });
    const results = await Promise.allSettled([0, 1, 2].map(() => callerFor(t, user).invitation.accept({ token })));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(await t.db.membership.count({ where: { orgId: acme.orgId, userId: user.id } })).toBe(1);
  });

  it("refuses an expired token", async () => {
    const { token, invitationId, email } = await invite(acme);
    await t.db.invitation.update({ where: { id: invitationId }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const error = await refusal(anonymous().invitation.accept({ token, name: "Late", password: STRONG }));
    expect(error).toMatchObject({ code: "PRECONDITION_FAILED", message: INVITATION_MESSAGES.expired });
    expect(await t.db.user.findUnique({ where: { email } })).toBeNull();
    // The refusal is in the realm's trail.
    const denials = await t.db.auditEvent.findMany({ where: { realmId: acme.realmId, action: "realm.invitation.accept", decision: "deny", targetId: invitationId } });
    expect(denials[0]?.reason).toBe("refused: expired");
  });

  it("refuses a revoked token, and the revocation is audited", async () => {
    const { token, invitationId, email } = await invite(acme, "admin");
    await callerFor(t, acme.members.admin).realm.invitations.revoke({ invitationId });
    const error = await refusal(anonymous().invitation.accept({ token, name: "Withdrawn", password: STRONG }));
    expect(error).toMatchObject({ code: "PRECONDITION_FAILED", message: INVITATION_MESSAGES.revoked });
    expect(await t.db.user.findUnique({ where: { email } })).toBeNull();
    const [revoked] = (await auditOf(acme.realmId, "realm.invitation.revoke")).filter((r) => r.targetId === invitationId);
    expect(revoked).toMatchObject({ actorId: acme.members.admin.id, decision: "allow" });
    // Revoked invitations leave the pending list.
    const pending = await callerFor(t, acme.members.owner).realm.invitations.list({ limit: 200 });
    expect(pending.items.map((i) => i.id)).not.toContain(invitationId);
  });

  it("refuses a link into an organization being decommissioned, as a withdrawn one", async () => {
    const org = await setupTenant(t.db, "closing", (await setupPlatform(t.db)).mgmtTemplate.id);
    const { token, email } = await invite(org);
    await t.db.realm.update({ where: { id: org.realmId }, data: { status: "decommissioning" } });
    expect(await anonymous().invitation.preview({ token })).toMatchObject({ ok: false, problem: "revoked" });
    const error = await refusal(anonymous().invitation.accept({ token, name: "Too Late", password: STRONG }));
    expect(error).toMatchObject({ code: "PRECONDITION_FAILED", message: INVITATION_MESSAGES.revoked });
    expect(await t.db.user.findUnique({ where: { email } })).toBeNull();
  });

  it("refuses a signed-in user with another email, with a clear message, and leaves the link usable", async () => {
    const { token, email } = await invite(acme);
    const error = await refusal(callerFor(t, globex.members.viewer).invitation.accept({ token }));
    expect(error.code).toBe("FORBIDDEN");
    expect(error.message).toContain(`This invitation is for ${email}, but you are signed in as`);
    expect(await t.db.membership.count({ where: { orgId: acme.orgId, userId: globex.members.viewer.id } })).toBe(0);
    expect(await anonymous().invitation.preview({ token })).toMatchObject({ ok: true });
  });

  it("an existing user must sign in as the invited email, then accepts", async () => {
    const existing = await createUser(t.db, "consultant");
    const { token } = await invite(acme, "operator", existing.email);
    expect(await anonymous().invitation.preview({ token })).toMatchObject({ ok: true, hasAccount: true });
    // Not signed in: no second account, no password set for someone else's address.
    const error = await refusal(anonymous().invitation.accept({ token, name: "Impostor", password: STRONG }));
    expect(error.code).toBe("PRECONDITION_FAILED");
    expect(error.message).toContain(`sign in as ${existing.email}`);
    expect((await t.db.user.findUniqueOrThrow({ where: { id: existing.id } })).name).toBe("consultant");

    await callerFor(t, existing).invitation.accept({ token });
    expect(await t.db.membership.findUnique({ where: { orgId_userId: { orgId: acme.orgId, userId: existing.id } } })).toMatchObject({ role: "operator" });
  });

  it("applies the password strength rule with a clear message", async () => {
    const { token, email } = await invite(acme);
    for (const [password, message] of [
      ["short", "at least 12 characters"],
      [email, "must not be your email address"],
    ] as const) {
      const error = await refusal(anonymous().invitation.accept({ token, name: "Weak", password }));
      expect(error.code).toBe("BAD_REQUEST");
      expect(error.message).toContain(message);
    }
    expect(await anonymous().invitation.preview({ token })).toMatchObject({ ok: true });
  });

  it("refuses a second pending invitation for one email, and inviting a member", async () => {
    const { email } = await invite(acme);
    expect((await refusal(invite(acme, "viewer", email))).code).toBe("CONFLICT");
    const viewerEmail = (await t.db.user.findUniqueOrThrow({ where: { id: acme.members.viewer.id } })).email;
    expect((await refusal(invite(acme, "viewer", viewerEmail))).message).toContain("already a member");
  });

  it("the tenant role can add to the outbox but never read it back", async () => {
    await expect(t.tenantDb.$queryRaw`SELECT count(*) FROM outbox_messages`).rejects.toThrow(/permission denied/);
  });
});

describe("who may invite and see invitations", () => {
  it("viewers and VM operators read the member list but neither invitations nor links", async () => {
    for (const member of [acme.members.viewer, acme.members.operator]) {
      const people = await callerFor(t, member).realm.members.list({ limit: 200 });
      expect(people.items.map((p) => p.userId)).toContain(acme.members.owner.id);
      expect((await refusal(callerFor(t, member).realm.invitations.list())).code).toBe("FORBIDDEN");
      expect((await refusal(callerFor(t, member).realm.invitations.create({ email: uniqueEmail("x"), role: "viewer" }))).code).toBe("FORBIDDEN");
    }
  });

  it("an admin cannot invite an owner", async () => {
    const error = await refusal(callerFor(t, acme.members.admin).realm.invitations.create({ email: uniqueEmail("boss"), role: "owner" }));
    expect(error).toMatchObject({ code: "FORBIDDEN", message: "only an owner can invite an owner" });
  });

  it("lists pending invitations with who created them, never a link", async () => {
    const { invitationId, token } = await invite(acme, "operator");
    const pending = await callerFor(t, acme.members.admin).realm.invitations.list({ limit: 200 });
    const row = pending.items.find((i) => i.id === invitationId);
    expect(row).toMatchObject({ role: "operator", createdBy: "people-acme-owner" });
    expect(JSON.stringify(pending)).not.toContain(token);
  });

  it("another realm's invitation id answers like a missing one", async () => {
    const { invitationId } = await invite(globex);
    const foreign = await refusal(callerFor(t, acme.members.owner).realm.invitations.revoke({ invitationId }));
    const missing = await refusal(callerFor(t, acme.members.owner).realm.invitations.revoke({ invitationId: randomUUID() }));
    expect([foreign.code, foreign.message]).toEqual([missing.code, missing.message]);
    expect(foreign.code).toBe("NOT_FOUND");
    expect((await t.db.invitation.findUniqueOrThrow({ where: { id: invitationId } })).revokedAt).toBeNull();
  });
});

describe("members: roles, removal, the last owner", () => {
  async function freshOrg(slug: string) {
    const { mgmtTemplate } = await setupPlatform(t.db);
    return setupTenant(t.db, slug, mgmtTemplate.id);
  }

  it("refuses to demote or remove the last owner", async () => {
    const org = await freshOrg("last-owner");
    const owner = callerFor(t, org.members.owner);
    const demote = await refusal(owner.realm.members.changeRole({ userId: org.members.owner.id, role: "admin" }));
    expect(demote).toMatchObject({ code: "PRECONDITION_FAILED", message: "the last owner cannot be demoted: make another member an owner first" });
    const remove = await refusal(owner.realm.members.remove({ userId: org.members.owner.id }));
    expect(remove.code).toBe("PRECONDITION_FAILED");
    expect(await t.db.membership.count({ where: { orgId: org.orgId, role: "owner" } })).toBe(1);
    const denials = await t.db.auditEvent.findMany({ where: { realmId: org.realmId, decision: "deny", targetId: org.members.owner.id } });
    expect(denials.map((d) => d.action).sort()).toEqual(["realm.members.change-role", "realm.members.remove"]);
  });

  it("two owners demoting each other at the same moment leave one owner, never zero", async () => {
    for (let round = 0; round < 5; round++) {
      const org = await freshOrg(`race-${round}`);
      const second = await createUser(t.db, `second-owner-${round}`);
      await t.db.membership.create({ data: { orgId: org.orgId, userId: second.id, role: "owner" } });
      const results = await Promise.allSettled([
        callerFor(t, org.members.owner).realm.members.changeRole({ userId: second.id, role: "viewer" }),
        callerFor(t, second).realm.members.changeRole({ userId: org.members.owner.id, role: "viewer" }),
      ]);
      expect(await t.db.membership.count({ where: { orgId: org.orgId, role: "owner" } })).toBe(1);
      expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    }
  });

  it("two owners each demoting themselves at the same moment leave one owner", async () => {
    const org = await freshOrg("self-race");
    const second = await createUser(t.db, "self-second");
    await t.db.membership.create({ data: { orgId: org.orgId, userId: second.id, role: "owner" } });
    await Promise.allSettled([
      callerFor(t, org.members.owner).realm.members.changeRole({ userId: org.members.owner.id, role: "admin" }),
      callerFor(t, second).realm.members.remove({ userId: second.id }),
    ]);
    expect(await t.db.membership.count({ where: { orgId: org.orgId, role: "owner" } })).toBe(1);
  });

  it("an admin cannot change or remove an owner, nor make anyone an owner", async () => {
    const org = await freshOrg("admin-limits");
    const admin = callerFor(t, org.members.admin);
    expect((await refusal(admin.realm.members.changeRole({ userId: org.members.owner.id, role: "viewer" }))).code).toBe("FORBIDDEN");
    expect((await refusal(admin.realm.members.remove({ userId: org.members.owner.id }))).code).toBe("FORBIDDEN");
    expect((await refusal(admin.realm.members.changeRole({ userId: org.members.admin.id, role: "owner" }))).code).toBe("FORBIDDEN");
    // Not over-blocked: an admin manages viewers.
    await admin.realm.members.changeRole({ userId: org.members.viewer.id, role: "operator" });
    expect(await t.db.membership.findUnique({ where: { orgId_userId: { orgId: org.orgId, userId: org.members.viewer.id } } })).toMatchObject({ role: "operator" });
  });

  it("a viewer cannot change roles or remove anyone", async () => {
    const viewer = callerFor(t, acme.members.viewer);
    expect((await refusal(viewer.realm.members.remove({ userId: acme.members.operator.id }))).code).toBe("FORBIDDEN");
    expect((await refusal(viewer.realm.members.changeRole({ userId: acme.members.viewer.id, role: "owner" }))).code).toBe("FORBIDDEN");
  });

  it("another organization's member id answers like a missing one", async () => {
    const owner = callerFor(t, acme.members.owner);
    for (const call of [
      (userId: string) => owner.realm.members.remove({ userId }),
      (userId: string) => owner.realm.members.changeRole({ userId, role: "viewer" }),
    ]) {
      const foreign = await refusal(call(globex.members.viewer.id));
      const missing = await refusal(call(randomUUID()));
      expect([foreign.code, foreign.message]).toEqual([missing.code, missing.message]);
      expect(foreign.code).toBe("NOT_FOUND");
    }
    expect(await t.db.membership.findUnique({ where: { orgId_userId: { orgId: globex.orgId, userId: globex.members.viewer.id } } })).toMatchObject({ role: "viewer" });
  });

  it("a lowered role takes effect on the member's next request", async () => {
    const org = await freshOrg("demote-effect");
    const admin = callerFor(t, org.members.admin);
    await admin.realm.members.list();
    await admin.realm.invitations.list();
    await callerFor(t, org.members.owner).realm.members.changeRole({ userId: org.members.admin.id, role: "viewer" });
    expect((await refusal(admin.realm.invitations.list())).code).toBe("FORBIDDEN");
    const [changed] = (await auditOf(org.realmId, "realm.members.change-role")).filter((r) => r.targetId === org.members.admin.id);
    expect(changed).toMatchObject({ actorId: org.members.owner.id, decision: "allow", reason: expect.stringContaining("from admin to viewer") });
  });

  it("removal ends access on the member's next request and closes its open live-update stream", async () => {
    const org = await freshOrg("removal");
    const member = org.members.operator;
    const { sid } = await startSession(t.db, member.id, { userAgent: "people test", clientAddress: null });
    const abort = new AbortController();
    const streamCaller = createCaller(createContext({ tenant: t.tenantDb, platform: t.db }, { id: member.id, epoch: 0, sid }), { signal: abort.signal });
    const iterable = (await streamCaller.vm.onChange()) as AsyncIterable<unknown>;
    const events: unknown[] = [];
    const ended = (async () => {
      try {
        for await (const event of iterable) events.push(event);
      } catch {
        /* ended by an error: ended all the same */
      }
      return Date.now();
    })();
    for (let i = 0; i < 50 && events.length === 0; i++) {
      await transaction(t.db, (tx) => notifyRealm(tx, { realmId: org.realmId, kind: "vm", vmId: randomUUID() }));
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(events.length, "the stream is live").toBeGreaterThan(0);

    const memberCaller = callerFor(t, { id: member.id, sid });
    await memberCaller.realm.get();
    const removedAt = Date.now();
    await callerFor(t, org.members.owner).realm.members.remove({ userId: member.id });
    const timeout = new Promise<number>((_, reject) => setTimeout(() => reject(new Error("the stream is still open 3 s after the removal")), 3_000));
    expect((await Promise.race([ended, timeout])) - removedAt).toBeLessThan(1_000);
    abort.abort();
    expect((await refusal(memberCaller.realm.get())).code).toBe("NOT_FOUND");
    const [removed] = (await auditOf(org.realmId, "realm.members.remove")).filter((r) => r.targetId === member.id);
    expect(removed).toMatchObject({ actorId: org.members.owner.id, targetType: "member", decision: "allow" });
  });
});

describe("the operator's first-owner invitation", () => {
  it("invites the first owner of an organization that has none, and only then", async () => {
    const org = await setupTenant(t.db, "ownerless", (await setupPlatform(t.db)).mgmtTemplate.id);
    await t.db.membership.deleteMany({ where: { orgId: org.orgId } });
    const operator = await createUser(t.db, "onboarder", true);
    const email = uniqueEmail("first-owner");
    const { link, role } = await callerFor(t, operator).operator.invitations.inviteOwner({ orgId: org.orgId, email });
    expect(role).toBe("owner");
    const invitation = await t.db.invitation.findFirstOrThrow({ where: { email } });
    expect(invitation).toMatchObject({ realmId: org.realmId, createdById: operator.id, role: "owner" });
    const [audit] = (await auditOf(org.realmId, "operator.invitation.first-owner")).filter((r) => r.targetId === invitation.id);
    expect(audit).toMatchObject({ actorId: operator.id });

    await anonymous().invitation.accept({ token: tokenOf(link), name: "First Owner", password: STRONG });
    const owner = await t.db.user.findUniqueOrThrow({ where: { email } });
    expect(await callerFor(t, owner).realm.get()).toMatchObject({ id: org.realmId, role: "owner" });

    // Now it has an owner: an operator cannot invite itself or anyone else as another owner.
    const error = await refusal(callerFor(t, operator).operator.invitations.inviteOwner({ orgId: org.orgId, email: operator.email }));
    expect(error.code).toBe("PRECONDITION_FAILED");
  });

  it("is not reachable for tenants, and an unknown organization answers NOT_FOUND", async () => {
    expect((await refusal(callerFor(t, acme.members.owner).operator.invitations.inviteOwner({ orgId: globex.orgId, email: uniqueEmail("x") }))).code).toBe("NOT_FOUND");
    const operator = await createUser(t.db, "onboarder-2", true);
    expect((await refusal(callerFor(t, operator).operator.invitations.inviteOwner({ orgId: randomUUID(), email: uniqueEmail("x") }))).code).toBe("NOT_FOUND");
  });
});
