import { describe, expect, it } from "vitest";
import { createHash } from "node:crypto";
import { canonicalChainEntry, canonicalJson, canonicalRecord, normalizeDetails } from "./canonical";
import { chainDigest } from "./chain";
import { signCheckpoint, checkCheckpoint } from "./checkpoint";
import { deriveAuditKeys } from "./keys";

describe("canonical audit forms", () => {
  it.each([
    ["sorts keys at every depth", { b: 1, a: { d: [{ z: 1, y: 2 }], c: null } }, '{"a":{"c":null,"d":[{"y":2,"z":1}]},"b":1}'],
    ["writes numbers as the double they parse to (1.0, 1e21, -0)", [1.0, 1e21, -0, 0.1 + 0.2], "[1,1e+21,0,0.30000000000000004]"],
    ["keeps unicode as characters, escaping what JSON must", { "é": "日本\u2028\"" }, '{"é":"日本\u2028\\""}'],
    ["drops undefined members as JSON does", { a: undefined, b: [undefined] }, '{"b":[null]}'],
  ])("%s", (_name, value, expected) => {
    expect(canonicalJson(normalizeDetails(value))).toBe(expected);
  });

  it("gives the same form for a value and for its jsonb reading (keys reordered, numbers reformatted)", () => {
    const written = { z: { b: 1.0, a: 1e21 }, list: [-0, 2.50] };
    // What PostgreSQL hands back for it: keys by length then bytes, 1e21 spelled out.
    const readBack = JSON.parse('{"z": {"a": 1000000000000000000000, "b": 1}, "list": [0, 2.5]}');
    expect(canonicalJson(readBack)).toBe(canonicalJson(normalizeDetails(written)));
  });

  it("covers every content column and the time to the millisecond", () => {
    const base = { realmId: "A0000000-0000-4000-8000-000000000000", actorId: null, actorTokenId: null, action: "vm.start", targetType: "vm", targetId: "x", decision: "allow" as const, layer: "trpc", reason: "r", requestId: "q", details: null, createdAt: new Date(1_000) };
    const one = canonicalRecord(base);
    expect(canonicalRecord({ ...base, realmId: base.realmId.toLowerCase() })).toBe(one);
    for (const change of [{ reason: "s" }, { targetId: null }, { decision: "deny" as const }, { details: {} }, { createdAt: new Date(1_001) }, { actorTokenId: base.realmId }]) {
      expect(canonicalRecord({ ...base, ...change })).not.toBe(one);
    }
  });
});

describe("chain digest", () => {
  it("hashes exactly the canonical entry after the previous digest", () => {
    const entry = { realmId: null, seq: 7n, eventId: 42n, record: canonicalRecord({ realmId: null, actorId: null, actorTokenId: null, action: "a", targetType: "t", targetId: null, decision: "deny", layer: "audit", reason: "r", requestId: "q", details: { x: 1 }, createdAt: new Date(5) }), mac: Buffer.alloc(32, 1) };
    const previous = Buffer.alloc(32, 2);
    const expected = createHash("sha256").update(Buffer.concat([previous, Buffer.from(canonicalChainEntry(entry))])).digest();
    expect(chainDigest(previous, entry).equals(expected)).toBe(true);
  });
});

describe("audit keys", () => {
  it("derive deterministically from the secret, distinct per purpose", () => {
    const a = deriveAuditKeys("a-secret-of-enough-length");
    const b = deriveAuditKeys("a-secret-of-enough-length");
    expect(a.publicKeyRaw.equals(b.publicKeyRaw)).toBe(true);
    expect(a.record.equals(b.record)).toBe(true);
    expect(a.record.equals(a.chain)).toBe(false);
    expect(deriveAuditKeys("another-secret-of-enough-length").publicKeyRaw.equals(a.publicKeyRaw)).toBe(false);
  });

  it("sign checkpoints that verify with the raw public key, and refuse an altered one or another key", () => {
    const keys = deriveAuditKeys("a-secret-of-enough-length");
    const checkpoint = signCheckpoint(keys, [{ realmId: null, seq: "3", eventId: "9", digest: "ab".repeat(32) }]);
    expect(checkCheckpoint(checkpoint, keys.publicKeyRaw)).toMatchObject({ ok: true });
    expect(checkCheckpoint({ ...checkpoint, chains: [{ ...checkpoint.chains[0]!, seq: "4" }] }, keys.publicKeyRaw)).toMatchObject({ ok: false, reason: expect.stringMatching(/signature/) });
    expect(checkCheckpoint(checkpoint, deriveAuditKeys("another-secret-of-enough-length").publicKeyRaw)).toMatchObject({ ok: false, reason: expect.stringMatching(/another key/) });
  });
});
