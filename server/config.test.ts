import { describe, expect, it } from "vitest";
import { parsePgSettings } from "./config";

describe("REALMGATE_PG_SETTINGS", () => {
  it("is name=value pairs separated by spaces, and a value may hold commas", () => {
    expect(parsePgSettings(undefined)).toEqual([]);
    expect(parsePgSettings("  ")).toEqual([]);
    expect(parsePgSettings(" shared_buffers=512MB  shared_preload_libraries=pg_stat_statements,auto_explain ")).toEqual([
      "shared_buffers=512MB",
      "shared_preload_libraries=pg_stat_statements,auto_explain",
    ]);
  });

  it("names the variable and the item that is not a setting (no flag or option can ride along)", () => {
    expect(() => parsePgSettings("shared_buffers")).toThrow("REALMGATE_PG_SETTINGS: 'shared_buffers' is not name=value");
    expect(() => parsePgSettings("-D=/tmp")).toThrow("'-D=/tmp' is not name=value");
    expect(() => parsePgSettings("a=b=c")).toThrow("'a=b=c' is not name=value");
  });
});
