import { createHash, randomUUID } from "node:crypto";
import { RateLimiterPostgres, type RateLimiterRes } from "rate-limiter-flexible";
import type { Db } from "../db/client";
import { recordDecision } from "../repositories/audit";
import { THROTTLE_TABLE, throttleStoreClient } from "../repositories/sign-in-throttle";

/**
 * Sign-in throttling (threat: password guessing, against one account or across many from one
 * client). Failures are counted per account (the normalized email, whether or not an account
 * has it) and per client address; at a scope's threshold the key is locked for 30 s, and each
 * further lockout within a day doubles it, up to 15 minutes. A locked request is answered 429
 * with Retry-After before any account is looked up or any password checked, so an unknown
 * email and a known one get the same status, body, headers and timing, locked or not. A
 * successful sign-in clears the account's counters (not the client's: one valid account must
 * not buy unlimited guesses at others). Each lockout (not each refused attempt) is audited.
 * Counters live in PostgreSQL (rate-limiter-flexible, table sign_in_throttle), shared by every
 * web process and surviving restarts.
 */

export type ThrottleScope = "account" | "client";

export const THROTTLE_RULES: Record<ThrottleScope, { failures: number }> = {
  account: { failures: 5 },
  client: { failures: 20 },
};
/** Failures older than this are forgotten; lockouts within LOCKOUT_MEMORY_S make the next one longer. */
const FAILURE_WINDOW_S = 15 * 60;
const LOCKOUT_MEMORY_S = 24 * 60 * 60;
export const FIRST_LOCKOUT_S = 30;
export const MAX_LOCKOUT_S = 15 * 60;

/** The lockout's length for the nth lockout within a day: 30 s, doubling, capped at 15 minutes. */
export function lockoutSeconds(nth: number): number {
  return Math.min(FIRST_LOCKOUT_S * 2 ** Math.max(0, nth - 1), MAX_LOCKOUT_S);
}

export type ThrottleSubject = { email: string; address: string | null };

/** Keys are hashes: the table never holds an email, and its key length is fixed. */
function keyOf(scope: ThrottleScope, subject: ThrottleSubject): string {
  const value = scope === "account" ? subject.email.trim().toLowerCase() : (subject.address ?? "unknown");
  return createHash("sha256").update(`${scope}\0${value}`).digest("hex");
}

export type SignInThrottle = {
  /** Milliseconds until the subject may try again (0: not locked). */
  lockedFor: (subject: ThrottleSubject) => Promise<number>;
  recordFailure: (subject: ThrottleSubject) => Promise<void>;
  recordSuccess: (subject: ThrottleSubject) => Promise<void>;
};

export function createSignInThrottle(platform: Db): SignInThrottle {
  const storeClient = throttleStoreClient(platform);
  const common = { storeClient, storeType: "pool", tableName: THROTTLE_TABLE, tableCreated: true, clearExpiredByTimeout: false } as const;
  const limiters = Object.fromEntries(
    (["account", "client"] as const).map((scope) => [
      scope,
      {
        failures: new RateLimiterPostgres({ ...common, keyPrefix: `fail-${scope}`, points: THROTTLE_RULES[scope].failures, duration: FAILURE_WINDOW_S }),
        lockouts: new RateLimiterPostgres({ ...common, keyPrefix: `lock-${scope}`, points: 1_000_000, duration: LOCKOUT_MEMORY_S }),
      },
    ]),
  ) as Record<ThrottleScope, { failures: RateLimiterPostgres; lockouts: RateLimiterPostgres }>;

  const scopes = (subject: ThrottleSubject) => (["account", "client"] as const).map((scope) => ({ scope, key: keyOf(scope, subject) }));

  return {
    async lockedFor(subject) {
      const locked = await Promise.all(
        scopes(subject).map(async ({ scope, key }) => {
          const res = await limiters[scope].failures.get(key);
          // A blocked key holds more points than the limit (rate-limiter-flexible's block()).
          return res && res.consumedPoints > THROTTLE_RULES[scope].failures ? res.msBeforeNext : 0;
        }),
      );
      return Math.max(0, ...locked);
    },
    async recordFailure(subject) {
      for (const { scope, key } of scopes(subject)) {
        const res: RateLimiterRes = await limiters[scope].failures.penalty(key, 1);
        // Exactly at the threshold: the one request that crosses it locks (and audits) once,
        // however many arrive concurrently.
        if (res.consumedPoints !== THROTTLE_RULES[scope].failures) continue;
        const nth = (await limiters[scope].lockouts.penalty(key, 1)).consumedPoints;
        const seconds = lockoutSeconds(nth);
        await limiters[scope].failures.block(key, seconds);
        await recordDecision(platform, {
          realmId: null,
          actorId: null,
          action: "auth.lockout",
          targetType: scope,
          targetId: scope === "account" ? subject.email.trim().toLowerCase().slice(0, 320) : subject.address,
          decision: "deny",
          layer: "auth",
          reason: `${scope} locked for ${seconds} s after ${THROTTLE_RULES[scope].failures} failed sign-ins (lockout ${nth} within a day)`,
          requestId: randomUUID(),
          details: { scope, seconds, lockout: nth },
        });
      }
    },
    async recordSuccess(subject) {
      const key = keyOf("account", subject);
      await Promise.all([limiters.account.failures.delete(key), limiters.account.lockouts.delete(key)]);
    },
  };
}

const globalForThrottle = globalThis as unknown as { realmgateSignInThrottle?: SignInThrottle };

/** The web process's throttle, on the platform client. */
export function signInThrottle(platform: () => Db): SignInThrottle {
  return (globalForThrottle.realmgateSignInThrottle ??= createSignInThrottle(platform()));
}

/** The sign-in page reads `TooManyAttempts:<seconds>` from next-auth's error parameter. */
export const TOO_MANY_ATTEMPTS = "TooManyAttempts";

/** The one answer for a locked sign-in: identical for every email, known or not. */
export function tooManyAttempts(origin: string, lockedForMs: number): Response {
  const seconds = Math.max(1, Math.ceil(lockedForMs / 1000));
  const error = `${TOO_MANY_ATTEMPTS}:${seconds}`;
  return Response.json(
    {
      // next-auth's client (signIn with redirect: false) reads the error from this URL.
      url: `${origin}/signin?error=${encodeURIComponent(error)}`,
      error: TOO_MANY_ATTEMPTS,
      retryAfter: seconds,
      message: `Too many attempts. Try again in ${seconds} seconds.`,
    },
    { status: 429, headers: { "Retry-After": String(seconds), "Cache-Control": "no-store" } },
  );
}

/** The email a credentials sign-in names (form or JSON body), read from a clone of the request. */
async function emailOf(req: Request): Promise<string> {
  try {
    const type = req.headers.get("content-type") ?? "";
    const text = await req.clone().text();
    if (text.length > 16_384) return "";
    const value = type.includes("application/json") ? (JSON.parse(text) as { email?: unknown }).email : new URLSearchParams(text).get("email");
    return typeof value === "string" ? value.trim().toLowerCase().slice(0, 320) : "";
  } catch {
    return "";
  }
}

/** next-auth's answer "password verified, second factor required" (MfaRequired) or "that right code was already used" (MfaReused). */
async function asksForSecondFactor(response: Response): Promise<boolean> {
  const body = (await response.clone().json().catch(() => null)) as { url?: unknown } | null;
  const url = typeof body?.url === "string" ? body.url : (response.headers.get("location") ?? "");
  return /[?&]error=(MfaRequired|MfaReused)(&|$)/.test(url);
}

/** Did next-auth sign the caller in? Only a successful sign-in sets a session token cookie. */
function signedIn(response: Response): boolean {
  return response.headers.getSetCookie().some((cookie) => /^[^=]*session-token=[^;]+/.test(cookie));
}

/**
 * Wraps next-auth's credentials callback: refuses a locked subject with 429 before next-auth
 * runs, and counts the outcome afterwards.
 */
export async function throttleCredentialsSignIn(
  req: Request,
  context: { throttle: SignInThrottle; address: string | null; origin: string },
  signIn: () => Promise<Response>,
): Promise<Response> {
  const subject = { email: await emailOf(req), address: context.address };
  const lockedForMs = await context.throttle.lockedFor(subject);
  if (lockedForMs > 0) return tooManyAttempts(context.origin, lockedForMs);
  const response = await signIn();
  if (signedIn(response)) await context.throttle.recordSuccess(subject);
  // The password was right and a second factor is asked for, or the right TOTP code came again
  // within its step (auth/mfa.ts): not a failure. A wrong second factor (MfaInvalid) is one, so
  // codes cannot be guessed faster than passwords.
  else if (!(await asksForSecondFactor(response))) await context.throttle.recordFailure(subject);
  return response;
}
