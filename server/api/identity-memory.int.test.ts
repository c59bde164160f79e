import { TRPCError } from "@trpc/server";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSession } from "../auth/sessions";
import { realmBinding } from "../db/client";
import { createTestDatabase, type TestDatabase } from "../test/db";
import { callerFor, setupPlatform, setupTenant } from "../test/fixtures";

/**
 * A session's realm requests reuse the identity an earlier request read (auth/identity-cache.ts)
 * and assert it in the realm transaction's first message (migration member_access_check). These
 * change access the way another web process or an operator's SQL would: in the database only,
 * with no notification and nothing in this process's memory told; the very next request must
 * still be decided on the access as it is now.
 */

let t: TestDatabase;
let platform: Awaited<ReturnType<typeof setupPlatform>>;
let tenant: pg.Client;
let key: Buffer;
beforeAll(async () => {
  t = await createTestDatabase();
  platform = await setupPlatform(t.db);
  tenant = new pg.Client({ connectionString: t.urls.tenant });
  await tenant.connect();
  const rows = await t.db.$queryRaw<{ key: Uint8Array }[]>`SELECT "key" FROM "realmgate_private"."realm_binding_key"`;
  key = Buffer.from(rows[0]!.key);
});
afterAll(async () => {
  await tenant.end();
  await t.drop();
});

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof TRPCError) return error.code;
    throw error;
  }
  return "OK";
}

/** A tenant with a signed-in member whose identity is already remembered (one realm request made). */
async function rememberedMember(slug: string, role: "owner" | "viewer" = "owner") {
  const acme = await setupTenant(t.db, slug, platform.mgmtTemplate.id);
  const user = acme.members[role];
  const { sid, epoch } = await startSession(t.db, user.id, { userAgent: "test", clientAddress: null });
  const caller = callerFor(t, { id: user.id, sid, sessionEpoch: epoch });
  expect((await caller.realm.get()).role).toBe(role);
  return { acme, user, sid, caller };
}

describe("a remembered identity is asserted by every realm transaction", () => {
  it("a session revoked behind the web tier's back is refused at the next request", async () => {
    const { sid, caller } = await rememberedMember("idm-revoked");
    await t.db.session.update({ where: { id: sid }, data: { revokedAt: new Date(), revokedReason: "test" } });
    expect(await codeOf(caller.realm.get())).toBe("UNAUTHORIZED");
  });

  it("a session past its expiry is refused", async () => {
    const { sid, caller } = await rememberedMember("idm-expired");
    // (An expiry is after the creation: the row is moved back in time as a whole.)
    await t.db.session.update({ where: { id: sid }, data: { createdAt: new Date(Date.now() - 3_600_000), lastSeenAt: new Date(Date.now() - 1000), expiresAt: new Date(Date.now() - 1000) } });
    expect(await codeOf(caller.realm.get())).toBe("UNAUTHORIZED");
  });

  it("sign out everywhere (the epoch moves) is refused", async () => {
    const { user, caller } = await rememberedMember("idm-epoch");
    await t.db.user.update({ where: { id: user.id }, data: { sessionEpoch: { increment: 1 } } });
    expect(await codeOf(caller.realm.get())).toBe("UNAUTHORIZED");
  });

  it("a removed member finds no realm", async () => {
    const { acme, user, caller } = await rememberedMember("idm-removed");
    await t.db.membership.delete({ where: { orgId_userId: { orgId: acme.orgId, userId: user.id } } });
    expect(await codeOf(caller.realm.get())).toBe("NOT_FOUND");
    expect(await codeOf(caller.vm.list({}))).toBe("NOT_FOUND");
  });

  it("a demoted member acts with its new role at once, and nothing is written under the old one", async () => {
    const { acme, user, caller } = await rememberedMember("idm-demoted");
    await t.db.membership.update({ where: { orgId_userId: { orgId: acme.orgId, userId: user.id } }, data: { role: "viewer" } });
    expect(await codeOf(caller.vm.create({ name: "after-demotion", templateId: platform.template.id }))).toBe("FORBIDDEN");
    expect(await t.db.vm.count({ where: { realmId: acme.realmId, name: "after-demotion" } })).toBe(0);
    expect((await caller.realm.get()).role).toBe("viewer");
  });

  it("a promoted member is not refused for the role it had", async () => {
    const { acme, user, caller } = await rememberedMember("idm-promoted", "viewer");
    await t.db.membership.update({ where: { orgId_userId: { orgId: acme.orgId, userId: user.id } }, data: { role: "admin" } });
    const { vmId } = await caller.vm.create({ name: "after-promotion", templateId: platform.template.id });
    expect(await t.db.vm.count({ where: { id: vmId } })).toBe(1);
  });

  it("an organization that starts requiring MFA refuses a member without a second factor", async () => {
    const { acme, caller } = await rememberedMember("idm-mfa");
    await t.db.organization.update({ where: { id: acme.orgId }, data: { requireMfa: true } });
    expect(await codeOf(caller.realm.get())).toBe("FORBIDDEN");
  });
});

describe("the assertion itself (tenant role SQL)", () => {
  async function assertAs(realmId: string, args: { sid: string; userId: string; epoch: number; role: string; mfa?: boolean }): Promise<string> {
    await tenant.query("BEGIN");
    try {
      await tenant.query("SELECT set_config('realmgate.realm', $1, true)", [realmBinding(key, realmId)]);
      await tenant.query(`SELECT "realmgate_assert_member_access"($1, $2, $3, $4, $5)`, [args.sid, args.userId, args.epoch, args.role, args.mfa ?? false]);
      return "holds";
    } catch (error) {
      return (error as { code?: string }).code ?? "error";
    } finally {
      await tenant.query("ROLLBACK");
    }
  }

  it("holds for the member's own session in its own realm, and for nothing else", async () => {
    const { acme, user, sid } = await rememberedMember("idm-sql-a");
    const other = await setupTenant(t.db, "idm-sql-b", platform.mgmtTemplate.id);
    const epoch = (await t.db.user.findUniqueOrThrow({ where: { id: user.id } })).sessionEpoch;
    expect(await assertAs(acme.realmId, { sid, userId: user.id, epoch, role: "owner" })).toBe("holds");
    // Another realm's binding: the same session is no member there.
    expect(await assertAs(other.realmId, { sid, userId: user.id, epoch, role: "owner" })).toBe("RGA01");
    // Another user's id with this session, a wrong epoch, a wrong role.
    expect(await assertAs(acme.realmId, { sid, userId: acme.members.viewer.id, epoch, role: "viewer" })).toBe("RGA01");
    expect(await assertAs(acme.realmId, { sid, userId: user.id, epoch: epoch + 1, role: "owner" })).toBe("RGA01");
    expect(await assertAs(acme.realmId, { sid, userId: user.id, epoch, role: "admin" })).toBe("RGA01");
    // No realm bound at all.
    await tenant.query("BEGIN");
    const unbound = await tenant.query(`SELECT "realmgate_assert_member_access"($1, $2, $3, 'owner', false)`, [sid, user.id, epoch]).then(
      () => "holds",
      (error: { code?: string }) => error.code,
    );
    await tenant.query("ROLLBACK");
    expect(unbound).toBe("RGA01");
  });
});
