import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PLATFORM_URL_ENV } from "../db/client";
import { ROLE_GRANTS } from "../policy/permissions";
import { createTestDatabase, type TestDatabase } from "../test/db";
import { callerFor, createUser, restFor, setupPlatform, setupTenant, type Tenant } from "../test/fixtures";
import { liftDefaultQuotas } from "../test/quotas";

/**
 * The REST surface beyond VMs, end to end against PostgreSQL: disks and networks (device requests
 * answer 202 + Location), people, invitations, the audit trail by page with the API token named
 * in words, and operators listing and revoking any realm's tokens.
 */

let t: TestDatabase;
let platform: Awaited<ReturnType<typeof setupPlatform>>;
let acme: Tenant;
let globex: Tenant;
let ops: { id: string; email: string };
let rest: ReturnType<typeof restFor>;
const previousUrl = process.env[PLATFORM_URL_ENV];

beforeAll(async () => {
  t = await createTestDatabase();
  process.env[PLATFORM_URL_ENV] = t.url;
  platform = await setupPlatform(t.db);
  acme = await setupTenant(t.db, "acme", platform.mgmtTemplate.id);
  globex = await setupTenant(t.db, "globex", platform.mgmtTemplate.id);
  ops = await createUser(t.db, "ops", true);
  await liftDefaultQuotas(t.urls.owner);
  rest = restFor(t);
});
afterAll(async () => {
  if (previousUrl === undefined) delete process.env[PLATFORM_URL_ENV];
  else process.env[PLATFORM_URL_ENV] = previousUrl;
  await t?.drop();
});

/** A token of the member carrying everything the member's role grants (or the given list). */
async function mint(user: { id: string }, role: keyof typeof ROLE_GRANTS, name = `t-${Math.random().toString(36).slice(2, 8)}`, permissions?: string[]) {
  return callerFor(t, user).token.create({ name, permissions: (permissions ?? [...ROLE_GRANTS[role]]) as never, expiresInDays: 30 });
}

/** The worker's part, done by hand: pending operations succeed and the VM rests in `state`. */
const settle = (realmId: string, vmId: string, state: "stopped" | "running") =>
  t.db.$transaction([
    t.db.operation.updateMany({ where: { realmId, vmId, status: { in: ["pending", "running", "retrying"] } }, data: { status: "succeeded" } }),
    t.db.vm.update({ where: { realmId_id: { realmId, id: vmId } }, data: { observedState: state } }),
  ]);

describe("disks, networks and devices over REST", () => {
  it("creates, lists, attaches (202 + Location), detaches and deletes", async () => {
    const { token } = await mint(acme.members.owner, "owner");
    const created = await rest("POST", "/vms", { token, body: { name: "dev-1", templateId: platform.template.id } });
    expect(created.status, JSON.stringify(created.body)).toBe(202);
    const vmId = created.body.vmId as string;
    await settle(acme.realmId, vmId, "stopped");

    const disk = await rest("POST", "/disks", { token, body: { name: "data-1", sizeGb: 2 } });
    expect(disk.status, JSON.stringify(disk.body)).toBe(200);
    const diskId = disk.body.diskId as string;
    const disks = await rest("GET", "/disks?limit=200", { token });
    expect(disks.body.items).toContainEqual({ id: diskId, name: "data-1", sizeGb: 2, createdAt: expect.any(String), vm: null });

    const attach = await rest("POST", `/vms/${vmId}/disks`, { token, body: { diskId } });
    expect(attach.status, JSON.stringify(attach.body)).toBe(202);
    expect(attach.headers.get("location")).toBe(`/api/v1/operations/${attach.body.operationId}`);
    expect((await rest("GET", "/disks?limit=200", { token })).body.items.find((d: { id: string }) => d.id === diskId).vm).toEqual({ id: vmId, name: "dev-1" });
    // An attached disk stays: deleting it is refused, in words.
    const busy = await rest("DELETE", `/disks/${diskId}`, { token });
    expect(busy).toMatchObject({ status: 412, body: { detail: "the disk is attached to a VM: detach it first" } });

    await settle(acme.realmId, vmId, "stopped");
    const detach = await rest("DELETE", `/vms/${vmId}/disks/${diskId}`, { token });
    expect(detach.status, JSON.stringify(detach.body)).toBe(202);
    expect(detach.headers.get("location")).toBe(`/api/v1/operations/${detach.body.operationId}`);

    const network = await rest("POST", "/networks", { token, body: { name: "backend" } });
    expect(network.status).toBe(200);
    const networkId = network.body.networkId as string;
    await settle(acme.realmId, vmId, "stopped");
    const join = await rest("POST", `/vms/${vmId}/networks`, { token, body: { networkId } });
    expect(join.status, JSON.stringify(join.body)).toBe(202);
    // The worker would record the interface once the host attached it.
    await settle(acme.realmId, vmId, "stopped");
    await t.db.vmNetwork.create({ data: { realmId: acme.realmId, vmId, networkId } });
    expect((await rest("GET", "/networks?limit=200", { token })).body.items.find((n: { id: string }) => n.id === networkId).vms).toEqual([{ vm: { id: vmId, name: "dev-1" } }]);
    const leave = await rest("DELETE", `/vms/${vmId}/networks/${networkId}`, { token });
    expect(leave.status, JSON.stringify(leave.body)).toBe(202);
    expect(leave.headers.get("location")).toBe(`/api/v1/operations/${leave.body.operationId}`);

    const spare = await rest("POST", "/networks", { token, body: { name: "spare" } });
    expect(await rest("DELETE", `/networks/${spare.body.networkId}`, { token })).toMatchObject({ status: 200, body: { deleted: true } });
    // Another realm's disk answers exactly like a missing one.
    const { token: globexToken } = await mint(globex.members.owner, "owner");
    const foreign = await rest("POST", `/vms/${vmId}/disks`, { token: globexToken, body: { diskId } });
    const missing = await rest("POST", `/vms/00000000-0000-4000-8000-000000000000/disks`, { token: globexToken, body: { diskId } });
    expect(foreign.status).toBe(404);
    expect(foreign.body.detail).toBe(missing.body.detail);
  });

  it("refuses a device request the token does not carry", async () => {
    const { token } = await mint(acme.members.owner, "owner", undefined, ["vm.read", "storage.manage"]);
    const vm = await t.db.vm.findFirstOrThrow({ where: { realmId: acme.realmId } });
    const disk = await rest("POST", "/disks", { token, body: { name: "data-2", sizeGb: 1 } });
    const refused = await rest("POST", `/vms/${vm.id}/disks`, { token, body: { diskId: disk.body.diskId } });
    expect(refused.status).toBe(403);
    expect(refused.body.detail).toMatch(/does not carry vm.devices/);
  });
});

describe("people over REST", () => {
  it("PATCH /members/{userId} changes a role, DELETE removes the member; an admin cannot demote an owner", async () => {
    const corp = await setupTenant(t.db, "people", platform.mgmtTemplate.id);
    const { token } = await mint(corp.members.owner, "owner");
    const changed = await rest("PATCH", `/members/${corp.members.viewer.id}`, { token, body: { role: "operator" } });
    expect(changed).toMatchObject({ status: 200, body: { userId: corp.members.viewer.id, role: "operator" } });
    const members = await rest("GET", "/members?limit=200", { token });
    expect(members.body.items.find((m: { userId: string }) => m.userId === corp.members.viewer.id)).toMatchObject({ role: "operator", email: expect.any(String), since: expect.any(String) });
    expect(await rest("DELETE", `/members/${corp.members.viewer.id}`, { token })).toMatchObject({ status: 200, body: { removed: true } });
    expect((await rest("GET", "/members?limit=200", { token })).body.items.map((m: { userId: string }) => m.userId)).not.toContain(corp.members.viewer.id);

    const { token: adminToken } = await mint(corp.members.admin, "admin");
    const refused = await rest("PATCH", `/members/${corp.members.owner.id}`, { token: adminToken, body: { role: "viewer" } });
    expect(refused.status).toBe(403);
    // Another organization's member answers like nobody.
    const foreign = await rest("DELETE", `/members/${acme.members.viewer.id}`, { token });
    expect(foreign.status).toBe(404);
  });

  it("POST /invitations answers the link once; GET lists it without; DELETE revokes", async () => {
    const { token } = await mint(acme.members.owner, "owner");
    const invited = await rest("POST", "/invitations", { token, body: { email: "Newcomer@Example.test", role: "viewer" } });
    expect(invited.status, JSON.stringify(invited.body)).toBe(200);
    expect(invited.body).toMatchObject({ email: "newcomer@example.test", role: "viewer", link: expect.stringMatching(/^http/) });
    const listed = await rest("GET", "/invitations?limit=200", { token });
    const row = listed.body.items.find((i: { id: string }) => i.id === invited.body.invitationId);
    expect(row).toMatchObject({ email: "newcomer@example.test", role: "viewer", createdBy: expect.any(String) });
    expect(JSON.stringify(listed.body)).not.toContain(invited.body.link);
    expect(await rest("DELETE", `/invitations/${invited.body.invitationId}`, { token })).toMatchObject({ status: 200, body: { revoked: true } });
    expect((await rest("GET", "/invitations?limit=200", { token })).body.items.map((i: { id: string }) => i.id)).not.toContain(invited.body.invitationId);
  });
});

describe("the audit trail over REST", () => {
  it("pages newest first by cursor and names the API token and its member in words", async () => {
    const owner = await t.db.user.findUniqueOrThrow({ where: { id: acme.members.owner.id } });
    const { token } = await mint(acme.members.owner, "owner", "ci-deploy");
    const disk = await rest("POST", "/disks", { token, body: { name: "audited", sizeGb: 1 } });
    expect(disk.status).toBe(200);

    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    let tokenActor: string | undefined;
    do {
      const page: { status: number; body: { items: { id: string; action: string; targetId: string | null; actor: string }[]; nextCursor: string | null } } = await rest(
        "GET",
        `/audit?limit=3${cursor ? `&cursor=${cursor}` : ""}`,
        { token },
      );
      expect(page.status).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(3);
      seen.push(...page.body.items.map((i) => i.id));
      const entry = page.body.items.find((i) => i.action === "disk.create" && i.targetId === disk.body.diskId);
      tokenActor ??= entry?.actor;
      cursor = page.body.nextCursor;
      pages++;
    } while (cursor !== null && pages < 100);
    expect(pages).toBeGreaterThan(1);
    expect(tokenActor).toBe(`token ci-deploy of ${owner.email}`);
    // Every record once, newest first.
    expect(new Set(seen).size).toBe(seen.length);
    expect([...seen].sort((a, b) => Number(BigInt(b) - BigInt(a)))).toEqual(seen);
    // One row per action: an outcome (a phase naming its root, parentId) is not a row of its own.
    expect(seen.length).toBe(await t.db.auditEvent.count({ where: { realmId: acme.realmId, parentId: null } }));

    // The member's own actions (a session) read as the member; the worker's as system.
    const first = await callerFor(t, acme.members.owner).realm.audit({ limit: 200 });
    expect(first.items.find((i) => i.action === "api-token.create")?.actor).toBe(owner.email);

    // The console pages with useInfiniteQuery, whose input carries `direction`: accepted (a
    // strict page input once refused it, and the VM table and the trail showed "invalid input").
    const member = callerFor(t, acme.members.owner);
    const infinite = await member.realm.audit({ limit: 2, cursor: first.items[0]!.id, direction: "forward" });
    expect(infinite.items.map((i) => i.id)).toEqual(first.items.slice(1, 3).map((i) => i.id));
    expect((await member.vm.list({ limit: 1, direction: "forward" })).items).toHaveLength(1);

    const bad = await rest("GET", "/audit?cursor=abc", { token });
    expect(bad).toMatchObject({ status: 400, body: { errors: { cursor: [expect.stringMatching(/cursor is not valid/)] } } });
  });
});

describe("operator mutations over REST (a session)", () => {
  it("PATCH /operator/quotas/{realmId} takes the realm from the path and the limits from the body", async () => {
    const corp = await setupTenant(t.db, "quota", platform.mgmtTemplate.id);
    const set = await rest("PATCH", `/operator/quotas/${corp.realmId}`, { user: ops, body: { vms: 7, reason: "REST quota change" } });
    expect(set, JSON.stringify(set.body)).toMatchObject({ status: 200, body: { realmId: corp.realmId, limits: { vms: 7 }, override: expect.any(Boolean) } });
    const listed = await rest("GET", "/operator/quotas?limit=200", { user: ops });
    expect(listed.body.items.find((r: { realmId: string }) => r.realmId === corp.realmId).limits.vms).toBe(7);
    const noReason = await rest("PATCH", `/operator/quotas/${corp.realmId}`, { user: ops, body: { vms: 8 } });
    expect(noReason.status).toBe(400);
    expect(Object.keys(noReason.body.errors)).toContain("reason");
  });

  it("conflict sets: POST adds, DELETE /operator/conflicts/{realmA}/{realmB} removes", async () => {
    const body = { realmA: acme.realmId, realmB: globex.realmId, reason: "REST: competitors" };
    expect(await rest("POST", "/operator/conflicts", { user: ops, body })).toMatchObject({ status: 200, body: { added: true } });
    const listed = await rest("GET", "/operator/conflicts", { user: ops });
    expect(listed.body.items).toContainEqual(expect.objectContaining({ reason: "REST: competitors", a: expect.objectContaining({ category: expect.stringMatching(/^s0:c/) }) }));
    expect((await rest("DELETE", `/operator/conflicts/${globex.realmId}/${acme.realmId}`, { user: ops })).status).toBe(400); // no reason
    const removal = `/operator/conflicts/${globex.realmId}/${acme.realmId}?reason=${encodeURIComponent("REST: no longer rivals")}`;
    expect(await rest("DELETE", removal, { user: ops })).toMatchObject({ status: 200, body: { removed: true } });
    expect((await rest("DELETE", removal, { user: ops })).status).toBe(404);
  });
});

describe("operator tokens over REST", () => {
  it("lists every realm's tokens (never the hash), filters by organization, revokes one: it then gets 401", async () => {
    const { id: tokenId, token } = await mint(globex.members.owner, "owner", "leaky");
    const all = await rest("GET", "/operator/tokens?limit=200", { user: ops });
    expect(all.status, JSON.stringify(all.body)).toBe(200);
    const globexOwner = await t.db.user.findUniqueOrThrow({ where: { id: globex.members.owner.id } });
    const row = all.body.items.find((r: { id: string }) => r.id === tokenId);
    expect(row).toMatchObject({ name: "leaky", owner: globexOwner.email, org: { id: globex.orgId, slug: expect.stringMatching(/^globex-/) }, status: "active", realmId: globex.realmId });
    expect(JSON.stringify(all.body)).not.toMatch(/secretHash|secret_hash/);
    expect(all.body.items.some((r: { org: { id: string } }) => r.org.id === acme.orgId)).toBe(true);
    const acmeOnly = await rest("GET", `/operator/tokens?orgId=${acme.orgId}`, { user: ops });
    expect(acmeOnly.body.items.length).toBeGreaterThan(0);
    expect(acmeOnly.body.items.every((r: { org: { id: string } }) => r.org.id === acme.orgId)).toBe(true);

    expect((await rest("GET", "/vms", { token })).status).toBe(200);
    const short = await rest("POST", `/operator/tokens/${tokenId}/revoke`, { user: ops, body: { reason: "x" } });
    expect(short).toMatchObject({ status: 400, body: { errors: { reason: [expect.stringMatching(/at least 5/)] } } });
    const revoked = await rest("POST", `/operator/tokens/${tokenId}/revoke`, { user: ops, body: { reason: "pasted into a public CI log" } });
    expect(revoked).toMatchObject({ status: 200, body: { id: tokenId, revokedAt: expect.any(String) } });
    const after = await rest("GET", "/vms", { token });
    expect(after.status).toBe(401);
    expect(after.headers.get("www-authenticate")).toMatch(/^Bearer/);
    expect((await rest("POST", `/operator/tokens/${tokenId}/revoke`, { user: ops, body: { reason: "pasted into a public CI log" } })).status).toBe(409);

    // The realm's members read who did it and why.
    const trail = await callerFor(t, globex.members.owner).realm.audit({ limit: 50 });
    const entry = trail.items.find((i) => i.action === "api-token.revoke" && i.targetId === tokenId);
    expect(entry).toMatchObject({ actor: `${ops.email} (platform operator)`, reason: expect.stringContaining("pasted into a public CI log") });
  });

  it("an API token gets 401 on operator routes; a tenant's session gets 404", async () => {
    const { token } = await mint(acme.members.owner, "owner");
    for (const [method, path] of [
      ["GET", "/operator/tokens"],
      ["POST", "/operator/tokens/00000000-0000-4000-8000-000000000000/revoke"],
    ] as const) {
      const answer = await rest(method, path, { token, ...(method === "POST" ? { body: { reason: "should not matter" } } : {}) });
      expect(answer.status, `${method} ${path}`).toBe(401);
    }
    // A tenant's session: not found, as for every operator page.
    expect((await rest("GET", "/operator/tokens", { user: acme.members.owner })).status).toBe(404);
  });
});
