import { describe, expect, it } from "vitest";
import type { HostCapacity } from "../repositories/hosts";
import { allowedDestinations, CHOSEN_HOST_REFUSED, choosePlacement, rankPlacements } from "./placement";

const host = (name: string, over: Partial<HostCapacity> = {}): HostCapacity => ({
  id: name,
  name,
  status: "online",
  vcpus: 8,
  memoryMb: 8_192,
  usedVcpus: 0,
  usedMemoryMb: 0,
  realms: new Set<string>(),
  ...over,
});

describe("placement", () => {
  it("picks the online host with the most free memory", () => {
    const hosts = [host("a", { usedMemoryMb: 4_096 }), host("b", { usedMemoryMb: 1_024 }), host("c", { status: "unreachable" })];
    expect(choosePlacement(hosts, { vcpus: 1, memoryMb: 512 })).toEqual({ ok: true, hostId: "b", hostName: "b" });
  });

  it("says capacity refused it when nothing fits", () => {
    const decision = choosePlacement([host("a", { usedVcpus: 8 })], { vcpus: 1, memoryMb: 512 });
    expect(decision).toEqual({ ok: false, reason: "no online host has 1 vCPU and 512 MiB free (capacity)" });
  });

  it("says no host is online, or none registered", () => {
    expect(choosePlacement([host("a", { status: "unreachable" })], { vcpus: 1, memoryMb: 1 })).toEqual({ ok: false, reason: "no host is online" });
    expect(choosePlacement([], { vcpus: 1, memoryMb: 1 })).toEqual({ ok: false, reason: "no hosts are registered" });
  });

  it("honours the Chinese Wall: never next to a conflicting realm", () => {
    const hosts = [host("a", { realms: new Set(["globex"]) }), host("b", { usedMemoryMb: 6_000 })];
    expect(choosePlacement(hosts, { vcpus: 1, memoryMb: 512, conflictsWith: new Set(["globex"]) })).toMatchObject({ ok: true, hostName: "b" });
    expect(choosePlacement([hosts[0]!], { vcpus: 1, memoryMb: 512, conflictsWith: new Set(["globex"]) })).toEqual({
      ok: false,
      reason: "Chinese Wall: a conflicting realm runs on every candidate host (a)",
    });
  });

  it("never picks a migration's source host", () => {
    expect(choosePlacement([host("a"), host("b", { usedMemoryMb: 4_000 })], { vcpus: 1, memoryMb: 1, excludeHostId: "a" })).toMatchObject({ hostName: "b" });
    expect(choosePlacement([host("a")], { vcpus: 1, memoryMb: 1, excludeHostId: "a" })).toEqual({ ok: false, reason: "no other online host to move to" });
  });

  it("may place on an unreachable host while bootstrapping", () => {
    expect(choosePlacement([host("a", { status: "unreachable" })], { vcpus: 1, memoryMb: 1 }, { requireOnline: false }).ok).toBe(true);
  });

  describe("a destination the member chose", () => {
    const need = { vcpus: 1, memoryMb: 512, conflictsWith: new Set(["globex"]), excludeHostId: "src" };
    const hosts = [
      host("src"),
      host("free", { usedMemoryMb: 1_024 }),
      host("roomy"),
      host("walled", { realms: new Set(["globex"]) }),
      host("full", { usedMemoryMb: 8_000 }),
      host("down", { status: "unreachable" }),
    ];

    it("offers only the hosts placement allows, most free memory first", () => {
      expect(allowedDestinations(hosts, need).map((h) => h.name)).toEqual(["roomy", "free"]);
    });

    it("accepts an allowed host even when another has more room", () => {
      expect(choosePlacement(hosts, { ...need, onlyHostId: "free" })).toEqual({ ok: true, hostId: "free", hostName: "free" });
    });

    it("refuses a walled, full, offline, source or unknown host with one answer that reveals nothing", () => {
      for (const onlyHostId of ["walled", "full", "down", "src", "no-such-host"]) {
        expect(choosePlacement(hosts, { ...need, onlyHostId })).toEqual({ ok: false, reason: CHOSEN_HOST_REFUSED });
      }
    });
  });

  describe("the fallback order a placement follows when its first choice is taken by a concurrent one", () => {
    const hosts = [host("a", { usedMemoryMb: 4_096 }), host("b", { usedMemoryMb: 1_024 }), host("c"), host("walled", { realms: new Set(["globex"]) }), host("full", { usedVcpus: 8 })];

    it("ranks every host that takes the VM, most free memory first; the first is choosePlacement's choice", () => {
      const ranked = rankPlacements(hosts, { vcpus: 1, memoryMb: 512, conflictsWith: new Set(["globex"]) });
      expect(ranked.ok && ranked.hosts.map((h) => h.name)).toEqual(["c", "b", "a"]);
      expect(choosePlacement(hosts, { vcpus: 1, memoryMb: 512, conflictsWith: new Set(["globex"]) })).toMatchObject({ hostName: "c" });
    });

    it("refuses with choosePlacement's reason when no host takes it", () => {
      expect(rankPlacements([host("full", { usedVcpus: 8 })], { vcpus: 1, memoryMb: 1 })).toEqual(choosePlacement([host("full", { usedVcpus: 8 })], { vcpus: 1, memoryMb: 1 }));
    });
  });
});

