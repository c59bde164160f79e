"use client";
import { useInfiniteQuery, useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { useTRPC } from "../trpc";
import { Button } from "../ui/button";
import { itemsOf, ShowMore } from "../ui/pages";
import { GrantStateBadge, grantState } from "./grant-state";

/**
 * Request, list (newest first, 50 a page) and revoke break-glass grants: explicit, time-bound,
 * reasoned, audited. The realm picker offers the realms the overview has loaded.
 */
export function BreakGlassPanel({ realms }: { realms: { id: string; org: { name: string } }[] }) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const pages = useInfiniteQuery(trpc.operator.breakGlass.list.infiniteQueryOptions({ limit: 50 }, { getNextPageParam: (page) => page.nextCursor ?? undefined }));
  const grants = itemsOf(pages);
  const [error, setError] = useState<string | null>(null);
  const refresh = () => {
    setError(null);
    void queryClient.invalidateQueries({ queryKey: trpc.operator.pathKey() });
    router.refresh();
  };
  const request = useMutation(trpc.operator.breakGlass.request.mutationOptions({ onSuccess: refresh, onError: (e) => setError(e.message) }));
  const revoke = useMutation(trpc.operator.breakGlass.revoke.mutationOptions({ onSuccess: refresh, onError: (e) => setError(e.message) }));

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    request.mutate({ realmId: String(form.get("realmId")), reason: String(form.get("reason") ?? ""), minutes: Number(form.get("minutes")) });
  }

  const now = Date.now();
  return (
    <div className="space-y-4 text-sm">
      <form onSubmit={onSubmit} className="grid grid-cols-1 gap-3 sm:grid-cols-4" data-testid="break-glass-form">
        <select name="realmId" aria-label="Realm" className="rounded-md border border-slate-300 px-2 py-1.5">
          {realms.map((r) => (
            <option key={r.id} value={r.id}>
              {r.org.name}
            </option>
          ))}
        </select>
        <input name="reason" aria-label="Reason (incident, ticket)" placeholder="reason (incident, ticket…)" className="rounded-md border border-slate-300 px-3 py-1.5 sm:col-span-2" />
        <div className="flex gap-2">
          <select name="minutes" aria-label="Duration" defaultValue="30" className="rounded-md border border-slate-300 px-2 py-1.5">
            {[15, 30, 60, 120, 240].map((m) => (
              <option key={m} value={m}>
                {m} min
              </option>
            ))}
          </select>
          <Button type="submit" variant="danger" disabled={request.isPending}>
            Break glass
          </Button>
        </div>
      </form>
      {error && (
        <p role="alert" className="text-red-700">
          {error}
        </p>
      )}
      <table className="w-full" data-testid="break-glass-grants">
        <thead className="text-left text-slate-500">
          <tr>
            <th scope="col" className="py-2 font-normal">Realm</th>
            <th scope="col" className="font-normal">Operator</th>
            <th scope="col" className="font-normal">Reason</th>
            <th scope="col" className="font-normal">State</th>
            <th scope="col">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {grants?.map((g) => {
            const active = grantState(g, now) === "active";
            return (
              <tr key={g.id} className="border-t border-slate-100" data-testid={`grant-row-${g.id}`}>
                <td className="py-2">{g.realm.org.name}</td>
                <td>{g.operator.email}</td>
                <td>{g.reason}</td>
                <td>
                  <GrantStateBadge grant={g} now={now} />
                </td>
                <td className="text-right">
                  {active && (
                    <Button onClick={() => revoke.mutate({ grantId: g.id })} disabled={revoke.isPending}>
                      Revoke
                    </Button>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <ShowMore query={pages} what="grants" testId="break-glass-more" />
    </div>
  );
}
