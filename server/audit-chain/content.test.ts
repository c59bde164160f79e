import { createHash, randomBytes } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canonicalRecord } from "./canonical";
import { recordMac } from "./chain";
import { chainDigestV2, CONTENT_FIELDS, decodeContent, encodeContent, recordOfContent } from "./content";
import { hmac32Matches, hmac32 } from "./keys";

/**
 * Chain format v2 (content.ts): the digest covers the record's columns as stored. Whatever an
 * attacker changes in one column, or moves between two, or in the chain entry's place, must
 * change the digest; and the record MAC (still over the canonical record) must change with any
 * field of the record. The digest is restated here from its definition, independently of the
 * reused buffers the verifier's code hashes in.
 */

const text = fc.oneof(fc.string(), fc.fullUnicodeString(), fc.constantFrom("", "\t", "\n", "\\N", "\\", "\u0000", "-1", "日本 😀"));
const nullable = fc.option(text, { nil: null });
const contentValues = fc.array(nullable, { minLength: CONTENT_FIELDS, maxLength: CONTENT_FIELDS });
const uuid = fc.uuid().map((u) => u.toLowerCase());
const place = fc.record({
  realmId: fc.option(uuid, { nil: null }),
  seq: fc.bigInt({ min: 1n, max: (1n << 63n) - 1n }),
  eventId: fc.bigInt({ min: 1n, max: (1n << 63n) - 1n }),
  previous: fc.uint8Array({ minLength: 32, maxLength: 32 }),
});

function reference(previous: Uint8Array, p: { realmId: string | null; seq: bigint; eventId: bigint }, values: (string | null)[]): string {
  const hash = createHash("sha256").update(previous).update("realmgate.audit.chain.v2");
  hash.update(Buffer.from([p.realmId === null ? 0 : 1]));
  hash.update(p.realmId === null ? Buffer.alloc(16) : Buffer.from(p.realmId.replace(/-/g, ""), "hex"));
  const u64 = Buffer.alloc(16);
  u64.writeBigUInt64BE(p.seq, 0);
  u64.writeBigUInt64BE(p.eventId, 8);
  hash.update(u64);
  for (const v of values) {
    const length = Buffer.alloc(4);
    if (v === null) {
      length.writeInt32BE(-1);
      hash.update(length);
    } else {
      const bytes = Buffer.from(v, "utf8");
      length.writeInt32BE(bytes.length);
      hash.update(length).update(bytes);
    }
  }
  return hash.digest("hex");
}

const digestOf = (p: { realmId: string | null; seq: bigint; eventId: bigint; previous: Uint8Array }, values: (string | null)[]) =>
  chainDigestV2(p.previous, { realmId: p.realmId, seq: p.seq, eventId: p.eventId, content: encodeContent(values) }).toString("hex");

describe("chain format v2: the digest over the stored content", () => {
  it("is SHA-256 of the previous digest, the v2 header and each column as a length and its UTF-8 bytes", () => {
    fc.assert(fc.property(place, contentValues, (p, values) => digestOf(p, values) === reference(p.previous, p, values)), { numRuns: 300 });
  });

  it("reads back every column exactly (NULL, empty, tabs, backslashes, astral characters)", () => {
    fc.assert(
      fc.property(contentValues, (values) => {
        expect(decodeContent(encodeContent(values))).toEqual(values);
      }),
      { numRuns: 300 },
    );
  });

  it("changes when any one column changes, NULL becomes empty, or bytes move between two neighbouring columns", () => {
    fc.assert(
      fc.property(place, contentValues, fc.nat({ max: CONTENT_FIELDS - 1 }), nullable, (p, values, i, replacement) => {
        const before = digestOf(p, values);
        if (replacement !== values[i]) {
          const changed = [...values];
          changed[i] = replacement;
          expect(digestOf(p, changed)).not.toBe(before);
        }
        const emptied = [...values];
        emptied[i] = values[i] === null ? "" : null;
        expect(digestOf(p, emptied)).not.toBe(before);
        // Move the last character of column i to the start of column i + 1.
        const left = values[i];
        if (i + 1 < CONTENT_FIELDS && left) {
          const moved = [...values];
          moved[i] = left.slice(0, -1);
          moved[i + 1] = left.slice(-1) + (values[i + 1] ?? "");
          expect(digestOf(p, moved)).not.toBe(before);
        }
      }),
      { numRuns: 500 },
    );
  });

  it("changes with the entry's place: chain, seq, event id and previous digest", () => {
    fc.assert(
      fc.property(place, place, contentValues, (p, q, values) => {
        const before = digestOf(p, values);
        if (p.realmId !== q.realmId) expect(digestOf({ ...p, realmId: q.realmId }, values)).not.toBe(before);
        if (p.seq !== q.seq) expect(digestOf({ ...p, seq: q.seq }, values)).not.toBe(before);
        if (p.eventId !== q.eventId) expect(digestOf({ ...p, eventId: q.eventId }, values)).not.toBe(before);
        if (Buffer.compare(p.previous, q.previous) !== 0) expect(digestOf({ ...p, previous: q.previous }, values)).not.toBe(before);
        // The platform's chain is not a realm whose id is all zeros.
        if (p.realmId === null) expect(digestOf({ ...p, realmId: "00000000-0000-0000-0000-000000000000" }, values)).not.toBe(before);
      }),
      { numRuns: 300 },
    );
  });

  it("a record's MAC changes with any field of the record read back from its content", () => {
    const key = randomBytes(32);
    const field = fc.constantFrom(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 14); // 12 is the MAC itself
    const record = fc.tuple(uuid, fc.option(uuid, { nil: null }), fc.string(), fc.string(), fc.jsonValue(), fc.integer({ min: 0, max: 4e12 }), fc.option(fc.bigInt({ min: 1n, max: 1n << 40n }), { nil: null }));
    fc.assert(
      fc.property(record, field, fc.string({ minLength: 1 }), ([realm, actor, action, reason, details, ms, parent], i, noise) => {
        const values: (string | null)[] = [realm, actor, null, action, "vm", "t", "allow", "trpc", reason, "req", JSON.stringify(details) ?? null, String(ms), null, parent === null ? null : parent.toString(), parent === null ? null : "applied"];
        const mac = (v: (string | null)[]) => recordMac(key, canonicalRecord(recordOfContent(v))).toString("hex");
        const before = mac(values);
        const changed = [...values];
        if (i === 10) changed[i] = JSON.stringify([details, noise]);
        else if (i === 11) changed[i] = String(ms + 1);
        else if (i === 13) changed[i] = String((parent ?? 0n) + 1n);
        else if (i === 0 || i === 1 || i === 2) changed[i] = changed[i] === realm ? null : realm;
        else if (i === 6) changed[i] = "deny";
        else changed[i] = `${values[i] ?? ""}${noise}`;
        expect(mac(changed)).not.toBe(before);
      }),
      { numRuns: 400 },
    );
  });

  it("the verifier's in-place tag check agrees with the tag", () => {
    const key = randomBytes(32);
    for (let i = 0; i < 100; i++) {
      const digest = randomBytes(32);
      const tag = hmac32(key, digest);
      expect(hmac32Matches(key, digest, tag)).toBe(true);
      tag[i % 32]! ^= 1;
      expect(hmac32Matches(key, digest, tag)).toBe(false);
    }
  });
});
