import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUser } from "../test/fixtures";
import { waitFor } from "../test/processes";
import { startStack, type Stack } from "../test/stack";
import { httpAgentClient } from "./agent-client";

/**
 * Issue 13: a Chinese Wall's plan carried out through real processes. The wall is added while a
 * realm's management VM shares a host with its rival; the plan's migration (dom0 moves the
 * management domain) runs through the ordinary pipeline, the violation alarm clears, and the
 * host that refused the wall's ACM policy while the rivals shared it loads it once they no longer do.
 */

let stack: Stack<"cw-acme" | "cw-globex">;
const acme = () => stack.tenants["cw-acme"];
const globex = () => stack.tenants["cw-globex"];

beforeAll(async () => {
  // Placement takes the host with the most free memory (ties by name): Acme's management VM
  // lands on cw-a, Globex's on cw-b, Acme's guest on cw-c, then Globex's guest on cw-a.
  stack = await startStack({ hosts: ["cw-a", "cw-b", "cw-c"], tenants: ["cw-acme", "cw-globex"], worker: {} });
});
afterAll(() => stack?.stop());

async function createdVm(owner: { id: string }, name: string): Promise<string> {
  const { vmId, operationId } = await stack.caller(owner).vm.create({ name, templateId: stack.templateId });
  const created = await stack.settled(operationId);
  expect(created.status, created.lastError ?? "").toBe("succeeded");
  return vmId;
}

describe("carrying out a wall's plan", () => {
  it("moves the management VM away through the worker; the alarm clears and every host loads the wall", async () => {
    const ops = await createUser(stack.db, "cw-ops", true);
    await createdVm(acme().members.owner, "acme-app");
    const globexVm = await createdVm(globex().members.owner, "globex-app");
    const acmeMgmt = await stack.db.vm.findFirstOrThrow({ where: { realmId: acme().realmId, kind: "management" }, include: { host: true } });
    const globexApp = await stack.vmOf(globex().realmId, globexVm);
    expect([acmeMgmt.host!.name, globexApp.host!.name]).toEqual(["cw-a", "cw-a"]);
    const policiesBefore = (await Promise.all(stack.agents.map((a) => httpAgentClient.status({ url: a.url, secret: a.secret })))).map((s) => s.security?.acm.policy);

    const caller = stack.caller(ops).operator.conflicts;
    const plan = await caller.plan({ realmA: acme().realmId, realmB: globex().realmId });
    expect(plan.plan.moves).toEqual([expect.objectContaining({ vmId: acmeMgmt.id, kind: "management", fromHost: "cw-a", toHost: "cw-c" })]);
    const added = await caller.add({ realmA: acme().realmId, realmB: globex().realmId, reason: "rivals: never co-located", onViolation: "migrate" });
    expect(added.migrations).toHaveLength(1);
    expect((await caller.violations()).items).toHaveLength(1);

    const moved = await stack.settled(added.migrations[0]!.operationId, 30_000);
    expect(moved.status, moved.lastError ?? "").toBe("succeeded");
    const after = await stack.vmOf(acme().realmId, acmeMgmt.id);
    expect(after.host!.name).toBe("cw-c");
    expect(after.observedState).toBe("running");
    expect((await stack.domainOn("cw-c", acmeMgmt.id))?.state).toBe("running");
    expect(await stack.domainOn("cw-a", acmeMgmt.id)).toBeUndefined();
    expect((await caller.violations()).items).toEqual([]);

    // Every host, cw-a included, now runs an ACM policy with the wall.
    await waitFor(async () => {
      const statuses = await Promise.all(stack.agents.map((a) => httpAgentClient.status({ url: a.url, secret: a.secret })));
      const names = statuses.map((s) => s.security?.acm.policy);
      return new Set(names).size === 1 && names[0] !== policiesBefore[0];
    }, "the wall's ACM policy on every host");
  });
});
