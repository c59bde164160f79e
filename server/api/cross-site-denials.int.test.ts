import { randomUUID } from "node:crypto";
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../test/db";
import { callerFor, setupPlatform, setupTenant } from "../test/fixtures";

/**
 * Denials planted cross-site: a link on another site (the session cookie is SameSite=Lax, so it
 * rides top-level GETs) asks for a foreign id in the victim's name. Without proof of same
 * origin (ctx.provenSameOrigin, from edge/same-origin.ts) the answer is exactly the same, but
 * no deny row is written; with proof, the row is written as before.
 */

let t: TestDatabase;
let platform: Awaited<ReturnType<typeof setupPlatform>>;
let acme: Awaited<ReturnType<typeof setupTenant>>;
let globex: Awaited<ReturnType<typeof setupTenant>>;
let acmeVmId: string;

beforeAll(async () => {
  t = await createTestDatabase();
  platform = await setupPlatform(t.db);
  acme = await setupTenant(t.db, "acme", platform.mgmtTemplate.id);
  globex = await setupTenant(t.db, "globex", platform.mgmtTemplate.id);
  acmeVmId = (await callerFor(t, acme.members.owner).vm.create({ name: "target", templateId: platform.template.id })).vmId;
});
afterAll(() => t.drop());

async function answerOf(promise: Promise<unknown>) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TRPCError);
  return { code: (error as TRPCError).code, message: (error as TRPCError).message };
}

const denialsBy = (userId: string) => t.db.auditEvent.count({ where: { actorId: userId, decision: "deny" } });

describe("denials planted cross-site", () => {
  it("a cross-site GET for a foreign VM answers NOT_FOUND and writes no deny row in the victim's name", async () => {
    const victim = globex.members.owner;
    const before = await denialsBy(victim.id);
    const crossSite = callerFor(t, victim, { provenSameOrigin: false });
    const foreign = await answerOf(crossSite.vm.get({ vmId: acmeVmId }));
    const missing = await answerOf(crossSite.vm.get({ vmId: randomUUID() }));
    expect(foreign).toEqual({ code: "NOT_FOUND", message: "VM not found" });
    expect(missing).toEqual(foreign);
    expect(await denialsBy(victim.id)).toBe(before);

    // The same calls from the app itself answer the same and are recorded.
    const sameOrigin = callerFor(t, victim);
    expect(await answerOf(sameOrigin.vm.get({ vmId: acmeVmId }))).toEqual(foreign);
    expect(await denialsBy(victim.id)).toBe(before + 1);
  });

  it("a cross-site call a role forbids answers FORBIDDEN the same and writes no deny row", async () => {
    const viewer = acme.members.viewer;
    const before = await denialsBy(viewer.id);
    const crossSite = await answerOf(callerFor(t, viewer, { provenSameOrigin: false }).vm.start({ vmId: acmeVmId }));
    expect(await denialsBy(viewer.id)).toBe(before);
    const sameOrigin = await answerOf(callerFor(t, viewer).vm.start({ vmId: acmeVmId }));
    expect(crossSite).toEqual(sameOrigin);
    expect(sameOrigin.code).toBe("FORBIDDEN");
    expect(await denialsBy(viewer.id)).toBe(before + 1);
  });
});
