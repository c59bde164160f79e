import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { API_TYPES_FILE, generateApiTypes } from "../../scripts/api-types";

/** The CLI's committed types match the OpenAPI document the server serves today. */
describe("server/cli/api-types.ts", () => {
  it("is what openapi-typescript generates from the current OpenAPI document (else: run npm run api:types)", async () => {
    const committed = readFileSync(fileURLToPath(API_TYPES_FILE), "utf8");
    const fresh = await generateApiTypes();
    // One line, not a 3,000-line diff: the fix is always the same command.
    expect(committed === fresh, "server/cli/api-types.ts is stale: run npm run api:types").toBe(true);
  }, 60_000);
});
