import { DomainError } from "../errors";

/**
 * Keyset pagination for the realm's lists (contracts/api.ts pageInput/pageOf): each list has a
 * stable total order (its sort key, then the row's id), the cursor is the last item's id, and
 * the next page is the rows after that row's key. A cursor that names no row the caller's list
 * could show (another realm's, a made-up one, not an id at all) is refused alike: it never says
 * whether the id exists elsewhere.
 */

export type PageRequest = { cursor?: string; limit: number };
export type Page<T> = { items: T[]; nextCursor: string | null };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const invalidCursor = () => new DomainError("bad_input", "cursor is not valid: start again from the first page", { field: "cursor" });

/** The row the cursor names (found by `find`, which must look only in the caller's list), or null without a cursor. */
export async function cursorRow<T>(cursor: string | undefined, find: (id: string) => Promise<T | null>): Promise<T | null> {
  if (cursor === undefined) return null;
  const row = UUID.test(cursor) ? await find(cursor) : null;
  if (!row) throw invalidCursor();
  return row;
}

/**
 * Rows after (createdAt, id), in ascending or descending order of both. The plain bound on
 * createdAt says nothing the OR does not; it is there for the planner: an index on (…,
 * created_at) then starts at the cursor (an index condition) instead of reading every row
 * before it and filtering them out.
 */
export function afterCreated(row: { createdAt: Date; id: string } | null, order: "asc" | "desc") {
  if (!row) return {};
  return order === "asc"
    ? { createdAt: { gte: row.createdAt }, OR: [{ createdAt: { gt: row.createdAt } }, { createdAt: row.createdAt, id: { gt: row.id } }] }
    : { createdAt: { lte: row.createdAt }, OR: [{ createdAt: { lt: row.createdAt } }, { createdAt: row.createdAt, id: { lt: row.id } }] };
}

/** A page from limit + 1 rows: the extra row says there is a next page. */
export function toPage<T>(rows: T[], limit: number, idOf: (row: T) => string): Page<T> {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last ? idOf(last) : null };
}
