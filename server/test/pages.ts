import { TRPCError } from "@trpc/server";
import { expect } from "vitest";
import { DomainError } from "../errors";

/** Paging through a list in tests: every list answers `{ items, nextCursor }` (contracts pageOf). */

export type Page<T> = { items: T[]; nextCursor: string | null };
export type Lister<T> = (input: { cursor?: string; limit: number }) => Promise<Page<T>>;

/** Follows nextCursor with pages of `limit`; returns every item in the order received. */
export async function pageThrough<T>(list: Lister<T>, limit = 2): Promise<{ items: T[]; pages: number }> {
  const items: T[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = await list({ limit, cursor });
    expect(page.items.length).toBeLessThanOrEqual(limit);
    if (page.nextCursor !== null) expect(page.items).toHaveLength(limit);
    items.push(...page.items);
    cursor = page.nextCursor ?? undefined;
    pages++;
  } while (cursor);
  return { items, pages };
}

async function errorOf(promise: Promise<unknown>): Promise<TRPCError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof TRPCError) return error;
    throw error;
  }
  throw new Error("expected the call to be refused");
}

/** The refusal every bad cursor gets: BAD_REQUEST, in words, naming the field. */
export async function expectCursorRefused(promise: Promise<unknown>, what: string) {
  const error = await errorOf(promise);
  expect(error.code, what).toBe("BAD_REQUEST");
  expect(error.message, what).toBe("cursor is not valid: start again from the first page");
  expect(error.cause, what).toBeInstanceOf(DomainError);
  expect((error.cause as DomainError).details, what).toEqual({ field: "cursor" });
}
