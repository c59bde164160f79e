import { timingSafeEqual } from "node:crypto";
import { RateLimiterMemory } from "rate-limiter-flexible";
import type { Db } from "../db/client";
import { DomainError } from "../errors";
import { hashSecret, parseToken, TOKEN_PREFIX } from "../policy/api-tokens";
import { PERMISSIONS, type Permission } from "../policy/permissions";
import { unsafeFindTokenForAuthentication, unsafeRecordTokenUse } from "../repositories/api-tokens";

/**
 * API tokens: a member's credential for scripts, narrower than the member (Keystone's
 * application credentials, Proxmox's privilege-separated tokens).
 *
 * Format (policy/api-tokens.ts): `rgt_<lookup id>_<secret>`; the lookup id finds the row and the
 * secret is compared against its SHA-256 in constant time.
 *
 * Threats: a stolen database (hashes only); a guessed token (lookup and secret are random); a
 * token used after its member lost access (the caller's rights are the token's permissions
 * intersected with the member's *current* role, resolved per request by realmProcedure); a token
 * hammering the API (a per-token rate limit); a token used from elsewhere (an optional CIDR range,
 * checked against the peer address: the last proxy hop behind REALMGATE_TRUST_PROXY, else the
 * loopback peer the web server is bound to).
 */

/** `Authorization: Bearer <token>` → the token string; anything else → null. */
export function bearerToken(headers: Headers): string | null {
  const value = headers.get("authorization");
  if (!value) return null;
  // A malformed header is still a bearer attempt (""): refused, never read as "no credential".
  return /^Bearer\s+(\S+)\s*$/i.exec(value)?.[1] ?? "";
}

/** What a request authenticated by a token carries through the procedure chain. */
export type TokenCaller = {
  id: string;
  name: string;
  realmId: string;
  orgSlug: string;
  permissions: readonly Permission[];
};

// Last use is recorded at most this often per token (and whenever the address changes): a busy
// script must not turn every read into a write.
const LAST_USE_GRANULARITY_MS = 60_000;

const UNKNOWN = "invalid API token: it does not exist or was revoked";

/**
 * The user and token behind a bearer token, or an error that says what is wrong (unknown or
 * revoked alike; expired with its date; another address). One query; the realm, the membership
 * and the member's current role are resolved afterwards by realmProcedure, as for a session.
 */
export async function authenticateToken(platform: Db, raw: string, peer: string | null, now = new Date()) {
  const parsed = parseToken(raw);
  if (!parsed) throw new DomainError("unauthorized", raw.startsWith(TOKEN_PREFIX) ? UNKNOWN : "Authorization must be 'Bearer rgt_…' (a Realmgate API token)");
  const row = await unsafeFindTokenForAuthentication(platform, parsed.lookupId, peer);
  const presented = Buffer.from(hashSecret(parsed.secret), "hex");
  // Compared even when no row matched, so the answer takes as long either way.
  const expected = row ? Buffer.from(row.secret_hash, "hex") : Buffer.alloc(presented.length);
  const secretMatches = timingSafeEqual(presented, expected) && row !== null;
  if (!row || !secretMatches || row.revoked_at) throw new DomainError("unauthorized", UNKNOWN);
  if (row.expires_at <= now) throw new DomainError("unauthorized", `API token '${row.name}' expired on ${row.expires_at.toISOString()}; create a new one`);
  // A peer that is not an address (none known) fails every range (address_ok is NULL).
  if (!row.address_ok) throw new DomainError("unauthorized", `API token '${row.name}' may not be used from ${peer ?? "an unknown address"}`);
  await throttle(row.id);
  if (!row.last_used_at || now.getTime() - row.last_used_at.getTime() >= LAST_USE_GRANULARITY_MS || row.last_used_address !== peer) {
    await unsafeRecordTokenUse(platform, row.id, now, peer);
  }
  const token: TokenCaller = {
    id: row.id,
    name: row.name,
    realmId: row.realm_id,
    orgSlug: row.org_slug,
    permissions: row.permissions.filter((p): p is Permission => (PERMISSIONS as readonly string[]).includes(p)),
  };
  // Tokens never carry platform-operator powers, whoever holds them.
  const user = { id: row.user_id, email: row.email, name: row.user_name, sessionEpoch: row.session_epoch, isPlatformOperator: false, sid: null };
  // The member's current membership in the token's organization, read in the same statement:
  // its role bounds the token on this very request (a demotion narrows it at once).
  const membership =
    row.role === null
      ? null
      : {
          role: row.role,
          org: {
            id: row.org_id,
            slug: row.org_slug,
            name: row.org_name,
            requireMfa: row.require_mfa,
            realm: row.org_realm_id === null ? null : { id: row.org_realm_id, categoryLow: row.category_low!, categoryHigh: row.category_high!, createdAt: row.realm_created_at! },
          },
        };
  return { user, token, membership };
}

/** Requests per token per minute (REALMGATE_TOKEN_RATE_LIMIT), per web process. */
export function tokenRateLimit(): number {
  const configured = Number(process.env.REALMGATE_TOKEN_RATE_LIMIT);
  return Number.isInteger(configured) && configured > 0 ? configured : 600;
}

let limiter: RateLimiterMemory | null = null;

async function throttle(tokenId: string): Promise<void> {
  limiter ??= new RateLimiterMemory({ points: tokenRateLimit(), duration: 60, keyPrefix: "api-token" });
  try {
    await limiter.consume(tokenId);
  } catch (rejection) {
    if (rejection instanceof Error) throw rejection;
    const retryAfter = Math.max(1, Math.ceil((rejection as { msBeforeNext: number }).msBeforeNext / 1000));
    throw new DomainError("rate_limited", `API token rate limit (${tokenRateLimit()} requests per minute) reached; retry in ${retryAfter} s`, { retryAfter });
  }
}
