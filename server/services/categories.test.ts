import { describe, expect, it } from "vitest";
import { drawPair, pairCount, parseRange, validateRange } from "./categories";

describe("sVirt category pairs", () => {
  it("always draws two distinct categories, low < high, inside the range", () => {
    const range = { min: 10, max: 17 };
    for (let i = 0; i < 5_000; i++) {
      const { categoryLow, categoryHigh } = drawPair(range);
      expect(categoryLow).toBeLessThan(categoryHigh);
      expect(categoryLow).toBeGreaterThanOrEqual(10);
      expect(categoryHigh).toBeLessThanOrEqual(17);
    }
  });

  it("reaches every pair of a small range", () => {
    const range = { min: 0, max: 7 };
    const seen = new Set<string>();
    for (let i = 0; i < 20_000; i++) {
      const p = drawPair(range);
      seen.add(`${p.categoryLow},${p.categoryHigh}`);
    }
    expect(seen.size).toBe(pairCount(range));
    expect(pairCount(range)).toBe(28);
  });

  it("parses the platform range and refuses ranges that are too small or out of bounds", () => {
    expect(parseRange(undefined)).toEqual({ min: 0, max: 1023 });
    expect(parseRange("c100..c107")).toEqual({ min: 100, max: 107 });
    expect(() => parseRange("c0..c6")).toThrow(/at least 8 categories/);
    expect(() => parseRange("c0..c2000")).toThrow(/within c0..c1023/);
    expect(() => parseRange("0-1023")).toThrow(/must look like c0..c1023/);
    expect(() => validateRange({ min: -1, max: 10 })).toThrow();
  });
});
