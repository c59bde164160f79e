import { describe, expect, it } from "vitest";
import { z } from "zod";
import { createVmInput } from "./vm";

const templateId = "0b6f4f1e-9a5c-4a8e-9d3e-2f1b3c4d5e6f";
const errors = (input: unknown) => {
  const result = createVmInput.safeParse(input);
  return result.success ? {} : z.flattenError(result.error).fieldErrors;
};

describe("createVmInput", () => {
  it("accepts a valid request", () => {
    expect(errors({ name: "web-1", templateId, memoryMb: 1024, vcpus: 2 })).toEqual({});
  });
  it.each([
    [{ name: "" }, "name", "name must not be empty"],
    [{ name: "1web" }, "name", "name must start with a letter and use only a-z, 0-9 and '-'"],
    [{ name: "web-" }, "name", "name must not end with '-'"],
    [{ memoryMb: 64 }, "memoryMb", "memoryMb must be at least 128"],
    [{ memoryMb: "lots" }, "memoryMb", "memoryMb must be a number"],
    [{ vcpus: 1.5 }, "vcpus", "vcpus must be a whole number"],
    [{ templateId: "x" }, "templateId", "must be a valid id"],
  ])("%j → %s: %s", (over, field, message) => {
    expect(errors({ name: "web-1", templateId, ...over })).toMatchObject({ [field]: [message] });
  });
  it("refuses unknown keys such as realmId (mass assignment)", () => {
    expect(createVmInput.safeParse({ name: "web-1", templateId, realmId: templateId }).success).toBe(false);
  });
});
