import { describe, expect, it } from "vitest";
import { choosePlacement, type HostCapacity } from "./placement";

const host = (name: string, over: Partial<HostCapacity> = {}): HostCapacity => ({
  id: name,
  name,
  status: "online",
  vcpus: 8,
  memoryMb: 8_192,
  usedVcpus: 0,
  usedMemoryMb: 0,
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

  it("may place on an unreachable host while bootstrapping", () => {
    expect(choosePlacement([host("a", { status: "unreachable" })], { vcpus: 1, memoryMb: 1 }, { requireOnline: false }).ok).toBe(true);
  });
});
