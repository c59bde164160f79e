import { createHash, randomBytes } from "node:crypto";
import { isIP } from "node:net";

/**
 * The API token format (auth/api-tokens.ts checks tokens; services/api-tokens.ts mints them):
 * `rgt_<lookup id>_<secret>`. The prefix lets secret scanners find leaked tokens; the lookup id
 * (16 base32 characters, public: shown in lists) finds the row; the secret (32 base62
 * characters, 190 bits) is kept only as its SHA-256. A slow hash would add nothing for a random
 * secret of that size and would cost every request.
 */

export const TOKEN_PREFIX = "rgt_";
const LOOKUP_ALPHABET = "abcdefghijklmnopqrstuvwxyz234567";
const SECRET_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const LOOKUP_LENGTH = 16;
const SECRET_LENGTH = 32;
const TOKEN_PATTERN = new RegExp(`^${TOKEN_PREFIX}([${LOOKUP_ALPHABET}]{${LOOKUP_LENGTH}})_([A-Za-z0-9]{${SECRET_LENGTH}})$`);

/** Tokens live at most a year; the expiry is required. */
export const MAX_TOKEN_LIFETIME_DAYS = 366;

/** What a token's row says of it now: revoked wins over expired. */
export function tokenStatus(token: { revokedAt: Date | null; expiresAt: Date }, now: Date): "active" | "expired" | "revoked" {
  if (token.revokedAt) return "revoked";
  return token.expiresAt <= now ? "expired" : "active";
}

function randomString(alphabet: string, length: number): string {
  // Rejection sampling keeps every character uniform (no modulo bias).
  const limit = 256 - (256 % alphabet.length);
  let out = "";
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < limit && out.length < length) out += alphabet[byte % alphabet.length];
    }
  }
  return out;
}

export const hashSecret = (secret: string): string => createHash("sha256").update(secret).digest("hex");

/** A new token: the string shown once, and what is stored. */
export function mintToken(): { token: string; lookupId: string; secretHash: string } {
  const lookupId = randomString(LOOKUP_ALPHABET, LOOKUP_LENGTH);
  const secret = randomString(SECRET_ALPHABET, SECRET_LENGTH);
  return { token: `${TOKEN_PREFIX}${lookupId}_${secret}`, lookupId, secretHash: hashSecret(secret) };
}

export function parseToken(raw: string): { lookupId: string; secret: string } | null {
  const [, lookupId, secret] = TOKEN_PATTERN.exec(raw) ?? [];
  return lookupId && secret ? { lookupId, secret } : null;
}


/**
 * An address range for a token (`203.0.113.0/24`, `2001:db8::/32`, or one address), checked
 * here so the answer names the problem: host bits set, a prefix too long, not an address. The
 * database then stores PostgreSQL's own spelling of it (cidr::text). Stricter than PostgreSQL
 * (no abbreviated IPv4 such as 10/8, no zone ids): what passes, PostgreSQL accepts.
 */
export function checkCidr(value: string): { ok: true; range: string } | { ok: false; problem: string } {
  const [address = "", prefixText, ...rest] = value.trim().split("/");
  const family = address.includes("%") ? 0 : isIP(address);
  if (rest.length > 0 || family === 0) return { ok: false, problem: "it is not an IPv4 or IPv6 address or range" };
  const bits = family === 4 ? 32 : 128;
  if (prefixText !== undefined && !/^\d{1,3}$/.test(prefixText)) return { ok: false, problem: `the prefix length must be a number from 0 to ${bits}` };
  const prefix = prefixText === undefined ? bits : Number(prefixText);
  if (prefix > bits) return { ok: false, problem: `the prefix length must be a number from 0 to ${bits}` };
  const number = family === 4 ? ipv4ToBigInt(address) : ipv6ToBigInt(address);
  const hostMask = (1n << BigInt(bits - prefix)) - 1n;
  if ((number & hostMask) !== 0n) {
    const network = number & ~hostMask;
    return { ok: false, problem: `it has bits set to the right of the /${prefix} mask (the network is ${family === 4 ? bigIntToIpv4(network) : "its first address"}/${prefix})` };
  }
  return { ok: true, range: `${address}/${prefix}` };
}

const ipv4ToBigInt = (address: string): bigint => address.split(".").reduce((n, octet) => (n << 8n) | BigInt(Number(octet)), 0n);
const bigIntToIpv4 = (n: bigint): string => [24n, 16n, 8n, 0n].map((shift) => Number((n >> shift) & 255n)).join(".");

function ipv6ToBigInt(address: string): bigint {
  // An embedded IPv4 tail (::ffff:192.0.2.1) is two 16-bit groups.
  const lastColon = address.lastIndexOf(":");
  const tail = address.slice(lastColon + 1);
  const text = tail.includes(".") ? `${address.slice(0, lastColon + 1)}${(Number(ipv4ToBigInt(tail) >> 16n)).toString(16)}:${(Number(ipv4ToBigInt(tail) & 0xffffn)).toString(16)}` : address;
  const [head = "", rest] = text.split("::");
  const left = head ? head.split(":") : [];
  const right = rest ? rest.split(":") : [];
  const groups = rest === undefined ? left : [...left, ...Array<string>(8 - left.length - right.length).fill("0"), ...right];
  return groups.reduce((n, group) => (n << 16n) | BigInt(parseInt(group, 16)), 0n);
}
