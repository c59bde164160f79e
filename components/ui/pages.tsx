"use client";
import { useEffect } from "react";

/**
 * Helpers for the console's cursor-paginated lists ({items, nextCursor} pages read with
 * useInfiniteQuery and getNextPageParam: (page) => page.nextCursor ?? undefined).
 */

type Paged<P> = {
  data?: { pages: P[] } | undefined;
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  isFetchNextPageError: boolean;
  fetchNextPage: () => Promise<unknown>;
};

/** Every item of the pages loaded so far. */
export function itemsOf<P extends { items: unknown[] }>(query: Pick<Paged<P>, "data">): P["items"][number][] | undefined {
  return query.data?.pages.flatMap((page) => page.items);
}

/**
 * Loads page after page until the last one (a choice that must offer every item: a disk to
 * attach, a template). Stops on an error rather than asking again and again.
 */
export function useAllPages<P extends { items: unknown[] }>(query: Paged<P>): P["items"][number][] | undefined {
  const { hasNextPage, isFetchingNextPage, isFetchNextPageError, fetchNextPage } = query;
  useEffect(() => {
    if (hasNextPage && !isFetchingNextPage && !isFetchNextPageError) void fetchNextPage();
  }, [hasNextPage, isFetchingNextPage, isFetchNextPageError, fetchNextPage]);
  return itemsOf(query);
}

/** "Show more …" under a list while the server has more pages. */
export function ShowMore({ query, what, testId }: { query: Omit<Paged<unknown>, "data">; what: string; testId?: string }) {
  if (!query.hasNextPage) return null;
  return (
    <button
      type="button"
      className="mt-2 text-sm text-slate-700 underline"
      disabled={query.isFetchingNextPage}
      onClick={() => void query.fetchNextPage()}
      data-testid={testId}
    >
      {query.isFetchingNextPage ? "Loading…" : `Show more ${what}`}
    </button>
  );
}
