import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { unsafeClaimLease } from "../repositories/worker-leases";
import { startStack, type Stack } from "../test/stack";
import { httpAgentClient } from "./agent-client";
import { sampleHosts, sampleHostsAsOwner } from "./metrics-sampler";

/**
 * The metrics sampler is single-owner: every worker process runs its loop, but only the holder of
 * the sampler's lease reads the hosts, so N workers do not sample each host N times. Two samplers
 * here play two workers against real agents and a real database (the stack's own worker samples
 * once an hour, under the default lease name, and stays out of the way).
 */

let stack: Stack<"acme">;
let vmId: string;

beforeAll(async () => {
  stack = await startStack({ hosts: ["sampler-a"], tenants: ["acme"], worker: { env: { REALMGATE_METRICS_INTERVAL_MS: "3600000" } } });
  const owner = stack.caller(stack.tenants.acme.members.owner);
  const created = await owner.vm.create({ name: "sampled-1", templateId: stack.templateId });
  vmId = created.vmId;
  await stack.settled(created.operationId);
  await stack.settled((await owner.vm.start({ vmId })).operationId);
}, 120_000);
afterAll(() => stack?.stop());

const samplesOf = async (since: Date) => stack.db.vmMetricSample.count({ where: { vmId, at: { gte: since } } });
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("metrics sampler: one owner", () => {
  it("two workers sampling at the same moment write one sample of the VM per round, not two", async () => {
    const leaseName = `sampler-test-${randomUUID()}`;
    const options = (holder: string) => ({ masterSecret: stack.masterSecret, log: () => undefined, retentionMs: 3_600_000, holder, intervalMs: 1_000, leaseName });
    const since = new Date();
    const rounds: (number | null)[][] = [];
    for (let round = 0; round < 3; round++) {
      rounds.push(await Promise.all([sampleHostsAsOwner(stack.db, httpAgentClient, options("worker-a")), sampleHostsAsOwner(stack.db, httpAgentClient, options("worker-b"))]));
      await pause(20);
    }
    // Each round, exactly one of the two sampled (the same one: it holds the lease) and the other skipped.
    for (const [a, b] of rounds) expect([a === null, b === null].filter(Boolean)).toHaveLength(1);
    expect(new Set(rounds.map(([a]) => a === null)).size).toBe(1);
    expect(await samplesOf(since)).toBe(3);
  });

  it("without the lease (the old loop) two workers each wrote the VM's sample: what the lease prevents", async () => {
    const since = new Date();
    const options = { masterSecret: stack.masterSecret, log: () => undefined, retentionMs: 3_600_000 };
    await Promise.all([sampleHosts(stack.db, httpAgentClient, options), pause(5).then(() => sampleHosts(stack.db, httpAgentClient, options))]);
    expect(await samplesOf(since)).toBe(2);
  });

  it("a holder that stops renewing hands the lease over once it lapses, and only then", async () => {
    const name = `lease-test-${randomUUID()}`;
    expect(await unsafeClaimLease(stack.db, name, "worker-a", 300)).toBe(true);
    expect(await unsafeClaimLease(stack.db, name, "worker-b", 300)).toBe(false);
    // The holder renews its own lease.
    expect(await unsafeClaimLease(stack.db, name, "worker-a", 300)).toBe(true);
    await pause(450);
    expect(await unsafeClaimLease(stack.db, name, "worker-b", 300)).toBe(true);
    expect(await unsafeClaimLease(stack.db, name, "worker-a", 300)).toBe(false);
  });

  it("many claimants racing for a free lease: exactly one wins", async () => {
    const name = `race-test-${randomUUID()}`;
    const won = await Promise.all(Array.from({ length: 8 }, (_, i) => unsafeClaimLease(stack.db, name, `worker-${i}`, 5_000)));
    expect(won.filter(Boolean)).toHaveLength(1);
  });
});
