/**
 * How long a serial console may sit without input (REALMGATE_CONSOLE_IDLE_MS, default ten
 * minutes), and the warning before it closes. One value for both ends: the browser closes a
 * console nobody typed into for that long, after saying so (components/vm/console-panel.tsx); the
 * worker closes a session with neither input nor an open stream for that long (a tab that went
 * away without closing it, an API client that stopped). Pure: the caller passes the environment.
 */

export const DEFAULT_CONSOLE_IDLE_MS = 10 * 60_000;
/** Below this a console could not even finish opening (tests use a few seconds). */
export const MIN_CONSOLE_IDLE_MS = 2_000;

export function consoleIdleMs(env: Readonly<Record<string, string | undefined>>): number {
  const raw = env.REALMGATE_CONSOLE_IDLE_MS;
  const value = raw === undefined || raw.trim() === "" ? DEFAULT_CONSOLE_IDLE_MS : Number(raw);
  if (!Number.isFinite(value)) return DEFAULT_CONSOLE_IDLE_MS;
  return Math.max(MIN_CONSOLE_IDLE_MS, Math.round(value));
}

/** The warning comes this long before the close: 30 s, or a third of a short limit. */
export function consoleIdleWarningMs(idleMs: number): number {
  return Math.min(30_000, Math.floor(idleMs / 3));
}

export type IdlePhase = { phase: "active" | "warning" | "expired"; remainingMs: number };

/** Where a console stands `sinceInputMs` after its last input (or its opening). */
export function consoleIdlePhase(idleMs: number, sinceInputMs: number): IdlePhase {
  const remainingMs = Math.max(0, idleMs - sinceInputMs);
  if (remainingMs === 0) return { phase: "expired", remainingMs };
  return { phase: remainingMs <= consoleIdleWarningMs(idleMs) ? "warning" : "active", remainingMs };
}

/** "10 minutes", "1 minute", "45 s": the limit in words. */
export function sayIdleLimit(idleMs: number): string {
  const minutes = idleMs / 60_000;
  if (Number.isInteger(minutes)) return `${minutes} minute${minutes === 1 ? "" : "s"}`;
  return `${Math.round(idleMs / 1000)} s`;
}
