import type { Db } from "../db/client";
import type { LiveSessionUser, SessionMembership } from "./sessions";

/**
 * Realm requests' identities, kept briefly in memory (issue 12: reading the session, user and
 * membership was one statement, and a quarter of a realm request's cost). An entry is only ever
 * used together with `memberAccessCheck` (repositories/sessions.ts): the realm transaction
 * re-asserts it in its first message, so a revoked session, a removed or demoted member or a
 * bumped epoch is refused at the next request exactly as without the cache, and the request is
 * then decided on a fresh read. The memory is a hint, never the authority.
 *
 * Bounded: at most MAX_ENTRIES (oldest dropped first), each for at most TTL_MS; an entry is
 * skipped when the session is due for its last-seen touch, so the touch still happens.
 */
const MAX_ENTRIES = 10_000;
const TTL_MS = 60_000;

export type CachedIdentity = { user: LiveSessionUser; membership: NonNullable<SessionMembership> };
type Entry = CachedIdentity & { sessionExpiresAt: number; touchDueAt: number; cachedAt: number };

const globalForCache = globalThis as unknown as { realmgateIdentityCaches?: WeakMap<Db, Map<string, Entry>> };
const caches = (globalForCache.realmgateIdentityCaches ??= new WeakMap());

const keyOf = (sid: string, orgSlug: string | null) => `${sid}\u0000${orgSlug ?? ""}`;

function cacheOf(db: Db): Map<string, Entry> {
  let cache = caches.get(db);
  if (!cache) caches.set(db, (cache = new Map()));
  return cache;
}

/** The identity a claim had at its last read, if it may be used now (with the check). */
export function recalledIdentity(db: Db, claim: { id: string; sid?: string; epoch?: number }, orgSlug: string | null, now: number): CachedIdentity | null {
  if (!claim.sid) return null;
  const cache = cacheOf(db);
  const key = keyOf(claim.sid, orgSlug);
  const entry = cache.get(key);
  if (!entry) return null;
  if (now - entry.cachedAt >= TTL_MS || now >= entry.sessionExpiresAt || now >= entry.touchDueAt || entry.user.id !== claim.id || entry.user.sessionEpoch !== claim.epoch) {
    cache.delete(key);
    return null;
  }
  return { user: entry.user, membership: entry.membership };
}

/** Keeps a freshly read identity (only one that resolves a realm: the rest is never cached). */
export function rememberIdentity(db: Db, orgSlug: string | null, identity: CachedIdentity, session: { expiresAt: Date; touchDueAt: number }, now: number): void {
  if (!identity.membership.org.realm) return;
  const cache = cacheOf(db);
  if (cache.size >= MAX_ENTRIES) cache.delete(cache.keys().next().value!);
  cache.set(keyOf(identity.user.sid, orgSlug), { ...identity, sessionExpiresAt: session.expiresAt.getTime(), touchDueAt: session.touchDueAt, cachedAt: now });
}

/** Drops what is known of a session (its check failed, or it ended). */
export function forgetIdentity(db: Db, sid: string): void {
  const cache = cacheOf(db);
  for (const key of cache.keys()) if (key.startsWith(`${sid}\u0000`)) cache.delete(key);
}
