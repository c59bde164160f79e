"use client";
import { useInfiniteQuery, useMutation } from "@tanstack/react-query";
import { useTRPC } from "../trpc";
import { Button } from "../ui/button";
import { itemsOf, ShowMore } from "../ui/pages";
import { useMutationFeedback } from "../ui/use-mutation-feedback";
import { TokenTable } from "./token-table";

/**
 * API tokens with a Revoke (confirmed): the caller's own, or with `all` (owners,
 * realm.tokens.manage) every member's, with an Owner column. The server decides who may revoke
 * what; the list shows only the public part of a token (`rgt_<lookupId>_…`).
 */
export function TokensTable({ all }: { all: boolean }) {
  const trpc = useTRPC();
  // Pages of 100, newest first (the list is cursor-paginated); more load on request.
  const tokens = useInfiniteQuery(trpc.token.list.infiniteQueryOptions({ all, limit: 100 }, { getNextPageParam: (page) => page.nextCursor ?? undefined }));
  const items = itemsOf(tokens);
  const { error, options } = useMutationFeedback([trpc.token.list.pathKey()]);
  const revoke = useMutation(trpc.token.revoke.mutationOptions(options));
  const testId = all ? "all-tokens-table" : "tokens-table";
  if (tokens.error) return <p className="text-sm text-red-700">Could not load tokens: {tokens.error.message}</p>;
  if (!items) return <p className="text-sm text-slate-500">Loading…</p>;
  if (items.length === 0) return <p className="text-sm text-slate-500" data-testid={`${testId}-empty`}>{all ? "No member has an API token." : "You have no API tokens yet."}</p>;
  return (
    <div className="space-y-2">
      {error && (
        <p role="alert" className="text-sm text-red-700">
          {error}
        </p>
      )}
      <TokenTable
        tokens={items}
        ownerColumn={all ? "Owner" : null}
        testId={testId}
        rowTestId={(t) => `token-row-${t.name}`}
        action={(t) => (
          <Button
            variant="danger"
            disabled={revoke.isPending}
            aria-label={`Revoke ${t.name}${all ? ` of ${t.owner}` : ""}`}
            onClick={() => {
              const whose = all ? ` (${t.owner})` : "";
              if (window.confirm(`Revoke the token “${t.name}”${whose}? Anything using it stops working at once.`)) revoke.mutate({ tokenId: t.id });
            }}
          >
            Revoke
          </Button>
        )}
      />
      <ShowMore query={tokens} what="tokens" />
    </div>
  );
}
