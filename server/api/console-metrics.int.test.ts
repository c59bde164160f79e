import { randomUUID } from "node:crypto";
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PLATFORM_URL_ENV } from "../db/client";
import { startSession } from "../auth/sessions";
import { waitFor } from "../test/processes";
import { startStack, type Stack } from "../test/stack";
import { createCaller } from "./root";
import { createContext } from "./context";

/**
 * Serial console and metrics end to end: tRPC → console rows → worker relay (woken by NOTIFY) →
 * signed HTTP → agent (XSM with the realm's management domain) → output rows → the member's
 * stream; and the worker's metrics sampler → samples → rates in SQL.
 */

let stack: Stack<"acme" | "other">;
let vmId: string;
const previousUrl = process.env[PLATFORM_URL_ENV];

beforeAll(async () => {
  stack = await startStack({
    hosts: ["console-a"],
    tenants: ["acme", "other"],
    worker: { env: { REALMGATE_METRICS_INTERVAL_MS: "300", REALMGATE_CONSOLE_IDLE_MS: "2500", REALMGATE_CONSOLE_POLL_MS: "200" } },
  });
  // The stream listens through the web process's realm hub (platform role).
  process.env[PLATFORM_URL_ENV] = stack.url;
  const owner = stack.caller(stack.tenants.acme.members.owner);
  const created = await owner.vm.create({ name: "console-1", templateId: stack.templateId });
  vmId = created.vmId;
  await stack.settled(created.operationId);
  await stack.settled((await owner.vm.start({ vmId })).operationId);
  expect((await stack.vmOf(stack.tenants.acme.realmId, vmId)).observedState).toBe("running");
}, 120_000);
afterAll(async () => {
  if (previousUrl === undefined) delete process.env[PLATFORM_URL_ENV];
  else process.env[PLATFORM_URL_ENV] = previousUrl;
  await stack?.stop();
});

const acme = () => stack.tenants.acme;

async function failure(call: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await call;
  } catch (error) {
    if (error instanceof TRPCError) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error("expected the call to fail");
}

/** A browser's stream on the console, collecting what it prints. */
async function openStream(user: { id: string }, consoleId: string) {
  const { sid } = await startSession(stack.db, user.id, { userAgent: "console test", clientAddress: null });
  const { sessionEpoch } = await stack.db.user.findUniqueOrThrow({ where: { id: user.id } });
  const abort = new AbortController();
  const caller = createCaller(createContext({ tenant: stack.tenantDb, platform: stack.db }, { id: user.id, epoch: sessionEpoch, sid }), { signal: abort.signal });
  const iterable = (await caller.vm.console.stream({ consoleId, after: "0" })) as AsyncIterable<{ chunks: { data: string }[]; status: string }>;
  let text = "";
  let status = "";
  let lastAt = 0;
  const ended = (async () => {
    try {
      for await (const chunk of iterable) {
        text += chunk.chunks.map((c) => c.data).join("");
        status = chunk.status;
        lastAt = Date.now();
      }
    } catch {
      /* ended */
    }
  })();
  return { text: () => text, status: () => status, lastAt: () => lastAt, ended, close: () => abort.abort() };
}

describe("serial console", () => {
  it("opens the console, types `uname -a`, sees its output on the stream, closes; open and close are audited", async () => {
    const owner = stack.caller(acme().members.owner);
    const { consoleId } = await owner.vm.console.open({ vmId });
    const stream = await openStream(acme().members.owner, consoleId);
    // The relay opened it at the agent: the guest's boot log, ending in a prompt.
    await waitFor(async () => /root@console-1:~# $/.test(stream.text()), "boot log and prompt", 10_000);
    expect(stream.text()).toMatch(/Linux version[\s\S]*console-1 login: root/);
    const sent = Date.now();
    await owner.vm.console.send({ consoleId, data: "uname -a\r" });
    const accepted = Date.now() - sent;
    await waitFor(async () => /Linux console-1 6\.1\.0-27-amd64 .*GNU\/Linux\r\nroot@console-1:~# $/.test(stream.text()), "command output", 10_000);
    // Interactive: reported, not asserted (no timed assertions); the bench measures it.
    console.log(`console round trip (tRPC → relay → agent → stream): ${stream.lastAt() - sent} ms (the mutation: ${accepted} ms)`);
    // Polling answers the same output.
    const polled = await owner.vm.console.read({ consoleId, after: "0" });
    expect(polled.chunks.map((c) => c.data).join("")).toBe(stream.text());
    expect(await owner.vm.console.close({ consoleId })).toEqual({ closed: true });
    expect(await owner.vm.console.close({ consoleId })).toEqual({ closed: false }); // closing twice audits once
    await waitFor(async () => stream.status() === "closed", "stream sees the close", 5_000);
    await stream.ended;
    const audit = await stack.db.auditEvent.findMany({ where: { realmId: acme().realmId, action: { startsWith: "vm.console." } }, orderBy: { id: "asc" } });
    expect(audit.map((a) => [a.action, a.decision, a.targetId, (a.details as { consoleSessionId?: string }).consoleSessionId])).toEqual([
      ["vm.console.open", "allow", vmId, consoleId],
      ["vm.console.close", "allow", vmId, consoleId],
    ]);
    expect(await failure(owner.vm.console.send({ consoleId, data: "ls\r" }))).toMatchObject({ code: "PRECONDITION_FAILED" });
  });

  it("foreign VM: another realm's owner gets exactly what a missing VM gets", async () => {
    const intruder = stack.caller(stack.tenants.other.members.owner);
    const foreign = await failure(intruder.vm.console.open({ vmId }));
    const missing = await failure(intruder.vm.console.open({ vmId: randomUUID() }));
    expect(foreign).toEqual(missing);
    expect(foreign.code).toBe("NOT_FOUND");
  });

  it("foreign session: another realm's owner (and another member of the realm) cannot read, type into or close it", async () => {
    const { consoleId } = await stack.caller(acme().members.owner).vm.console.open({ vmId });
    for (const caller of [stack.caller(stack.tenants.other.members.owner), stack.caller(acme().members.admin)]) {
      for (const call of [
        () => caller.vm.console.send({ consoleId, data: "reboot\r" }),
        () => caller.vm.console.read({ consoleId, after: "0" }),
        () => caller.vm.console.close({ consoleId }),
        () => caller.vm.console.stream({ consoleId, after: "0" }),
      ]) {
        expect(await failure(call())).toEqual({ code: "NOT_FOUND", message: "console session not found" });
      }
    }
    expect(await stack.db.consoleIo.count({ where: { sessionId: consoleId, direction: "in" } })).toBe(0);
    await stack.caller(acme().members.owner).vm.console.close({ consoleId });
  });

  it("viewer: FORBIDDEN (the console needs vm.console); an operator-role member may open it", async () => {
    expect(await failure(stack.caller(acme().members.viewer).vm.console.open({ vmId }))).toMatchObject({ code: "FORBIDDEN" });
    const { consoleId } = await stack.caller(acme().members.operator).vm.console.open({ vmId });
    await stack.caller(acme().members.operator).vm.console.close({ consoleId });
  });

  it("refuses oversized input and a stopped VM's console", async () => {
    const owner = stack.caller(acme().members.owner);
    const { consoleId } = await owner.vm.console.open({ vmId });
    expect(await failure(owner.vm.console.send({ consoleId, data: "x".repeat(2000) }))).toMatchObject({ code: "BAD_REQUEST" });
    await owner.vm.console.close({ consoleId });
    const stopped = await owner.vm.create({ name: "console-stopped", templateId: stack.templateId });
    await stack.settled(stopped.operationId);
    expect(await failure(owner.vm.console.open({ vmId: stopped.vmId }))).toMatchObject({ code: "PRECONDITION_FAILED" });
  });

  it("a reboot keeps the console open and prints the new boot; stopping the VM closes it (audited)", async () => {
    const owner = stack.caller(acme().members.owner);
    const { vmId: other, operationId } = await owner.vm.create({ name: "console-reboot", templateId: stack.templateId });
    await stack.settled(operationId);
    await stack.settled((await owner.vm.start({ vmId: other })).operationId);
    const { consoleId } = await owner.vm.console.open({ vmId: other });
    const stream = await openStream(acme().members.owner, consoleId);
    await waitFor(async () => /root@console-reboot:~# $/.test(stream.text()), "prompt", 10_000);
    await stack.settled((await owner.vm.reboot({ vmId: other })).operationId);
    await owner.vm.console.send({ consoleId, data: "\r" });
    await waitFor(async () => /Restarting system[\s\S]*Linux version[\s\S]*root@console-reboot:~# $/.test(stream.text()), "the new boot log", 10_000);
    await stack.settled((await owner.vm.stop({ vmId: other })).operationId);
    await waitFor(async () => stream.status() === "closed", "the console closes with the VM", 15_000);
    const closed = await stack.db.consoleSession.findUniqueOrThrow({ where: { id: consoleId } });
    expect(closed.closeReason).toBe("the VM is no longer running");
    expect(await stack.db.auditEvent.count({ where: { action: "vm.console.close", targetId: other } })).toBe(1);
  });

  it("an idle session (no stream, no input) is closed by the worker and audited", async () => {
    const { consoleId } = await stack.caller(acme().members.owner).vm.console.open({ vmId });
    const closed = await waitFor(async () => {
      const s = await stack.db.consoleSession.findUniqueOrThrow({ where: { id: consoleId } });
      return s.status === "closed" ? s : null;
    }, "idle close", 15_000);
    expect(closed.closeReason).toBe("idle timeout");
    const audit = await stack.db.auditEvent.findFirst({ where: { action: "vm.console.close", layer: "worker", targetId: vmId } });
    expect(audit).toMatchObject({ decision: "allow", reason: "idle timeout", details: { consoleSessionId: consoleId } });
  });
});

describe("metrics", () => {
  it("samples the VM and lists the last hour with rates computed from counter deltas", async () => {
    const owner = stack.caller(acme().members.owner);
    const metrics = await waitFor(async () => {
      const m = await owner.vm.metrics({ vmId });
      return m.points.filter((p) => p.cpuPercent !== null).length >= 3 ? m : null;
    }, "three samples with rates", 15_000);
    const rated = metrics.points.filter((p) => p.cpuPercent !== null);
    for (const p of rated) {
      expect(p.cpuPercent).toBeGreaterThan(0);
      expect(p.cpuPercent).toBeLessThanOrEqual(100);
      expect(p.memoryMaxMb).toBe(512);
      expect(p.memoryUsedMb).toBeGreaterThan(0);
      expect(p.diskReadBps).toBeGreaterThan(0);
      expect(p.netRxBps).toBeGreaterThan(0);
    }
    const times = metrics.points.map((p) => p.at.getTime());
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    const usage = await owner.vm.measuredUsage();
    expect(usage.vms).toBeGreaterThanOrEqual(1);
    expect(usage.busyVcpus).toBeGreaterThan(0);
    expect(usage.memoryUsedMb).toBeGreaterThan(0);
  });

  it("another realm reads none of it: foreign VM → NOT_FOUND, and its realm totals exclude it", async () => {
    const intruder = stack.caller(stack.tenants.other.members.owner);
    expect(await failure(intruder.vm.metrics({ vmId }))).toEqual(await failure(intruder.vm.metrics({ vmId: randomUUID() })));
    expect(await failure(intruder.vm.metrics({ vmId }))).toMatchObject({ code: "NOT_FOUND" });
    const otherRunning = await stack.db.vm.count({ where: { realmId: stack.tenants.other.realmId, observedState: "running" } });
    expect((await intruder.vm.measuredUsage()).vms).toBeLessThanOrEqual(otherRunning);
    // A viewer reads metrics (vm.read).
    expect((await stack.caller(acme().members.viewer).vm.metrics({ vmId })).points.length).toBeGreaterThan(0);
  });
});
