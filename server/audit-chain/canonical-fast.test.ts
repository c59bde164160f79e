import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canonicalJson } from "./canonical";

/**
 * canonicalJson hands plain JSON data to the native JSON.stringify once its keys are sorted (the
 * verifier's hot path). The MACs of every record ever written depend on its output, so it must
 * write byte for byte what the plain recursive form writes: that form is restated here.
 */
function reference(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "null";
  if (typeof value === "boolean") return value ? "true" : "false";
  if (value === null || typeof value !== "object") return "null";
  if (Array.isArray(value)) return `[${value.map((v: unknown) => (v === undefined || typeof v === "function" ? "null" : reference(v))).join(",")}]`;
  const object = value as Record<string, unknown>;
  const keys = Object.keys(object).sort();
  return `{${keys.filter((k) => object[k] !== undefined && typeof object[k] !== "function").map((k) => `${JSON.stringify(k)}:${reference(object[k])}`).join(",")}}`;
}

describe("canonicalJson's native fast path", () => {
  it.each([
    ["array-index keys out of string order", JSON.parse('{"10":1,"9":2,"a":3}') as unknown],
    ["a __proto__ key as JSON.parse makes it", JSON.parse('{"b":1,"__proto__":{"z":1,"a":2}}') as unknown],
    ["sorted outer object with an unsorted inner one", { a: [{ z: 1, y: [{ d: 1, c: 2 }] }], b: { y: 1, x: 2 } }],
    ["jsonb's order (by length, then bytes)", JSON.parse('{"z": 1, "aa": {"b": 1, "a": 2}, "ccc": [3, {"y": 0, "x": -0}]}') as unknown],
    ["keys past the BMP and just below it (UTF-16 order)", JSON.parse('{"\uffff":1,"\ud83d\ude00":2,"a":3}') as unknown],
    ["non-plain values (Date, undefined) through the general walk", { d: new Date(0), u: undefined, list: [undefined, 1] }],
  ])("writes what the recursive form writes: %s", (_name, value) => {
    expect(canonicalJson(value)).toBe(reference(value));
  });

  it("writes what the recursive form writes for any JSON value, parsed or built", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(canonicalJson(value)).toBe(reference(value));
        expect(canonicalJson(JSON.parse(JSON.stringify(value)))).toBe(reference(JSON.parse(JSON.stringify(value))));
      }),
      { numRuns: 2_000 },
    );
  });

  it("does not change the value it is given", () => {
    const value = JSON.parse('{"b":{"d":1,"c":[{"f":1,"e":2}]},"a":1}') as unknown;
    const before = JSON.stringify(value);
    canonicalJson(value);
    expect(JSON.stringify(value)).toBe(before);
  });
});
