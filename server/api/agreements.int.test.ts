import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUser } from "../test/fixtures";
import { waitFor } from "../test/processes";
import { startStack, type Stack } from "../test/stack";
import { withRealm } from "../db/client";
import { recordAgreementPeerDecision } from "../repositories/audit";
import { proposeAgreement } from "../services/agreements";
import { managementLabel } from "../xsm";

/**
 * Cross-realm sharing agreements (issue 15 part 5), end to end through real processes (web
 * procedures, the worker, a host agent): acme's owner proposes "acme's VM may send to globex's VM
 * named ag-recv", globex's owner accepts, the worker opens the Argo bridge on the host, a test
 * send is delivered; the reverse direction and a third VM of acme are refused by the hypervisor;
 * revocation closes the channel and the next send is FLASK's denial again. Both realms' trails
 * record each step; one realm cannot accept for the other; a third realm sees nothing; ids of
 * other realms answer exactly like missing ones; a send with every layer above the hypervisor
 * bypassed is refused without the bridge.
 */

let stack: Stack<"ag-acme" | "ag-globex" | "ag-initech">;
const acme = () => stack.tenants["ag-acme"];
const globex = () => stack.tenants["ag-globex"];
const initech = () => stack.tenants["ag-initech"];
const acmeOwner = () => stack.caller(acme().members.owner);
const globexOwner = () => stack.caller(globex().members.owner);
const initechOwner = () => stack.caller(initech().members.owner);
const failure = (p: Promise<unknown>) => p.then(() => ({ code: "OK", message: "" }), (e: { code: string; message: string }) => ({ code: e.code, message: e.message }));

const world = {} as { sender: string; other: string; receiver: string; globexSlug: string; acmeSlug: string; agreementId: string; domids: { sender: number; other: number; receiver: number } };

beforeAll(async () => {
  stack = await startStack({ hosts: ["ag-a"], tenants: ["ag-acme", "ag-globex", "ag-initech"], worker: {} });
  const slug = async (orgId: string) => (await stack.db.organization.findUniqueOrThrow({ where: { id: orgId } })).slug;
  world.acmeSlug = await slug(acme().orgId);
  world.globexSlug = await slug(globex().orgId);
});
afterAll(() => stack?.stop());

const trail = (realmId: string, agreementId: string) =>
  stack.db.auditEvent.findMany({ where: { realmId, targetId: agreementId }, orderBy: { id: "asc" }, select: { action: true, decision: true, layer: true, reason: true, details: true } });

async function testSend(caller: ReturnType<typeof acmeOwner>, agreementId: string, reverse = false) {
  const { agreementTestId } = await caller.agreement.sendTest({ agreementId, reverse });
  return waitFor(async () => {
    const t = await caller.agreement.test({ agreementTestId });
    return t.status === "pending" ? null : t;
  }, "test send answered", 30_000);
}

const agreementOf = async (caller: ReturnType<typeof acmeOwner>, id: string) => (await caller.agreement.list()).items.find((a) => a.id === id);

/** A signed POST to the host's agent: a request that bypasses every layer above the hypervisor. */
const agentPost = <T,>(route: string, payload: unknown) => stack.agentPost<T>("ag-a", route, payload);
type HypercallReply = { ok: boolean; error?: { code: string; message: string }; avc: string[]; data: unknown };

describe("cross-realm sharing agreements", () => {
  it("without an agreement a cross-realm Argo send with the upper layers bypassed is refused by FLASK (MCS)", async () => {
    world.sender = await stack.runningVm(acmeOwner(), "ag-send");
    world.other = await stack.runningVm(acmeOwner(), "ag-other");
    world.receiver = await stack.runningVm(globexOwner(), "ag-recv");
    const domid = async (vmId: string) => (await stack.domainOn("ag-a", vmId))!.domid;
    world.domids = { sender: await domid(world.sender), other: await domid(world.other), receiver: await domid(world.receiver) };
    const r = await agentPost<HypercallReply>("/v1/argo", { subjectLabel: managementLabel(acme().category), domid: world.domids.sender, action: "send", toDomid: world.domids.receiver, port: 7000, message: "bypass" });
    expect(r.ok).toBe(false);
    expect(r.error?.code).toBe("EACCES");
    expect(r.avc.join("\n")).toMatch(new RegExp(`avc:  denied  \\{ send \\} for source=${world.domids.sender} target=${world.domids.receiver} .*tclass=argo`));
  });

  it("a proposal answers alike whether or not the organization and VM exist; only the realms it reached see it", async () => {
    const toNobody = await acmeOwner().agreement.propose({ fromVmId: world.sender, targetOrg: "no-such-org-anywhere", targetVmName: "ghost", twoWay: false, port: null, expiresInDays: null });
    const toGlobex = await acmeOwner().agreement.propose({ fromVmId: world.sender, targetOrg: world.globexSlug, targetVmName: "ag-recv", twoWay: false, port: null, expiresInDays: 7 });
    expect(Object.keys(toNobody)).toEqual(Object.keys(toGlobex));
    world.agreementId = toGlobex.agreementId;
    const mine = (await acmeOwner().agreement.list()).items;
    expect(mine.filter((a) => a.direction === "outgoing").map((a) => a.state)).toEqual(["proposed", "proposed"]);
    const incoming = (await globexOwner().agreement.list()).items;
    expect(incoming.map((a) => [a.id, a.direction, a.peer, a.from.name, a.to.name, a.from.vmId])).toEqual([[world.agreementId, "incoming", world.acmeSlug, "ag-send", "ag-recv", null]]);
    expect((await initechOwner().agreement.list()).items).toEqual([]);
    // acme's trail records both proposals; globex's only the one that reached it.
    expect((await trail(acme().realmId, toNobody.agreementId)).map((e) => e.action)).toEqual(["agreement.propose"]);
    expect((await trail(globex().realmId, toNobody.agreementId))).toEqual([]);
    expect((await trail(globex().realmId, world.agreementId)).map((e) => e.action)).toEqual(["agreement.received"]);
  });

  it("one realm cannot accept on the other's behalf; admins cannot propose (owners only)", async () => {
    expect(await failure(acmeOwner().agreement.accept({ agreementId: world.agreementId }))).toMatchObject({ code: "CONFLICT", message: expect.stringMatching(/only an owner of the other realm/) });
    expect(await failure(stack.caller(globex().members.admin).agreement.accept({ agreementId: world.agreementId }))).toMatchObject({ code: "FORBIDDEN" });
    expect(await failure(stack.caller(acme().members.admin).agreement.propose({ fromVmId: world.sender, targetOrg: world.globexSlug, targetVmName: "ag-recv", twoWay: false, port: null, expiresInDays: null }))).toMatchObject({ code: "FORBIDDEN" });
    expect((await agreementOf(acmeOwner(), world.agreementId))?.state).toBe("proposed");
  });

  it("a third realm, and ids of other realms, answer exactly like missing ones", async () => {
    for (const call of [(id: string) => initechOwner().agreement.accept({ agreementId: id }), (id: string) => initechOwner().agreement.revoke({ agreementId: id }), (id: string) => initechOwner().agreement.sendTest({ agreementId: id, reverse: false })]) {
      expect(await failure(call(world.agreementId))).toEqual(await failure(call(randomUUID())));
      expect(await failure(call(world.agreementId))).toMatchObject({ code: "NOT_FOUND" });
    }
    // Operators see the attempts: initech's trail records each denial (the owner realm sealed aside).
    const probes = await stack.db.auditEvent.count({ where: { realmId: initech().realmId, action: { in: ["agreement.accept", "agreement.revoke", "agreement.test-send"] }, decision: "deny" } });
    expect(probes).toBe(9); // three calls of each procedure above
    // globex naming acme's VM as the sender: like a missing VM.
    const propose = (fromVmId: string) => failure(globexOwner().agreement.propose({ fromVmId, targetOrg: world.acmeSlug, targetVmName: "ag-send", twoWay: false, port: null, expiresInDays: null }));
    expect(await propose(world.sender)).toEqual(await propose(randomUUID()));
  });

  it("the peer's owner accepts; the worker opens the bridge; a test send is delivered; the reverse and acme's other VM are refused by the hypervisor", async () => {
    expect(await globexOwner().agreement.accept({ agreementId: world.agreementId })).toEqual({ agreementId: world.agreementId, state: "active" });
    const open = await waitFor(async () => {
      const a = await agreementOf(acmeOwner(), world.agreementId);
      return a?.channel.status === "open" ? a : null;
    }, "channel open", 30_000);
    expect(open).toMatchObject({ state: "active", twoWay: false, port: 7000 });
    const bridges = await agentPost<HypercallReply>("/v1/argo/bridges/list", { subjectLabel: "system_u:system_r:dom0_t:s0-s0:c0.c1023" });
    const bridge = (bridges.data as { bridges: { id: string; label: string; fromDomid: number; toDomid: number }[] }).bridges.find((b) => b.id === world.agreementId)!;
    expect(bridge).toMatchObject({ fromDomid: world.domids.sender, toDomid: world.domids.receiver });
    expect(bridge.label).toMatch(/^system_u:object_r:ivc_bridge_t:s0:c/);

    const sent = await testSend(acmeOwner(), world.agreementId);
    expect(sent).toMatchObject({ status: "done", delivered: true, avc: [] });
    const back = await testSend(globexOwner(), world.agreementId, true);
    expect(back).toMatchObject({ status: "done", delivered: false });
    expect(back.avc.join("\n")).toMatch(new RegExp(`denied  \\{ send \\} for source=${world.domids.receiver} target=${world.domids.sender} .*tclass=argo`));
    // acme's other VM, upper layers bypassed, naming the bridge: FLASK allows the bridge's level, its binding refuses the pair.
    const sneak = await agentPost<HypercallReply>("/v1/argo/bridges/send", { subjectLabel: managementLabel(acme().category), bridgeId: world.agreementId, fromDomid: world.domids.other, toDomid: world.domids.receiver, port: 7000, message: "sneak" });
    expect(sneak.data).toMatchObject({ delivered: false, error: { code: "EPERM" } });
    const plain = await agentPost<HypercallReply>("/v1/argo", { subjectLabel: managementLabel(acme().category), domid: world.domids.other, action: "send", toDomid: world.domids.receiver, port: 7000, message: "sneak" });
    expect(plain).toMatchObject({ ok: false, error: { code: "EACCES" } });

    await waitFor(async () => ((await agreementOf(globexOwner(), world.agreementId))?.channel.firstUsedAt ? true : null), "first use recorded", 30_000);
    for (const realmId of [acme().realmId, globex().realmId]) {
      const actions = (await trail(realmId, world.agreementId)).map((e) => e.action);
      expect(actions).toEqual(expect.arrayContaining(["agreement.accept", "agreement.bridge.create", "agreement.test-send", "agreement.use"]));
    }
    const denied = (await trail(globex().realmId, world.agreementId)).find((e) => e.action === "agreement.test-send" && e.decision === "deny");
    expect(denied).toMatchObject({ layer: "hypervisor" });
  });

  it("operators see every agreement, and explain names the agreement as the reason a cross-realm send is allowed", async () => {
    const ops = stack.caller(await createUser(stack.db, "ag-ops", true));
    expect((await ops.operator.agreements.list()).items.find((a) => a.id === world.agreementId)).toMatchObject({ state: "active", from: { vmId: world.sender }, to: { vmId: world.receiver } });
    const forward = await ops.operator.explainArgo({ fromVmId: world.sender, toVmId: world.receiver });
    expect(forward).toMatchObject({ allowed: true, agreement: { id: world.agreementId, twoWay: false, port: 7000 } });
    expect(forward.reason).toMatch(/only through the Argo bridge of agreement .*ivc_bridge_t.*without it FLASK denies/);
    const reverse = await ops.operator.explainArgo({ fromVmId: world.receiver, toVmId: world.sender });
    expect(reverse).toMatchObject({ allowed: false, agreement: null });
    expect(reverse.avc[0]).toMatch(/^avc: {2}denied {2}\{ send \} .*tclass=argo$/);
  });

  it("a bridge the host lost is rebuilt by the worker at its next poll, and the drift is audited in both trails", async () => {
    const destroyed = await agentPost<HypercallReply>("/v1/argo/bridges/destroy", { subjectLabel: "system_u:system_r:dom0_t:s0-s0:c0.c1023", id: world.agreementId });
    expect(destroyed.ok).toBe(true);
    for (const realmId of [acme().realmId, globex().realmId]) {
      await waitFor(async () => ((await trail(realmId, world.agreementId)).some((e) => e.action === "agreement.bridge.create" && /^drift: the bridge was missing/.test(e.reason)) ? true : null), "drift audited", 30_000);
    }
    expect(await testSend(acmeOwner(), world.agreementId)).toMatchObject({ delivered: true });
  });

  it("revocation by either side closes the channel on the host: the next send is FLASK's denial again", async () => {
    expect(await globexOwner().agreement.revoke({ agreementId: world.agreementId })).toEqual({ agreementId: world.agreementId, state: "revoked" });
    await waitFor(async () => ((await agreementOf(acmeOwner(), world.agreementId))?.channel.status === "closed" ? true : null), "channel closed", 30_000);
    const after = await testSend(acmeOwner(), world.agreementId);
    expect(after).toMatchObject({ status: "done", delivered: false });
    expect(after.avc.join("\n")).toMatch(new RegExp(`denied  \\{ send \\} for source=${world.domids.sender} target=${world.domids.receiver} .*tclass=argo`));
    const bypass = await agentPost<HypercallReply>("/v1/argo", { subjectLabel: managementLabel(acme().category), domid: world.domids.sender, action: "send", toDomid: world.domids.receiver, port: 7000, message: "after revoke" });
    expect(bypass).toMatchObject({ ok: false, error: { code: "EACCES" } });
    for (const realmId of [acme().realmId, globex().realmId]) {
      expect((await trail(realmId, world.agreementId)).map((e) => e.action)).toEqual(expect.arrayContaining(["agreement.revoke", "agreement.bridge.destroy"]));
    }
    expect(await failure(acmeOwner().agreement.revoke({ agreementId: world.agreementId }))).toMatchObject({ code: "CONFLICT" });
  });

  it("an agreement expires: both trails record it and it can no longer be accepted", async () => {
    const { agreementId } = await acmeOwner().agreement.propose({ fromVmId: world.sender, targetOrg: world.globexSlug, targetVmName: "ag-recv", twoWay: true, port: 7100, expiresInDays: 1 });
    await stack.db.agreement.update({ where: { id: agreementId }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect((await agreementOf(globexOwner(), agreementId))?.state).toBe("expired");
    expect(await failure(globexOwner().agreement.accept({ agreementId }))).toMatchObject({ code: "CONFLICT" });
    await waitFor(async () => ((await trail(globex().realmId, agreementId)).some((e) => e.action === "agreement.expire") ? true : null), "expiry recorded", 30_000);
    expect((await trail(acme().realmId, agreementId)).map((e) => e.action)).toEqual(["agreement.propose", "agreement.expire"]);
  });

  it("an accepted agreement whose VM does not run is active with its channel waiting, and the reason says why", async () => {
    const { vmId: idle } = await acmeOwner().vm.create({ name: "ag-idle", templateId: stack.templateId });
    const { agreementId } = await acmeOwner().agreement.propose({ fromVmId: idle, targetOrg: world.globexSlug, targetVmName: "ag-recv", twoWay: false, port: 7300, expiresInDays: null });
    await globexOwner().agreement.accept({ agreementId });
    const waiting = await waitFor(async () => {
      const a = await agreementOf(globexOwner(), agreementId);
      return a?.channel.status === "waiting" ? a : null;
    }, "channel waiting", 30_000);
    expect(waiting).toMatchObject({ state: "active", channel: { reason: expect.stringMatching(/^waiting: VM ag-idle is not running/) } });
    await globexOwner().agreement.revoke({ agreementId });
  });

  it("the other realm's record commits with the change: a proposal whose transaction fails leaves no record in either trail", async () => {
    const received = async () => (await stack.db.auditEvent.count({ where: { realmId: globex().realmId, action: "agreement.received" } }));
    const before = await received();
    const scope = { realmId: acme().realmId, actor: { userId: acme().members.owner.id, requestId: randomUUID() }, rule: "test" };
    const input = { fromVmId: world.sender, targetOrg: world.globexSlug, targetVmName: "ag-recv", twoWay: false, port: 7400, expiresInDays: null };
    await expect(
      withRealm(stack.tenantDb, acme().realmId, async (tx) => {
        await proposeAgreement(tx, stack.db, scope, input);
        expect(await received()).toBe(before); // not visible outside the transaction yet
        throw new Error("the commit fails");
      }),
    ).rejects.toThrow("the commit fails");
    expect(await received()).toBe(before);
  });

  it("a realm appends to another realm's trail only an actor-less agreement record about an agreement linking the two", async () => {
    const insert = (realmId: string, action: string, targetId: string, actorId: string | null = null) =>
      failure(
        withRealm(stack.tenantDb, acme().realmId, (tx) =>
          recordAgreementPeerDecision(tx, { realmId, actorId, actorTokenId: null, action, targetType: "agreement", targetId, decision: "allow", layer: "trpc", reason: "forged", requestId: randomUUID() }).then(() => {
            throw Object.assign(new Error("inserted"), { code: "INSERTED" }); // roll back what was admitted
          }),
        ),
      );
    // The agreement links acme and globex: that one record is admitted (and rolled back here).
    expect((await insert(globex().realmId, "agreement.note", world.agreementId)).code).toBe("INSERTED");
    // Not into a third realm's trail, not another kind of record, not with an actor of ours.
    for (const attempt of [
      insert(initech().realmId, "agreement.note", world.agreementId),
      insert(globex().realmId, "vm.start", world.agreementId),
      insert(globex().realmId, "agreement.note", randomUUID()),
      insert(globex().realmId, "agreement.note", world.agreementId, acme().members.owner.id),
    ]) {
      const outcome = await attempt;
      expect(outcome.code).not.toBe("INSERTED");
      expect(outcome.message).toMatch(/row-level security/);
    }
  });

  it("the list pages with a cursor, newest first; a cursor of an agreement the realm is not a party to is refused like a made-up one", async () => {
    const all = (await acmeOwner().agreement.list({ limit: 100 })).items.map((a) => a.id);
    expect(all.length).toBeGreaterThan(2);
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await acmeOwner().agreement.list({ limit: 2, ...(cursor ? { cursor } : {}) });
      seen.push(...page.items.map((a) => a.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual(all);
    // initech is a party to none of acme's agreements: the same answer as for a random id.
    const foreign = await failure(initechOwner().agreement.list({ limit: 2, cursor: all[0] }));
    const madeUp = await failure(initechOwner().agreement.list({ limit: 2, cursor: randomUUID() }));
    expect(foreign).toEqual(madeUp);
    expect(foreign.code).toBe("BAD_REQUEST");
  });

  it("field errors are clear", async () => {
    const bad = await failure(acmeOwner().agreement.propose({ fromVmId: world.sender, targetOrg: "x", targetVmName: "ag-recv", twoWay: false, port: 70000, expiresInDays: 365 }));
    expect(bad.code).toBe("BAD_REQUEST");
    expect(bad.message).toMatch(/targetOrg|port|expiresInDays/);
  });
});
