"use client";
import { useInfiniteQuery, useMutation } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useTRPC } from "../trpc";
import { Button } from "../ui/button";
import { Card } from "../ui/card";
import { itemsOf, ShowMore } from "../ui/pages";
import { useMutationFeedback } from "../ui/use-mutation-feedback";
import { TokenTable } from "../api/token-table";

/**
 * An organization's API tokens, for platform operators: who holds which, and a Revoke that asks
 * why (a leak reported to the platform; the reason lands in the realm's audit trail). Never the
 * secret: only the public part `rgt_<lookupId>_…`.
 */
export function OrganizationTokens({ orgId }: { orgId: string }) {
  const trpc = useTRPC();
  const pages = useInfiniteQuery(trpc.operator.tokens.list.infiniteQueryOptions({ orgId, limit: 100 }, { getNextPageParam: (page) => page.nextCursor ?? undefined }));
  const tokens = { data: itemsOf(pages), error: pages.error };
  const [revoking, setRevoking] = useState<string | null>(null);
  return (
    <Card title="API tokens">
      {tokens.error && <p className="text-sm text-red-700">Could not load tokens: {tokens.error.message}</p>}
      {!tokens.data && !tokens.error && <p className="text-sm text-slate-500">Loading…</p>}
      {tokens.data?.length === 0 && <p className="text-sm text-slate-500">No API tokens in this organization.</p>}
      {tokens.data && tokens.data.length > 0 && (
        <TokenTable
          tokens={tokens.data}
          ownerColumn="Member"
          testId="org-tokens"
          rowTestId={(t) => `org-token-${t.lookupId}`}
          action={(t) =>
            revoking === t.id ? (
              <RevokeForm tokenId={t.id} name={t.name} onDone={() => setRevoking(null)} />
            ) : (
              <Button variant="danger" onClick={() => setRevoking(t.id)} aria-label={`Revoke ${t.name} of ${t.owner}`}>
                Revoke…
              </Button>
            )
          }
        />
      )}
      <ShowMore query={pages} what="tokens" testId="org-tokens-more" />
    </Card>
  );
}

function RevokeForm({ tokenId, name, onDone }: { tokenId: string; name: string; onDone: () => void }) {
  const trpc = useTRPC();
  const [reason, setReason] = useState("");
  const { error, options } = useMutationFeedback([trpc.operator.tokens.list.pathKey(), trpc.operator.organizations.pathKey()]);
  const revoke = useMutation(
    trpc.operator.tokens.revoke.mutationOptions({
      ...options,
      onSuccess: () => {
        options.onSuccess();
        onDone();
      },
    }),
  );
  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    revoke.mutate({ tokenId, reason: reason.trim() });
  }
  return (
    <form onSubmit={onSubmit} className="flex flex-col items-end gap-1 text-left" data-testid="org-token-revoke-form">
      <label className="block text-sm">
        <span className="text-slate-700">Why revoke “{name}”?</span>
        <input
          name="reason"
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          placeholder="reported leaked in a public repository"
          autoComplete="off"
          autoFocus
          aria-invalid={error ? true : undefined}
          className="mt-1 block w-72 rounded-md border border-slate-300 px-2 py-1"
        />
      </label>
      <div className="flex gap-2">
        <Button type="submit" variant="danger" disabled={revoke.isPending || reason.trim().length === 0}>
          Revoke
        </Button>
        <Button onClick={onDone}>Cancel</Button>
      </div>
      {error && (
        <p role="alert" className="text-sm text-red-700">
          {error}
        </p>
      )}
    </form>
  );
}
