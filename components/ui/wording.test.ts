import { describe, expect, it } from "vitest";
import { roleInWords } from "./role-words";
import { FIELD_WORDING, fieldErrorsOf, sayAmount, sayError, sayFieldError, sayReason } from "./wording";

describe("field errors in words", () => {
  it.each([
    ["memoryMb", "memoryMb must be at most 262144 (256 GiB)", "Memory must be at most 256 GiB"],
    ["memoryMb", "memoryMb must be at least 128", "Memory must be at least 128 MiB"],
    ["memoryMb", "memoryMb must be a number", "Memory must be a number"],
    ["memoryMb", "memoryMb must be a whole number of MiB", "Memory must be a whole number of MiB"],
    ["vcpus", "vcpus must be at most 64", "vCPUs must be at most 64"],
    ["vcpus", "vcpus must be at least 1", "vCPUs must be at least 1"],
    ["sizeGb", "sizeGb must be at least 1", "Size must be at least 1 GiB"],
    ["sizeGb", "sizeGb must be at most 16384", "Size must be at most 16 TiB"],
    ["name", "name must start with a letter and use only a-z, 0-9 and '-'", "Name must start with a letter and use only a-z, 0-9 and '-'"],
    ["name", "name must be at most 63 characters", "Name must be at most 63 characters"],
    ["name", "name: a VM with this name already exists in your realm", "Name: a VM with this name already exists in your realm"],
    ["templateId", "must be a valid id", "Template must be a valid id"],
    ["templateId", "templateId: no such template", "Template: no such template"],
    ["memoryMb", "invalid input: expected number", "Memory: invalid input: expected number"],
    ["name", "Acme Corp uses 2 of 2 VMs; this VM needs 1", "Acme Corp uses 2 of 2 VMs; this VM needs 1"],
  ])("%s: %j reads %j", (field, message, said) => {
    expect(sayFieldError(field, message)).toBe(said);
  });

  it("leaves a field it has no words for as the API said it", () => {
    expect(sayFieldError("somethingNew", "somethingNew must be x")).toBe("somethingNew must be x");
  });

  it("never lets an API field name through for the fields the VM, disk and network forms send", () => {
    for (const field of ["name", "templateId", "memoryMb", "vcpus", "sizeGb", "destinationHostId"]) {
      const said = sayFieldError(field, `${field} must be at least 1`);
      expect(said).not.toContain(field === "name" ? "name must" : field);
      expect(said.startsWith(FIELD_WORDING[field]!.label)).toBe(true);
    }
  });

  it("says amounts in the largest unit that keeps them whole", () => {
    expect(sayAmount(262_144, "MiB")).toBe("256 GiB");
    expect(sayAmount(1_536, "MiB")).toBe("1536 MiB");
    expect(sayAmount(1_024, "GiB")).toBe("1 TiB");
    expect(sayAmount(1, "days")).toBe("1 day");
  });
});

describe("a failed call in one line", () => {
  it("words every field error of a BAD_REQUEST and joins them", () => {
    const error = { message: "invalid input", data: { fieldErrors: { memoryMb: ["memoryMb must be at most 262144 (256 GiB)"], vcpus: ["vcpus must be at least 1"] } } };
    expect(sayError(error)).toBe("Memory must be at most 256 GiB; vCPUs must be at least 1");
    expect(fieldErrorsOf(error)).toEqual({ memoryMb: ["Memory must be at most 256 GiB"], vcpus: ["vCPUs must be at least 1"] });
  });

  it("words a domain error that names its field, and keeps other messages", () => {
    expect(sayError({ message: "name: a VM with this name already exists in your realm" })).toBe("Name: a VM with this name already exists in your realm");
    expect(sayError({ message: "cannot start a VM that is running (allowed when stopped)", data: null })).toBe("cannot start a VM that is running (allowed when stopped)");
  });

  it("has no field errors for an answer without data", () => {
    expect(fieldErrorsOf(null)).toEqual({});
    expect(fieldErrorsOf(new Error("network"))).toEqual({});
  });
});

describe("state reasons in words", () => {
  it("words the field a host refused in a failed resize, and leaves other reasons alone", () => {
    expect(sayReason("resize failed: EINVAL: vcpus: at most 1 while the domain runs (its max_vcpus); stop it to add more")).toBe(
      "resize failed: vCPUs: at most 1 while the domain runs (its max_vcpus); stop it to add more",
    );
    expect(sayReason("resize failed: EINVAL: memoryMb: at most 512 MiB while the domain runs (its maxmem)")).toBe("resize failed: Memory: at most 512 MiB while the domain runs (its maxmem)");
    expect(sayReason("retrying start: host-a: connection refused")).toBe("retrying start: host-a: connection refused");
  });
});

describe("roles in words", () => {
  it("keeps owner, admin and viewer, and never says a bare 'operator' for the tenant role", () => {
    expect(["owner", "admin", "operator", "viewer"].map(roleInWords)).toEqual(["owner", "admin", "VM operator", "viewer"]);
  });
});

describe("the newer forms' errors in words (tokens, console, snapshots)", () => {
  it.each([
    ["allowedCidr", "allowedCidr must be at most 64 characters", "Client address range must be at most 64 characters"],
    ["permissions", "permissions must name at least one permission", "Permissions must name at least one permission"],
    ["expiresAt", "expiresAt must be an ISO 8601 date-time", "Expiry date must be an ISO 8601 date-time"],
    ["expiresInDays", "expiresInDays must be at most 366", "Expiry must be at most 366 days"],
    ["expiresInDays", "give exactly one of expiresInDays or expiresAt (a token must expire)", "Expiry: give exactly one of expiry or expiry date (a token must expire)"],
    ["data", "data must not be empty", "Console input must not be empty"],
    ["snapshotId", "snapshotId: no such snapshot", "Snapshot: no such snapshot"],
  ])("%s: %j reads %j", (field, message, said) => {
    expect(sayFieldError(field, message)).toBe(said);
  });

  it("no camelCase API field name survives in a worded message about a field it knows", () => {
    for (const [field, message] of [
      ["expiresInDays", "give exactly one of expiresInDays or expiresAt"],
      ["destinationHostId", "destinationHostId must differ from the VM's host"],
      ["memoryMb", "memoryMb must be at most 4096 while vcpus is 1"],
    ] as const) {
      expect(sayFieldError(field, message)).not.toMatch(/\b[a-z]+[A-Z][A-Za-z]*\b/);
    }
  });
});
