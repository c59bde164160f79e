import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ruleOf } from "../services/network-rules";
import { waitFor } from "../test/processes";
import { createUser } from "../test/fixtures";
import { startStack, type Stack } from "../test/stack";
import { ruleSetHash } from "../xen";

/**
 * A network driver domain per realm (issue 15 part 4), end to end through real processes (web
 * procedures, the worker, a host agent): an admin gives a network an NDVM (one of the realm's
 * driver domains), guests' vifs on it are served by the NDVM, the realm's rules and the
 * platform's are loaded into the host by the worker, and flow tests asked through the API are
 * answered by the host, naming the layer and the rule that decided. A guest on an NDVM network
 * does not start before its NDVM runs; removing the NDVM asks first and shows what it
 * disconnects. Another realm's ids answer exactly like missing ones.
 */

let stack: Stack<"nd-acme" | "nd-globex">;
const acme = () => stack.tenants["nd-acme"];
const globex = () => stack.tenants["nd-globex"];
const owner = () => stack.caller(acme().members.owner);
const globexOwner = () => stack.caller(globex().members.owner);
const failure = (p: Promise<unknown>) => p.then(() => ({ code: "OK", message: "" }), (e: { code: string; message: string }) => ({ code: e.code, message: e.message }));
let ops: ReturnType<typeof stack.caller>;

const world = {} as { web: string; db: string; ndvm: { id: string; domid: number }; front: string; back: string; globexVm: string };

beforeAll(async () => {
  stack = await startStack({ hosts: ["nd-a"], tenants: ["nd-acme", "nd-globex"], worker: {} });
  ops = stack.caller(await createUser(stack.db, "nd-ops", true));
});
afterAll(() => stack?.stop());

const settledOk = (operationId: string) => stack.succeeded(operationId);

const runningVm = (caller: ReturnType<typeof owner>, name: string) => stack.runningVm(caller, name);

async function verdict(input: Parameters<ReturnType<typeof owner>["network"]["testFlow"]>[0]) {
  const { flowTestId } = await owner().network.testFlow(input);
  return waitFor(async () => {
    const t = await owner().network.flowTest({ flowTestId });
    return t.status === "pending" ? null : t;
  }, "flow test decided");
}

/** A signed POST to the host's agent: a request that bypasses every layer above the hypervisor. */
const agentPost = <T,>(route: string, payload: unknown) => stack.agentPost<T>("nd-a", route, payload);

describe("a realm network with an NDVM", () => {
  it("an admin gives a network an NDVM: guests' vifs on it are served by the NDVM's domain", async () => {
    world.web = await runningVm(owner(), "nd-web");
    world.db = await runningVm(owner(), "nd-db");
    world.globexVm = await runningVm(globexOwner(), "nd-globex-vm");
    const { backendId } = await owner().backend.create({ name: "nd-ndvm", vmId: world.web });
    const ndvm = await waitFor(async () => {
      const b = (await owner().backend.list()).items.find((x) => x.id === backendId);
      if (b?.state === "failed") throw new Error(`driver domain failed: ${b.stateReason}`);
      return b?.state === "running" ? b : null;
    }, "NDVM running");
    world.ndvm = { id: backendId, domid: ndvm.domid! };
    world.front = (await owner().network.create({ name: "nd-front" })).networkId;
    world.back = (await owner().network.create({ name: "nd-back" })).networkId;
    await owner().network.setNdvm({ networkId: world.front, backendId });
    await owner().network.setNdvm({ networkId: world.back, backendId });
    // No backendId given: the network's NDVM serves the interface.
    await settledOk((await owner().vm.attachNetwork({ vmId: world.web, networkId: world.front })).operationId);
    await settledOk((await owner().vm.attachNetwork({ vmId: world.db, networkId: world.back })).operationId);
    const vm = await owner().vm.get({ vmId: world.web });
    expect(vm.networks).toEqual([{ network: { id: world.front, name: "nd-front" }, backend: { id: backendId, name: "nd-ndvm" }, backendState: "attached", backendReason: null }]);
    expect((await owner().network.ndvms()).items.map((n) => [n.network, n.ndvm.name, n.ndvm.state])).toEqual([
      ["nd-front", "nd-ndvm", "running"],
      ["nd-back", "nd-ndvm", "running"],
    ]);
    // Naming another backend for an NDVM network is refused.
    const other = await failure(owner().vm.attachNetwork({ vmId: world.globexVm, networkId: world.front, backendId: randomUUID() }));
    expect(other.code).toBe("NOT_FOUND");
    const audit = await stack.db.auditEvent.findMany({ where: { realmId: acme().realmId, action: "network.ndvm.set" } });
    expect(audit).toHaveLength(2);
  });

  it("validates rules with field errors (icmp ports, inverted range, unknown VM)", async () => {
    const web = { kind: "vm" as const, id: world.web };
    expect(await failure(owner().network.addRule({ from: web, to: { kind: "uplink" }, protocol: "icmp", ports: { from: 1, to: 1 } }))).toEqual({ code: "BAD_REQUEST", message: "ports: icmp has no ports: leave the port out" });
    expect(await failure(owner().network.addRule({ from: web, to: { kind: "uplink" }, protocol: "tcp", ports: { from: 90, to: 80 } }))).toEqual({ code: "BAD_REQUEST", message: "ports.to: the range ends before it starts" });
    expect(await failure(owner().network.addRule({ from: { kind: "vm", id: randomUUID() }, to: { kind: "uplink" }, protocol: "tcp", ports: null }))).toEqual({ code: "BAD_REQUEST", message: "from: VM not found" });
  });

  it("answers flows from the host: a realm rule allows, the default denies, a platform rule beats a realm allow; counters per rule", async () => {
    const { ruleId: webToDb } = await owner().network.addRule({ from: { kind: "vm", id: world.web }, to: { kind: "network", id: world.back }, protocol: "tcp", ports: { from: 5432, to: 5432 } });
    const { ruleId: frontOut } = await owner().network.addRule({ from: { kind: "network", id: world.front }, to: { kind: "uplink" }, protocol: "any", ports: null });
    const { ruleId: smtp } = await ops.operator.networkRules.add({ name: `nd no outbound mail ${randomUUID().slice(0, 8)}`, protocol: "tcp", ports: { from: 25, to: 25 } });
    try {
      const allowed = await verdict({ networkId: world.front, fromVmId: world.web, destination: { kind: "vm", vmId: world.db }, protocol: "tcp", port: 5432, attempt: true });
      expect(allowed).toMatchObject({ status: "done", allowed: true, layer: "realm", ruleId: webToDb });
      const denied = await verdict({ networkId: world.front, fromVmId: world.db, destination: { kind: "vm", vmId: world.web }, protocol: "tcp", port: 22, attempt: true });
      expect(denied).toMatchObject({ status: "done", allowed: false, layer: "realm", ruleId: null });
      const mail = await verdict({ networkId: world.front, fromVmId: world.web, destination: { kind: "uplink", address: "203.0.113.5" }, protocol: "tcp", port: 25, attempt: true });
      expect(mail).toMatchObject({ status: "done", allowed: false, layer: "platform", ruleId: smtp });
      const web443 = await verdict({ networkId: world.front, fromVmId: world.web, destination: { kind: "uplink", address: "203.0.113.5" }, protocol: "tcp", port: 443, attempt: false });
      expect(web443).toMatchObject({ allowed: true, layer: "realm", ruleId: frontOut });
      // The NDVM reported the rule set it enforces: the stored rules' hash.
      const stored = (await stack.db.networkRule.findMany({ where: { realmId: acme().realmId }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] })).map(ruleOf);
      const enforced = (await owner().network.ndvms()).items[0]!.enforced;
      expect(enforced.hash).toBe(ruleSetHash(stored));
      const rules = await owner().network.rules();
      expect(rules.items.find((r) => r.id === webToDb)?.counters).toEqual({ allowed: 1, denied: 0 });
      expect(rules.defaultDeny).toEqual({ allowed: 0, denied: 1 });
      // The layers before the realm's rules, as counts: the platform's deny of port 25 shows as
      // one platform denial, without the platform rule's id or name anywhere in the realm's view.
      expect(rules.layers.platform).toEqual({ allowed: 0, denied: 1 });
      expect(rules.layers.topology).toEqual({ allowed: 0, denied: 0 });
      expect(JSON.stringify(rules)).not.toContain(smtp);
      expect(JSON.stringify(rules)).not.toContain("no outbound mail");
    } finally {
      await ops.operator.networkRules.remove({ ruleId: smtp });
    }
  });

  it("refuses a cross-realm attempt at the host by FLASK alone: another realm's VM through the NDVM, with the AVC line", async () => {
    const globexDom = await stack.domainOn("nd-a", world.globexVm);
    const dbDom = await stack.domainOn("nd-a", world.db);
    const r = await agentPost<{ ok: boolean; data: { allowed: boolean; layer: string; avc: string[] } }>("/v1/network/flow", {
      ndvmDomid: world.ndvm.domid,
      fromDomid: globexDom!.domid,
      to: { kind: "vm", domid: dbDom!.domid },
      protocol: "tcp",
      port: 5432,
      attempt: true,
    });
    expect(r.data).toMatchObject({ allowed: false, layer: "flask" });
    expect(r.data.avc[0]).toMatch(/^avc: {2}denied {2}\{ map_read \} .*tclass=grant$/);
    // The realm's panel counts it under FLASK once the worker collected the NDVM's counters (a count, nothing else).
    await waitFor(async () => (await owner().network.rules()).layers.flask.denied >= 1, "FLASK denial counted");
  });

  it("answers another realm's network, NDVM, rule and flow test ids exactly like missing ones", async () => {
    const rule = (await owner().network.rules()).items[0]!;
    const { flowTestId } = await owner().network.testFlow({ networkId: world.front, fromVmId: world.web, destination: { kind: "uplink", address: null }, protocol: "icmp", port: null });
    const g = globexOwner();
    const pairs: [() => Promise<unknown>, () => Promise<unknown>][] = [
      [() => g.network.setNdvm({ networkId: world.front }), () => g.network.setNdvm({ networkId: randomUUID() })],
      [() => g.network.removeRule({ ruleId: rule.id }), () => g.network.removeRule({ ruleId: randomUUID() })],
      [() => g.network.flowTest({ flowTestId }), () => g.network.flowTest({ flowTestId: randomUUID() })],
      [() => g.network.testFlow({ networkId: world.front, fromVmId: world.web, destination: { kind: "uplink", address: null }, protocol: "icmp" }), () => g.network.testFlow({ networkId: randomUUID(), fromVmId: world.web, destination: { kind: "uplink", address: null }, protocol: "icmp" })],
      [() => g.backend.removalPreview({ backendId: world.ndvm.id }), () => g.backend.removalPreview({ backendId: randomUUID() })],
      [() => g.network.addRule({ from: { kind: "vm", id: world.web }, to: { kind: "uplink" }, protocol: "any" }), () => g.network.addRule({ from: { kind: "vm", id: randomUUID() }, to: { kind: "uplink" }, protocol: "any" })],
    ];
    for (const [foreign, missing] of pairs) {
      const [f, m] = [await failure(foreign()), await failure(missing())];
      expect(f.code).not.toBe("OK");
      expect(f).toEqual(m);
    }
    expect((await g.network.rules()).items).toEqual([]);
    expect((await g.network.ndvms()).items).toEqual([]);
    expect(await stack.db.networkRule.count({ where: { id: rule.id } })).toBe(1);
  });

  it("a flow test nobody answers (no NDVM serves its network any more) fails after a while with the reason, not pending forever", async () => {
    const { networkId } = await owner().network.create({ name: "nd-orphan" });
    const id = randomUUID();
    // Asked long ago, on a network no NDVM serves: no host will ever take it.
    await stack.db.flowTest.create({ data: { realmId: acme().realmId, id, networkId, fromVmId: world.web, toVmId: null, toAddress: null, protocol: "tcp", port: 22, createdAt: new Date(Date.now() - 60_000) } });
    const failed = await waitFor(async () => {
      const t = await owner().network.flowTest({ flowTestId: id });
      return t.status === "pending" ? null : t;
    }, "flow test expired");
    expect(failed).toMatchObject({ status: "failed", allowed: null, reason: expect.stringMatching(/^no answer from the NDVM's host within 30 s/) });
  });

  it("does not start a guest on an NDVM network before its NDVM runs, naming the NDVM", async () => {
    await settledOk((await owner().vm.stop({ vmId: world.db })).operationId);
    // The host refused to rebuild the NDVM (the worker records it failed and leaves it so).
    await stack.db.driverDomain.update({ where: { id: world.ndvm.id }, data: { state: "failed", stateReason: "test: the host refused" } });
    try {
      expect(await failure(owner().vm.start({ vmId: world.db }))).toEqual({
        code: "PRECONDITION_FAILED",
        message: "cannot start the VM before its NDVM runs: NDVM nd-ndvm of network nd-back is failed",
      });
      expect(await stack.db.operation.count({ where: { vmId: world.db, action: "start", status: "pending" } })).toBe(0);
    } finally {
      await stack.db.driverDomain.update({ where: { id: world.ndvm.id }, data: { state: "running", stateReason: null } });
    }
    await settledOk((await owner().vm.start({ vmId: world.db })).operationId);
  });

  it("removing the NDVM asks first and shows what it disconnects; confirmed, the interfaces are detached, then it goes", async () => {
    const refused = await failure(owner().backend.remove({ backendId: world.ndvm.id }));
    expect(refused.code).toBe("PRECONDITION_FAILED");
    expect(refused.message).toContain("driver domain nd-ndvm is the NDVM of network nd-front, network nd-back: removing it disconnects nd-web (nd-front), nd-db (nd-back)");
    expect(await owner().backend.removalPreview({ backendId: world.ndvm.id })).toEqual({
      backendId: world.ndvm.id,
      name: "nd-ndvm",
      isNdvm: true,
      networks: [
        { id: world.front, name: "nd-front" },
        { id: world.back, name: "nd-back" },
      ],
      vms: [
        { id: world.web, name: "nd-web", network: "nd-front" },
        { id: world.db, name: "nd-db", network: "nd-back" },
      ],
    });
    const confirmed = await owner().backend.remove({ backendId: world.ndvm.id, confirm: true });
    expect(confirmed).toEqual({ removed: false, disconnecting: ["nd-web", "nd-db"] });
    for (const vmId of [world.web, world.db]) {
      const op = await stack.db.operation.findFirstOrThrow({ where: { vmId, action: "detach-net" }, orderBy: { createdAt: "desc" } });
      await settledOk(op.id);
    }
    expect((await owner().network.ndvms()).items).toEqual([]);
    expect(await owner().backend.remove({ backendId: world.ndvm.id })).toEqual({ removed: true, disconnecting: [] });
  });
});
