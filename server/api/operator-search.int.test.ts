import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PERMISSIONS } from "../policy/permissions";
import { createTestDatabase, type TestDatabase } from "../test/db";
import { callerFor, createUser, setupPlatform, setupTenant, type Tenant } from "../test/fixtures";

/**
 * Issue 13, operator workbench: explain picks its user and VM by name. The pickers search across
 * every realm for operators only, by prefix, paged; the query is a literal prefix (no wildcards),
 * and explain then answers for the picked pair with any permission of the catalog.
 */

let t: TestDatabase;
let platform: Awaited<ReturnType<typeof setupPlatform>>;
let acme: Tenant;
let globex: Tenant;
let ops: Awaited<ReturnType<typeof createUser>>;

/** The fixture's members are typed by id; each is a whole user row (createUser). */
const emailOf = (member: { id: string }) => (member as unknown as { email: string }).email;
const codeOf = (p: Promise<unknown>) => p.then(() => "OK", (e: unknown) => (e instanceof TRPCError ? e.code : String(e)));

beforeAll(async () => {
  t = await createTestDatabase();
  platform = await setupPlatform(t.db);
  acme = await setupTenant(t.db, "acme", platform.mgmtTemplate.id);
  globex = await setupTenant(t.db, "globex", platform.mgmtTemplate.id);
  ops = await createUser(t.db, "ops", true);
  for (const name of ["billing-1", "billing-2", "billing-3", "web"]) {
    await callerFor(t, acme.members.owner).vm.create({ name, templateId: platform.template.id });
  }
  await callerFor(t, globex.members.owner).vm.create({ name: "billing-db", templateId: platform.template.id });
  await t.db.user.update({ where: { id: globex.members.viewer.id }, data: { name: "Zoë Percent_Viewer" } });
});
afterAll(() => t.drop());

describe("VM picker", () => {
  it("finds VMs by a case-insensitive name prefix in every realm, each with its organization", async () => {
    const page = await callerFor(t, ops).operator.search.vms({ query: "BILL", limit: 10 });
    expect(page.items.map((v) => [v.name, v.org])).toEqual([
      ["billing-1", "acme"],
      ["billing-2", "acme"],
      ["billing-3", "acme"],
      ["billing-db", "globex"],
    ]);
    expect(page.items[3]).toMatchObject({ realmId: globex.realmId, orgSlug: expect.stringMatching(/^globex-/), kind: "guest" });
    expect(page.nextCursor).toBeNull();
  });

  it("pages with a cursor: every match once, in order", async () => {
    const caller = callerFor(t, ops).operator.search;
    const first = await caller.vms({ query: "billing", limit: 3 });
    expect(first.items).toHaveLength(3);
    const second = await caller.vms({ query: "billing", limit: 3, cursor: first.nextCursor! });
    expect([...first.items, ...second.items].map((v) => v.name)).toEqual(["billing-1", "billing-2", "billing-3", "billing-db"]);
    expect(second.nextCursor).toBeNull();
    expect(await codeOf(caller.vms({ query: "billing", cursor: "not-a-cursor" }))).toBe("BAD_REQUEST");
  });

  it("a wildcard in the query is a literal character, not 'match anything'", async () => {
    expect((await callerFor(t, ops).operator.search.vms({ query: "%" })).items).toEqual([]);
    expect((await callerFor(t, ops).operator.search.vms({ query: "billing_" })).items).toEqual([]);
  });
});

describe("user picker", () => {
  it("finds users by a prefix of their name or their email, across organizations", async () => {
    const caller = callerFor(t, ops).operator.search;
    const byEmail = await caller.users({ query: emailOf(globex.members.owner).slice(0, 12) });
    expect(byEmail.items.map((u) => u.email)).toContain(emailOf(globex.members.owner));
    const byName = await caller.users({ query: "zoë per" });
    expect(byName.items).toEqual([expect.objectContaining({ id: globex.members.viewer.id, name: "Zoë Percent_Viewer", email: emailOf(globex.members.viewer) })]);
    const both = await caller.users({ query: "acme-", limit: 200 });
    expect(both.items.map((u) => u.name).sort()).toEqual(["acme-admin", "acme-operator", "acme-owner", "acme-viewer"]);
  });

  it("pages with a cursor", async () => {
    const caller = callerFor(t, ops).operator.search;
    const first = await caller.users({ query: "acme-", limit: 2 });
    const second = await caller.users({ query: "acme-", limit: 2, cursor: first.nextCursor! });
    expect(new Set([...first.items, ...second.items].map((u) => u.id)).size).toBe(4);
    expect(second.nextCursor).toBeNull();
  });
});

describe("operators only", () => {
  it("a tenant gets not found, never another realm's names", async () => {
    for (const caller of [callerFor(t, acme.members.owner), callerFor(t, globex.members.viewer)]) {
      expect(await codeOf(caller.operator.search.vms({ query: "billing" }))).toBe("NOT_FOUND");
      expect(await codeOf(caller.operator.search.users({ query: "acme" }))).toBe("NOT_FOUND");
    }
  });
});

describe("explain by name", () => {
  it("answers for a user and a VM picked by name, for every permission of the catalog", async () => {
    const caller = callerFor(t, ops).operator;
    const [user] = (await caller.search.users({ query: "globex-owner" })).items;
    const [vm] = (await caller.search.vms({ query: "billing-1" })).items;
    for (const permission of PERMISSIONS) {
      const answer = await caller.explain({ userEmail: user!.email, permission, vmId: vm!.id });
      // Globex's owner and Acme's VM: the first layer refuses, as for a foreign id.
      expect(answer.allowed).toBe(false);
      expect(answer.layers[0]).toMatchObject({ layer: "trpc", allowed: false });
    }
    const own = await caller.explain({ userEmail: emailOf(acme.members.owner), permission: "vm.migrate", vmId: vm!.id });
    expect(own.answer).toMatch(/^acme-owner may vm\.migrate billing-1 \(acme\)/);
  });
});
