import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

/**
 * Authenticates worker → agent calls with the host's own secret. Threats: anyone on the machine
 * calling the hypervisor, and anyone who captured one signed request replaying it. Each agent
 * knows only its own host's secret; the worker derives every host's secret from the platform
 * master secret.
 *
 * The HMAC covers the method, the path *with its query string*, the timestamp, a random nonce
 * and the body, so no part of what the agent acts on can be changed. A request older (or newer)
 * than the window is refused; inside the window the agent remembers every nonce it accepted
 * (NonceCache) and refuses a second use: one signed request is accepted at most once.
 */

export const SIGNATURE_HEADER = "x-realmgate-signature";
export const TIMESTAMP_HEADER = "x-realmgate-timestamp";
export const NONCE_HEADER = "x-realmgate-nonce";
export const REPLAY_WINDOW_MS = 60_000;

/** 128 random bits as hex; anything else is refused before the cache sees it. */
const NONCE_PATTERN = /^[0-9a-f]{32}$/;

export type SignedParts = {
  method: string;
  /** The request target as sent: path and query string (`/v1/status?verbose=1`). */
  pathAndQuery: string;
  timestamp: string;
  nonce: string;
  body: string;
};

export function deriveHostSecret(masterSecret: string, hostName: string): string {
  return createHmac("sha256", masterSecret).update(`realmgate-host:${hostName}`).digest("hex");
}

export function newNonce(): string {
  return randomBytes(16).toString("hex");
}

export function sign(secret: string, parts: SignedParts): string {
  const { method, pathAndQuery, timestamp, nonce, body } = parts;
  return createHmac("sha256", secret).update(`${method}\n${pathAndQuery}\n${timestamp}\n${nonce}\n${body}`).digest("hex");
}

/** The three headers of a signed request, with a fresh nonce. */
export function signedHeaders(
  secret: string,
  request: { method: string; pathAndQuery: string; body: string },
  now = Date.now(),
  nonce = newNonce(),
): Record<string, string> {
  const timestamp = String(now);
  return {
    [TIMESTAMP_HEADER]: timestamp,
    [NONCE_HEADER]: nonce,
    [SIGNATURE_HEADER]: sign(secret, { ...request, timestamp, nonce }),
  };
}

export type VerifyRequest = {
  method: string;
  pathAndQuery: string;
  timestamp: string | undefined;
  nonce: string | undefined;
  signature: string | undefined;
  body: string;
};

/** Signature and freshness only; the caller then claims the nonce (NonceCache.claim). */
export function verify(secret: string, request: VerifyRequest, now = Date.now()): { ok: true; timestamp: number } | { ok: false; reason: string } {
  if (!request.signature || !request.timestamp) return { ok: false, reason: "missing signature" };
  if (!request.nonce || !NONCE_PATTERN.test(request.nonce)) return { ok: false, reason: "missing nonce" };
  const ts = Number(request.timestamp);
  if (!Number.isFinite(ts) || Math.abs(now - ts) > REPLAY_WINDOW_MS) return { ok: false, reason: "stale timestamp" };
  const expected = Buffer.from(
    sign(secret, { method: request.method, pathAndQuery: request.pathAndQuery, timestamp: request.timestamp, nonce: request.nonce, body: request.body }),
    "hex",
  );
  const given = Buffer.from(request.signature, "hex");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { ok: false, reason: "bad signature" };
  }
  return { ok: true, timestamp: ts };
}

/**
 * The nonces one agent accepted inside the replay window. A nonce must be remembered until its
 * timestamp leaves the window (timestamp + window); after that the timestamp check refuses the
 * request anyway. A cache starts empty, so it cannot know what was accepted before it existed:
 * it refuses requests signed before it started (a request captured before an agent restart
 * cannot be replayed after it). Bounded: when full of unexpired nonces it refuses new requests
 * ("full") rather than forget one that could still be replayed. The default bound (200,000
 * entries, ≈ 20 MB) is over 3,000 requests per second sustained for the whole window, far above
 * what the worker sends one host.
 */
export class NonceCache {
  private readonly expiries = new Map<string, number>();
  private readonly maxEntries: number;
  private readonly windowMs: number;
  private readonly startedAt: number;

  constructor(options: { maxEntries?: number; windowMs?: number; startedAt?: number } = {}) {
    this.maxEntries = options.maxEntries ?? 200_000;
    this.windowMs = options.windowMs ?? REPLAY_WINDOW_MS;
    this.startedAt = options.startedAt ?? Date.now();
  }

  get size(): number {
    return this.expiries.size;
  }

  /**
   * Claims a verified request's nonce: "ok" the first time, "replayed" after (or when signed
   * before this cache started), "full" when there is no room.
   */
  claim(nonce: string, timestamp: number, now = Date.now()): "ok" | "replayed" | "full" {
    if (timestamp < this.startedAt) return "replayed";
    this.sweep(now, false);
    const expiry = this.expiries.get(nonce);
    if (expiry !== undefined && expiry > now) return "replayed";
    if (this.expiries.size >= this.maxEntries) {
      this.sweep(now, true);
      if (this.expiries.size >= this.maxEntries) return "full";
    }
    this.expiries.set(nonce, timestamp + this.windowMs);
    return "ok";
  }

  /**
   * Drops expired nonces. Insertion order is roughly expiry order, so the cheap pass stops at
   * the first live entry; the full pass (only when the cache is full) looks at every entry.
   */
  private sweep(now: number, full: boolean): void {
    for (const [nonce, expiry] of this.expiries) {
      if (expiry <= now) this.expiries.delete(nonce);
      else if (!full) return;
    }
  }
}
