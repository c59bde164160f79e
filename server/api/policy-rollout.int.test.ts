import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TRPCError } from "@trpc/server";
import { createUser } from "../test/fixtures";
import { waitFor } from "../test/processes";
import { startStack, type Stack } from "../test/stack";
import { httpAgentClient } from "../worker/agent-client";
import { policySha256 } from "../xen";
import { REALM_POLICY_PATH } from "../xsm";

/**
 * Issue 15 part 2 through the API and real processes (agents, worker): operators upload FLASK
 * policy versions, which are validated before any host may load them; a good one is loaded on
 * a canary host (decisions compared there), then host by host; hosts report the hash they run;
 * a host made to run something else is a drift alarm; rollback is one action; booleans are set
 * per host. Every step lands in the platform audit trail. Tenants reach none of it.
 */

const realmTe = readFileSync(REALM_POLICY_PATH, "utf8");
const b64 = (text: string) => Buffer.from(text).toString("base64");
const builtinSha = policySha256(readFileSync(REALM_POLICY_PATH));

/** A policy that compiles but would take `unpause` on their own guests away from every realm. */
const withoutUnpause = realmTe.replace("allow realm_mgmt_t realm_guest_t : domain { create pause unpause resume", "allow realm_mgmt_t realm_guest_t : domain { create pause resume");
/** A good policy: management domains may also read their own HVM parameters; one more boolean. */
const extended = `${realmTe}\nbool realm_policy_probe false;\nallow realm_mgmt_t self : hvm getparam;\n`;

let stack: Stack<"pol-acme">;
let ops: { id: string };
const policy = () => stack.caller(ops).operator.policy;

beforeAll(async () => {
  stack = await startStack({ hosts: ["pol-a", "pol-b", "pol-c"], tenants: ["pol-acme"], worker: {} });
  ops = await createUser(stack.db, "pol-ops", true);
});
afterAll(() => stack?.stop());

const hostOf = async (name: string) => (await policy().overview()).hosts.find((h) => h.name === name)!;

/**
 * Waits until every host reports `sha256` as loaded and, if a rollout is in progress, until it has
 * moved on from `rolling`: the rollout completes in the transaction that settles the last load or
 * at the next report of a loaded host, which can come after the hosts' own rows say "loaded".
 */
async function everyHostRuns(sha256: string) {
  return waitFor(
    async () => {
      const o = await policy().overview();
      return o.hosts.every((h) => h.reportedSha256 === sha256 && h.loadState === "loaded" && h.assigned?.sha256 === sha256) && o.rollout?.status !== "rolling" && o;
    },
    `every host runs ${sha256.slice(0, 12)}`,
    30_000,
  );
}

async function refusal(call: Promise<unknown>): Promise<TRPCError> {
  const error = await call.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TRPCError);
  return error as TRPCError;
}

describe("operator-managed FLASK policy", () => {
  it("every host starts on the built-in realm policy (version 1) and reports its hash", async () => {
    const o = await everyHostRuns(builtinSha);
    expect(o.target).toMatchObject({ version: 1, sha256: builtinSha });
    expect(o.versions).toEqual([expect.objectContaining({ version: 1, isBuiltin: true, isValid: true })]);
    expect(o.hosts.map((h) => h.booleans)).toEqual(o.hosts.map(() => ({ realm_argo_wildcard: false, realm_mgmt_debug: false })));
  });

  it("an upload that does not compile is stored as refused, its error naming the file and line", async () => {
    const bad = realmTe.replace("bool realm_mgmt_debug false;", "bool realm_mgmt_debug false;\nallow realm_mgmt_t no_such_t : domain pause;");
    const line = bad.split("\n").findIndex((l) => l.includes("no_such_t")) + 1;
    const { version } = await policy().upload({ fileName: "typo.te", content: b64(bad) });
    expect(version.isValid).toBe(false);
    expect(version.validation.checks).toEqual([{ name: "compiles", ok: false, reasons: [`typo.te:${line}: unknown type 'no_such_t'`] }]);
    const hostId = (await hostOf("pol-a")).id;
    const error = await refusal(policy().canary({ policyId: version.id, canaryHostId: hostId }));
    expect(error.code).toBe("PRECONDITION_FAILED");
    expect(error.message).toContain(`typo.te:${line}: unknown type 'no_such_t'`);
  });

  it("refuses a policy that would take a permission the realm needs from its management domain, naming the realm", async () => {
    expect(withoutUnpause).not.toBe(realmTe);
    const { version } = await policy().upload({ fileName: "no-unpause.te", content: b64(withoutUnpause) });
    expect(version.isValid).toBe(false);
    const access = version.validation.checks.find((c) => c.name === "realm-access")!;
    expect(access.ok).toBe(false);
    const { slug } = await stack.db.organization.findUniqueOrThrow({ where: { id: stack.tenants["pol-acme"].orgId } });
    expect(access.reasons).toEqual([expect.stringMatching(new RegExp(`^realm ${slug} \\(s0:c\\d+,c\\d+\\) would lose domain \\{ unpause \\} on its own guests$`))]);
    expect(version.diff?.permissions.removed).toBeGreaterThan(0);
    const error = await refusal(policy().canary({ policyId: version.id, canaryHostId: (await hostOf("pol-a")).id }));
    expect(error.code).toBe("PRECONDITION_FAILED");
    expect(error.message).toMatch(/realm-access: realm .* would lose domain \{ unpause \}/);
  });

  it("refuses Xen's own upstream policy: it lacks the realm model's labels", async () => {
    const xen = readFileSync(new URL("../xsm/oracle/fixtures/xen/xen.nomls.bin", import.meta.url));
    const { version } = await policy().upload({ fileName: "policy.30", content: xen.toString("base64") });
    expect(version).toMatchObject({ format: "binary", isValid: false });
    expect(version.validation.checks.find((c) => c.name === "realm-model")?.reasons).toContain(
      "label of the management domain (system_u:system_r:realm_mgmt_t:s0:c1,c2) is not valid: invalid security context 'system_u:system_r:realm_mgmt_t:s0:c1,c2': does not parse in this policy",
    );
  });

  let goodId: string;
  const goodSha = policySha256(Buffer.from(extended));

  it("a good policy: canary on one host with its decisions compared, then host by host to all, every host reporting the hash", async () => {
    const { version } = await policy().upload({ fileName: "realm-v2.te", content: b64(extended) });
    expect(version.validation).toEqual({ ok: true, checks: ["compiles", "realm-model", "golden-decisions", "realm-access"].map((name) => ({ name, ok: true, reasons: [] })) });
    expect(version.diff).toMatchObject({ types: { added: 0, removed: 0 }, booleans: { added: 1, removed: 0 }, permissions: { added: 1, removed: 0 } });
    goodId = version.id;

    // The canary: the host running the realm's management domain (its label pairs change).
    const mgmt = await waitFor(() => stack.db.vm.findFirst({ where: { realmId: stack.tenants["pol-acme"].realmId, kind: "management", observedState: "running" }, include: { host: true } }), "management VM running");
    const canaryHost = mgmt.host!.name;
    const others = ["pol-a", "pol-b", "pol-c"].filter((h) => h !== canaryHost);
    const { rolloutId } = await policy().canary({ policyId: goodId, canaryHostId: mgmt.hostId! });
    const canary = await waitFor(async () => {
      const h = await hostOf(canaryHost);
      return h.loadState === "loaded" && h.reportedSha256 === goodSha && h;
    }, "canary loaded");
    expect(canary.comparison!.compared).toBeGreaterThan(21);
    expect(canary.comparison!.differences).toContainEqual(
      expect.objectContaining({ source: expect.stringContaining("realm_mgmt_t"), target: expect.stringContaining("realm_mgmt_t"), tclass: "hvm", granted: ["getparam"], revoked: [] }),
    );
    // Only the canary so far.
    for (const name of others) expect((await hostOf(name)).reportedSha256).toBe(builtinSha);
    expect((await policy().overview()).rollout).toMatchObject({ id: rolloutId, status: "canary" });

    // One more host by hand, then the rest automatically.
    expect(await policy().continue({ rolloutId, mode: "manual" })).toEqual({ host: others[0] });
    await waitFor(async () => (await hostOf(others[0]!)).reportedSha256 === goodSha, "second host loaded");
    expect((await hostOf(others[1]!)).assigned?.sha256).toBe(builtinSha);
    await policy().continue({ rolloutId, mode: "automatic" });
    const o = await everyHostRuns(goodSha);
    expect(o.rollout).toMatchObject({ status: "complete", policy: { id: goodId } });
    expect(o.target.id).toBe(goodId);

    const loads = await stack.db.auditEvent.findMany({ where: { action: "policy.load", decision: "allow" }, orderBy: { id: "asc" } });
    expect(loads).toHaveLength(3);
    for (const e of loads) expect(e.reason).toMatch(/loaded FLASK policy version \d+ .*types \+0\/-0, classes \+0\/-0, rules \+\d+\/-0, permissions \+1\/-0, booleans \+1\/-0$/);
    expect(await stack.db.auditEvent.count({ where: { action: "policy.canary", actorId: ops.id } })).toBe(1);
  });

  it("a host made to run another policy is a drift alarm, audited; rollback is one action and clears it", async () => {
    const agent = stack.agent("pol-b");
    const rogue = `${realmTe}\n# loaded behind the control plane's back\n`;
    const loaded = await httpAgentClient.loadFlaskPolicy({ url: agent.url, secret: agent.secret }, { fileName: "rogue.te", bytes: b64(rogue), sha256: policySha256(Buffer.from(rogue)) });
    expect(loaded.ok).toBe(true);
    const drifted = await waitFor(async () => {
      const h = await hostOf("pol-b");
      return h.driftSince && h;
    }, "drift alarm");
    expect(drifted.reportedSha256).toBe(policySha256(Buffer.from(rogue)));
    const alarm = await stack.db.auditEvent.findFirstOrThrow({ where: { action: "alarm.flask_policy_drift" } });
    expect(alarm).toMatchObject({ decision: "deny", layer: "hypervisor", targetId: drifted.id });
    expect(alarm.reason).toMatch(/^policy drift: host pol-b runs FLASK policy sha256 [0-9a-f]{12}, not version \d+/);
    // Among the platform's alarms (the platform page, the activity plots).
    expect((await stack.caller(ops).operator.alarms()).items.map((e) => e.action)).toContain("alarm.flask_policy_drift");

    await policy().rollback();
    const o = await everyHostRuns(builtinSha);
    expect(o.hosts.every((h) => h.driftSince === null)).toBe(true);
    expect(o.rollout).toMatchObject({ kind: "rollback", status: "complete", policy: { version: 1 } });
    const rolledBack = await stack.db.auditEvent.findFirstOrThrow({ where: { action: "policy.rollback" } });
    expect(rolledBack.reason).toMatch(/rolled back from version \d+ to version 1 on 3 host\(s\): types \+0\/-0, classes \+0\/-0, rules \+0\/-\d+, permissions \+0\/-1, booleans \+0\/-1$/);
    expect(await stack.db.auditEvent.count({ where: { action: "policy.drift-cleared" } })).toBe(1);
  });

  it("sets a boolean on one host only, through its agent, audited", async () => {
    const host = await hostOf("pol-c");
    await policy().setBoolean({ hostId: host.id, name: "realm_mgmt_debug", value: true });
    await waitFor(async () => (await hostOf("pol-c")).booleans.realm_mgmt_debug === true, "boolean applied");
    const o = await policy().overview();
    expect(o.hosts.find((h) => h.name === "pol-c")!.booleanRequests).toEqual([{ name: "realm_mgmt_debug", value: true, state: "applied", error: null }]);
    expect(o.hosts.filter((h) => h.name !== "pol-c").map((h) => h.booleans.realm_mgmt_debug)).toEqual([false, false]);
    expect(await stack.db.auditEvent.count({ where: { action: { in: ["policy.boolean", "policy.boolean.apply"] }, targetId: host.id } })).toBe(2);
    const unknown = await refusal(policy().setBoolean({ hostId: host.id, name: "no_such_bool", value: true }));
    expect(unknown.code).toBe("BAD_REQUEST");
  });

  it("tenants reach none of it: a realm owner gets NOT_FOUND on every policy procedure", async () => {
    const owner = stack.caller(stack.tenants["pol-acme"].members.owner).operator.policy;
    const host = await hostOf("pol-a");
    // One at a time (each call made only when it is awaited: a refusal nobody awaits yet is an
    // unhandled rejection).
    for (const call of [
      () => owner.overview(),
      () => owner.versions(),
      () => owner.upload({ fileName: "x.te", content: b64(extended) }),
      () => owner.canary({ policyId: goodId, canaryHostId: host.id }),
      () => owner.rollback(),
      () => owner.setBoolean({ hostId: host.id, name: "realm_mgmt_debug", value: false }),
    ]) {
      expect((await refusal(call())).code).toBe("NOT_FOUND");
    }
    expect((await hostOf("pol-a")).booleans.realm_mgmt_debug).toBe(false);
  });
});
