import { createHash, createHmac, randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { chainDigest, chainTag, GENESIS_DIGEST } from "./chain";
import { canonicalChainEntry } from "./canonical";
import { hmac, hmac32 } from "./keys";

/**
 * The verifier's HMAC and digest run over one-shot hashes and a reused buffer (keys.ts, chain.ts).
 * Every MAC and tag already stored was made by createHmac: the two must agree on every input.
 */
describe("the audit trail's one-shot HMAC-SHA256 and chain digest", () => {
  const keys = [randomBytes(32), Buffer.alloc(0), randomBytes(64), randomBytes(100)];
  const messages = ["", "a", "日本語 é \u2028 😀", "x".repeat(5000), "\u0000\ud83d", Buffer.from([0, 255, 10]), randomBytes(9000)];

  it("gives createHmac's MAC for short, long, unicode and binary messages under keys of every length", () => {
    for (const key of keys) for (const message of messages) expect(hmac(key, message).toString("hex")).toBe(createHmac("sha256", key).update(message).digest("hex"));
  });

  it("the chain tag (two JavaScript SHA-256 blocks from the key's midstates) is createHmac's over the 32-byte digest", () => {
    for (const key of keys) {
      for (let i = 0; i < 200; i++) {
        const digest = randomBytes(32);
        const expected = createHmac("sha256", key).update(digest).digest("hex");
        expect(hmac32(key, digest).toString("hex")).toBe(expected);
        expect(chainTag(key, digest).toString("hex")).toBe(expected);
        // A view into a larger buffer, as the verifier's rows hold it.
        const wide = Buffer.concat([randomBytes(7), digest, randomBytes(5)]);
        expect(chainTag(key, wide.subarray(7, 39)).toString("hex")).toBe(expected);
      }
      expect(hmac32(key, Buffer.alloc(5, 1)).toString("hex")).toBe(createHmac("sha256", key).update(Buffer.alloc(5, 1)).digest("hex"));
    }
  });

  it("a MAC of a long message does not leak into the next, short one (the buffer is reused)", () => {
    const key = randomBytes(32);
    hmac(key, "y".repeat(20_000));
    expect(hmac(key, "short").toString("hex")).toBe(createHmac("sha256", key).update("short").digest("hex"));
  });

  it("the chain digest is SHA-256 of the previous digest and the canonical entry", () => {
    for (const record of ["r", "日本 😀\n{\"a\":1}", "z".repeat(7000)]) {
      const entry = { realmId: null, seq: 3n, eventId: 9n, record, mac: randomBytes(32) };
      const previous = randomBytes(32);
      expect(chainDigest(previous, entry).toString("hex")).toBe(createHash("sha256").update(previous).update(canonicalChainEntry(entry)).digest("hex"));
      expect(chainDigest(GENESIS_DIGEST, entry).toString("hex")).toBe(createHash("sha256").update(GENESIS_DIGEST).update(canonicalChainEntry(entry)).digest("hex"));
    }
  });
});
