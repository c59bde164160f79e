import type { Tx } from "../db/client";

/**
 * The sign-in throttle's store: rate-limiter-flexible's RateLimiterPostgres runs its own fixed,
 * parameterised statements (upsert, get, delete) against the `sign_in_throttle` table, which the
 * migration created (so the platform role needs no DDL). This adapter gives it the one method of
 * a pg Pool it uses, `query({ text, values })`, on the platform Prisma client: the same
 * connection settings and role as every other platform query, and no second pool to configure.
 */

export const THROTTLE_TABLE = "sign_in_throttle";

type QueryConfig = { text: string; values?: unknown[] };
type QueryResult = { rows: Record<string, unknown>[]; rowCount: number };

/** bigint columns (expire, epoch ms) come back as BigInt; the limiter does arithmetic on numbers. */
function toNumbers(row: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v === "bigint" ? Number(v) : v]));
}

export function throttleStoreClient(platform: Tx): { query: (q: QueryConfig) => Promise<QueryResult> } {
  return {
    async query({ text, values = [] }) {
      // The limiter's DELETEs need the affected-row count; its INSERT … RETURNING and SELECT need rows.
      if (/^\s*DELETE\b/i.test(text)) {
        const rowCount = await platform.$executeRawUnsafe(text, ...values);
        return { rows: [], rowCount };
      }
      const rows = (await platform.$queryRawUnsafe<Record<string, unknown>[]>(text, ...values)).map(toNumbers);
      return { rows, rowCount: rows.length };
    },
  };
}
