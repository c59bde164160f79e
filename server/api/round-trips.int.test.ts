import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../test/db";
import { callerFor, setupPlatform, setupTenant, tokenCallerFor } from "../test/fixtures";

/**
 * Statements per request on the hot paths (issue 12). Every statement is a loopback round trip
 * and, above all, CPU in the driver and the ORM of the single-threaded web process: profiles
 * showed the web tier's time going into issuing about a dozen statements per request. Counted
 * at the driver (pg's Client.query), so nothing the product sends escapes the count. The budgets
 * are exact counts, not timings: a change that adds a statement to these paths fails here, and
 * one that removes statements should lower the budget. What each budget is made of:
 * - identity: 1 (session row + user + the membership the request names, with its realm; or the
 *   API token + its member + the member's current membership in the token's organization); a
 *   session's realm request after the first: 0, the identity read before is asserted by the
 *   realm transaction's first message (auth/identity-cache.ts);
 * - realm transaction: BEGIN with the signed realm binding (set_config) in one message, the
 *   procedure's statements, COMMIT; a procedure whose first read is known from its input
 *   (ApiMeta `prefetch`: a VM procedure's VM, realm.get, vm.list's first page) has it run in
 *   that first message once the connection prepared it;
 * - a lifecycle action: 1 to lock the VM with its in-flight operation, 1 to write the VM's new
 *   state, the outbox row, the audit record and the notification. Once the connection has the
 *   lock's statement prepared, the lock runs in the first message too (EXECUTE, db/client.ts
 *   Prefetch): BEGIN + binding + assertion + lock, write, COMMIT.
 */

let t: TestDatabase;
let acme: Awaited<ReturnType<typeof setupTenant>>;
let platform: Awaited<ReturnType<typeof setupPlatform>>;
const sent: string[] = [];
const originalQuery = pg.Client.prototype.query;

beforeAll(async () => {
  t = await createTestDatabase();
  platform = await setupPlatform(t.db);
  acme = await setupTenant(t.db, "acme", platform.mgmtTemplate.id);
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    const config = args[0] as string | { text?: string };
    sent.push((typeof config === "string" ? config : (config?.text ?? "?")).trim().split("\n")[0]!);
    return (originalQuery as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof originalQuery;
});
afterAll(async () => {
  pg.Client.prototype.query = originalQuery;
  await t.drop();
});

/** The statements of `run`'s second call (the first warms one-time reads: the binding key, a session's first touch). */
async function statementsOf(run: () => Promise<unknown>): Promise<string[]> {
  await run();
  sent.length = 0;
  await run();
  return [...sent];
}

/**
 * statementsOf for a query: its COMMIT is not waited for, so the first call's connection is let
 * back into the pool (with the statements it prepared) before the counted call.
 */
function settledStatementsOf(run: () => Promise<unknown>): Promise<string[]> {
  return statementsOf(async () => {
    await run();
    await new Promise((resolve) => setTimeout(resolve, 50));
  });
}

/** A stopped VM of acme with nothing in flight. */
async function stoppedVm(name: string): Promise<string> {
  const { vmId } = await callerFor(t, acme.members.owner).vm.create({ name, templateId: platform.template.id });
  await t.db.operation.updateMany({ where: { vmId }, data: { status: "succeeded" } });
  await t.db.vm.updateMany({ where: { id: vmId }, data: { observedState: "stopped" } });
  return vmId;
}

/** The statements of one start of a stopped VM (not repeatable, so not warmed by a first call). */
async function startStatements(start: (vmId: string) => Promise<unknown>, name: string): Promise<string[]> {
  const vmId = await stoppedVm(name);
  sent.length = 0;
  await start(vmId);
  return [...sent];
}

describe("statements per request (session cookie)", () => {
  it("session.me: 1 (the session with its user and the user's memberships)", async () => {
    const caller = callerFor(t, acme.members.owner);
    const statements = await statementsOf(() => caller.session.me());
    expect(statements).toHaveLength(1);
    expect(statements[0]).toMatch(/^SELECT s\."id", s\."user_id" AS "userId"/);
  });

  it("realm.get: identity 1 + realm transaction 3; after the first, the identity is asserted and the management VM read in its first message", async () => {
    await callerFor(t, acme.members.admin).realm.get(); // one-time reads (the binding key)
    const caller = callerFor(t, acme.members.owner);
    await caller.session.me(); // the session's first touch
    sent.length = 0;
    await caller.realm.get();
    const first = [...sent];
    // The identity read, then the transaction (its query ahead in BEGIN's message once the connection prepared it).
    expect(first[0]).toMatch(/^SELECT s\."id", s\."user_id" AS "userId"/); // the session, its user and the membership
    // A key lookup only: the transaction runs on the connection's cached generic plans (ApiMeta genericPlans).
    expect(first[1]).toMatch(/^BEGIN READ ONLY; SET LOCAL plan_cache_mode = force_generic_plan; SELECT set_config\('realmgate\.realm', '[0-9a-f.-]+', true\)(; EXECUTE rg_vm_management\('[0-9a-f-]{36}'\))?$/);
    expect(first.at(-1)).toBe("COMMIT");
    const statements = await settledStatementsOf(() => caller.realm.get());
    expect(statements).toHaveLength(2);
    expect(statements[0]).toMatch(/^BEGIN READ ONLY; SET LOCAL plan_cache_mode = force_generic_plan; SELECT set_config\('realmgate\.realm', '[0-9a-f.-]+', true\); SELECT "realmgate_assert_member_access"\(.*\); EXECUTE rg_vm_management\('[0-9a-f-]{36}'\)$/);
    expect(statements.at(-1)).toBe("COMMIT");
  });

  it("vm.list (first page): a realm transaction whose first message asserts the identity and reads the page", async () => {
    const caller = callerFor(t, acme.members.owner);
    const statements = await settledStatementsOf(() => caller.vm.list({ limit: 50 }));
    expect(statements).toHaveLength(2);
    expect(statements[0]).toMatch(/; EXECUTE rg_vm_list_first\('[0-9a-f-]{36}', '51'\)$/);
    // A list keeps plans made for its realm's values (a big realm's page needs its own plan).
    expect(statements[0]).not.toContain("plan_cache_mode");
    // A later page reads its cursor first: not ahead.
    await stoppedVm("rt-list");
    const page = await caller.vm.list({ limit: 1 });
    expect(await settledStatementsOf(() => caller.vm.list({ limit: 1, cursor: page.nextCursor! }))).toHaveLength(4);
  });

  it("vm.start accepted: BEGIN with binding, identity assertion and the VM's lock in one message, write, COMMIT", async () => {
    const caller = callerFor(t, acme.members.owner);
    await caller.realm.get(); // the session's first touch (once a minute) and identity read are not the action's
    // The first action on a connection prepares the lock as its own statement.
    const first = await startStatements((vmId) => caller.vm.start({ vmId }), "rt-session-0");
    expect(first).toHaveLength(4);
    expect(first[1]).toMatch(/SELECT v\."realm_id"/); // the lock, with the in-flight check
    // From then on it runs ahead, in the first message.
    const statements = await startStatements((vmId) => caller.vm.start({ vmId }), "rt-session");
    expect(statements).toHaveLength(3);
    expect(statements[0]).toMatch(/; SELECT "realmgate_assert_member_access"\(.*; EXECUTE rg_vm_lock\('[0-9a-f-]{36}', '[0-9a-f-]{36}'\)$/);
    expect(statements[1]).toMatch(/WITH "vm" AS/); // state, outbox row, audit record, notification
    expect(statements[2]).toBe("COMMIT");
  });

  it("vm.get: the VM read ahead with BEGIN, on cached generic plans, then COMMIT", async () => {
    const caller = callerFor(t, acme.members.owner);
    const vmId = await stoppedVm("rt-get");
    const statements = await settledStatementsOf(() => caller.vm.get({ vmId }));
    expect(statements).toHaveLength(2);
    expect(statements[0]).toMatch(/^BEGIN READ ONLY; SET LOCAL plan_cache_mode = force_generic_plan; .*; EXECUTE rg_vm_in_realm\('[0-9a-f-]{36}', '[0-9a-f-]{36}'\)$/);
    expect(statements[1]).toBe("COMMIT");
  });
});

describe("statements per request (API token)", () => {
  it("vm.start accepted: the token with its member's current membership (1), then the same transaction", async () => {
    const minted = await callerFor(t, acme.members.owner).token.create({ name: "rt", permissions: ["vm.read", "vm.start"], expiresInDays: 1 });
    const caller = tokenCallerFor(t, minted.token);
    await caller.realm.get(); // the token's last use is recorded at most once a minute
    await startStatements((vmId) => caller.vm.start({ vmId }), "rt-token-0"); // the lock prepared on the connection
    expect(await startStatements((vmId) => caller.vm.start({ vmId }), "rt-token")).toHaveLength(4);
  });
});
