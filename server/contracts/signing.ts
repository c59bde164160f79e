import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * Authenticates worker → agent calls with the host's own secret: an HMAC over the method, path,
 * timestamp and body. Each agent knows only its own host's secret; the worker derives every
 * host's secret from the platform master secret. A request older than the window is refused, so
 * a captured request cannot be replayed later.
 */

export const SIGNATURE_HEADER = "x-realmgate-signature";
export const TIMESTAMP_HEADER = "x-realmgate-timestamp";
export const REPLAY_WINDOW_MS = 60_000;

export function deriveHostSecret(masterSecret: string, hostName: string): string {
  return createHmac("sha256", masterSecret).update(`realmgate-host:${hostName}`).digest("hex");
}

export function sign(secret: string, method: string, path: string, timestamp: string, body: string): string {
  return createHmac("sha256", secret).update(`${method}\n${path}\n${timestamp}\n${body}`).digest("hex");
}

export function verify(
  secret: string,
  request: { method: string; path: string; timestamp: string | undefined; signature: string | undefined; body: string },
  now = Date.now(),
): { ok: true } | { ok: false; reason: string } {
  if (!request.signature || !request.timestamp) return { ok: false, reason: "missing signature" };
  const ts = Number(request.timestamp);
  if (!Number.isFinite(ts) || Math.abs(now - ts) > REPLAY_WINDOW_MS) return { ok: false, reason: "stale timestamp" };
  const expected = Buffer.from(sign(secret, request.method, request.path, request.timestamp, request.body), "hex");
  const given = Buffer.from(request.signature, "hex");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { ok: false, reason: "bad signature" };
  }
  return { ok: true };
}
