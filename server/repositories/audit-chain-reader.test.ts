import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { balancedParts, chainPartition } from "./audit-chain-reader";

/**
 * Parallel verification splits the chains between threads: by the chains' lengths when known
 * (balancedParts), and every chain, known or not, lands in exactly one part.
 */
describe("splitting the chains between verification threads", () => {
  it("balances known chains by length, longest first", () => {
    const heads = [
      { realmId: randomUUID(), seq: 900n },
      { realmId: randomUUID(), seq: 500n },
      { realmId: randomUUID(), seq: 400n },
      { realmId: null, seq: 100n },
    ];
    const assigned = balancedParts(heads, 2);
    const load = [0n, 0n];
    for (const h of heads) load[chainPartition(h.realmId, { of: 2, assigned })]! += h.seq;
    expect(load.sort((a, b) => Number(a - b))).toEqual([900n, 1000n]);
  });

  it("places every chain in exactly one part, including chains the assignment does not name and out-of-range entries", () => {
    const assigned = { ...balancedParts([{ realmId: randomUUID(), seq: 5n }], 3), [randomUUID()]: 7, platform: 2 };
    for (let i = 0; i < 200; i++) {
      const realmId = i === 0 ? null : randomUUID();
      const part = chainPartition(realmId, { of: 3, assigned });
      expect(part).toBeGreaterThanOrEqual(0);
      expect(part).toBeLessThan(3);
      expect(chainPartition(realmId?.toUpperCase() ?? null, { of: 3, assigned })).toBe(part);
    }
    expect(chainPartition(null, { of: 3, assigned })).toBe(2);
  });
});
