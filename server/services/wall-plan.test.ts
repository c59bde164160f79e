import { describe, expect, it } from "vitest";
import type { HostCapacity } from "../repositories/hosts";
import type { CoLocatedVm } from "../repositories/wall-violations";
import { describePlan, planWall } from "./wall-plan";

const host = (name: string, realms: string[] = [], over: Partial<HostCapacity> = {}): HostCapacity => ({
  id: name,
  name,
  status: "online",
  vcpus: 8,
  memoryMb: 8_192,
  usedVcpus: 0,
  usedMemoryMb: 0,
  realms: new Set(realms),
  ...over,
});

const vm = (realmId: string, name: string, hostId: string, over: Partial<CoLocatedVm> = {}): CoLocatedVm => ({
  realmId,
  org: realmId,
  vmId: `${realmId}-${name}`,
  name,
  kind: "guest",
  observedState: "running",
  vcpus: 1,
  memoryMb: 1_024,
  hostId,
  host: hostId,
  isBusy: false,
  ...over,
});

const walls = (extra: Record<string, string[]> = {}) =>
  new Map([
    ["acme", new Set(["globex", ...(extra.acme ?? [])])],
    ["globex", new Set(["acme", ...(extra.globex ?? [])])],
  ]);

describe("the plan for a new wall", () => {
  it("moves the side with fewer VMs on the shared host, to a host without its rival", () => {
    const plan = planWall([host("h1", ["acme", "globex"]), host("h2")], [vm("acme", "a1", "h1"), vm("acme", "a2", "h1"), vm("globex", "g1", "h1")], walls());
    expect(plan).toEqual({ ok: true, moves: [expect.objectContaining({ vm: "g1", fromHost: "h1", toHost: "h2" })] });
    expect(describePlan(plan)).toBe("the plan: move globex's g1 from h1 to h2");
  });

  it("never moves a VM next to a realm it is walled from: the other side moves instead", () => {
    const plan = planWall(
      [host("h1", ["acme", "globex"]), host("h2", ["initech"])],
      [vm("acme", "a1", "h1"), vm("acme", "a2", "h1"), vm("globex", "g1", "h1")],
      walls({ globex: ["initech"] }),
    );
    expect(plan.ok && plan.moves.map((m) => m.vm)).toEqual(["a1", "a2"]);
  });

  it("counts capacity as it plans: two VMs never both take a host's last room", () => {
    const plan = planWall(
      [host("h1", ["acme", "globex"]), host("h2", [], { memoryMb: 1_500 }), host("h3", [], { memoryMb: 1_200 })],
      [vm("acme", "a1", "h1"), vm("acme", "a2", "h1"), vm("globex", "g1", "h1", { memoryMb: 4_096 })],
      walls(),
    );
    expect(plan.ok && plan.moves.map((m) => [m.vm, m.toHost])).toEqual([
      ["a1", "h2"],
      ["a2", "h3"],
    ]);
  });

  it("a realm moved onto a host walls that host off for its rival on the next shared host", () => {
    const plan = planWall(
      [host("h1", ["acme", "globex"]), host("h2", ["acme", "globex"]), host("h3")],
      [vm("acme", "a1", "h1"), vm("globex", "g1", "h1"), vm("globex", "g2", "h1"), vm("acme", "a2", "h2"), vm("globex", "g3", "h2"), vm("globex", "g4", "h2")],
      walls(),
    );
    // a1 goes to h3; then a2 may join it there, but no Globex VM may.
    expect(plan.ok && plan.moves.map((m) => [m.vm, m.toHost])).toEqual([
      ["a1", "h3"],
      ["a2", "h3"],
    ]);
  });

  it("says why no plan exists: a VM in flight, a paused VM, no room", () => {
    const hosts = [host("h1", ["acme", "globex"]), host("h2")];
    const busy = planWall(hosts, [vm("acme", "a1", "h1", { isBusy: true }), vm("globex", "g1", "h1", { observedState: "paused" })], walls());
    expect(busy).toEqual({
      ok: false,
      reason: "moving acme's VMs off h1: a1 has an operation in flight; moving globex's VMs off h1: g1: cannot migrate a VM that is paused (allowed when running or stopped)",
    });
    expect(describePlan(busy)).toMatch(/^no plan satisfies it \(/);
    const full = planWall([host("h1", ["acme", "globex"]), host("h2", [], { usedMemoryMb: 8_000 })], [vm("acme", "a1", "h1"), vm("globex", "g1", "h1")], walls());
    expect(full.ok).toBe(false);
  });
});
