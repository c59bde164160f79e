import { describe, expect, it } from "vitest";
import { DEFAULT_QUOTA, decideQuota, isOverride, NOTHING, parseQuotaSpec, quotaNeed, type QuotaSnapshot } from "./quotas";

const snapshot = (used: Partial<typeof NOTHING>, limits: Partial<typeof NOTHING> = {}): QuotaSnapshot => ({
  limits: { ...DEFAULT_QUOTA, ...limits },
  used: { ...NOTHING, ...used },
});

describe("decideQuota", () => {
  it.each([
    ["names vCPUs, usage and limit", snapshot({ vcpus: 30 }), quotaNeed("VM", { vcpus: 4, memoryMb: 1024 }), "VM", "Acme Corp uses 30 of 32 vCPUs; this VM needs 4", "vcpus"],
    ["names memory in MiB", snapshot({ memoryMb: 65_000 }), quotaNeed("VM", { vcpus: 1, memoryMb: 1024 }), "VM", "Acme Corp uses 65,000 of 65,536 MiB of memory; this VM needs 1,024 MiB", "memoryMb"],
    ["names the VM count", snapshot({ vms: 20 }), quotaNeed("VM", { vcpus: 1, memoryMb: 512 }), "VM", "Acme Corp uses 20 of 20 VMs; this VM needs 1", "name"],
    ["names disk GiB", snapshot({ diskGb: 480 }), quotaNeed("disk", { sizeGb: 40 }), "disk", "Acme Corp uses 480 of 500 GiB of disk; this disk needs 40 GiB", "sizeGb"],
    ["names networks, singular for a limit of one", snapshot({ networks: 1 }, { networks: 1 }), quotaNeed("network"), "network", "Acme Corp uses 1 of 1 network; this network needs 1", "name"],
  ] as const)("refuses and %s", (_name, snap, need, subject, message, field) => {
    expect(decideQuota("Acme Corp", snap, subject, need)).toMatchObject({ allowed: false, message, field });
  });

  it("allows a request that fits exactly", () => {
    expect(decideQuota("Acme Corp", snapshot({ vcpus: 28 }), "VM", quotaNeed("VM", { vcpus: 4, memoryMb: 512 }))).toEqual({ allowed: true });
  });

  it("never refuses for a resource the request does not use, even one over its limit", () => {
    expect(decideQuota("Acme Corp", snapshot({ vms: 25, vcpus: 40 }), "network", quotaNeed("network"))).toEqual({ allowed: true });
  });

  it("fails closed for a realm without a quota row", () => {
    expect(decideQuota("Acme Corp", null, "VM", quotaNeed("VM", { vcpus: 1, memoryMb: 512 }))).toMatchObject({ allowed: false });
  });
});

describe("parseQuotaSpec (REALMGATE_DEFAULT_QUOTA)", () => {
  it("defaults to the documented quota when unset or empty", () => {
    expect(parseQuotaSpec(undefined)).toEqual(DEFAULT_QUOTA);
    expect(parseQuotaSpec("  ")).toEqual(DEFAULT_QUOTA);
  });

  it("reads every key, keeping the defaults for keys left out", () => {
    expect(parseQuotaSpec("vcpus=8, vms=4")).toEqual({ ...DEFAULT_QUOTA, vcpus: 8, vms: 4 });
    expect(parseQuotaSpec("vcpus=32,memoryMb=65536,vms=20,diskGb=500,networks=10")).toEqual(DEFAULT_QUOTA);
  });

  it.each([
    ["vcpu=8", /unknown quota 'vcpu'/],
    ["vcpus=-1", /whole number/],
    ["vcpus=1.5", /whole number/],
    ["vcpus", /not key=value/],
    ["vcpus=1,vcpus=2", /given twice/],
    ["vms=99999999999", /whole number/],
  ])("refuses %s with a message naming it", (raw, message) => {
    expect(() => parseQuotaSpec(raw)).toThrow(message);
  });
});

describe("isOverride", () => {
  it("is an override only when some limit goes above the defaults", () => {
    expect(isOverride({ ...DEFAULT_QUOTA, vms: 5 }, DEFAULT_QUOTA)).toBe(false);
    expect(isOverride(DEFAULT_QUOTA, DEFAULT_QUOTA)).toBe(false);
    expect(isOverride({ ...DEFAULT_QUOTA, vcpus: 33 }, DEFAULT_QUOTA)).toBe(true);
  });
});
