"use client";
import { useInfiniteQuery, useMutation } from "@tanstack/react-query";
import type { FormEvent } from "react";
import { useTRPC } from "../trpc";
import { Button } from "../ui/button";
import { itemsOf, ShowMore } from "../ui/pages";
import { useMutationFeedback } from "../ui/use-mutation-feedback";

/**
 * ACM Chinese Wall: pairs of realms that never share a physical host, 50 a page. The realm
 * pickers offer the realms the overview has loaded (its "Show more realms" adds more).
 */
export function ConflictsPanel({ realms }: { realms: { id: string; org: { name: string } }[] }) {
  const trpc = useTRPC();
  const pages = useInfiniteQuery(trpc.operator.conflicts.list.infiniteQueryOptions({ limit: 50 }, { getNextPageParam: (page) => page.nextCursor ?? undefined }));
  const conflicts = itemsOf(pages);
  const { error, options: done } = useMutationFeedback([trpc.operator.pathKey()]);
  const add = useMutation(trpc.operator.conflicts.add.mutationOptions(done));
  const remove = useMutation(trpc.operator.conflicts.remove.mutationOptions(done));

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    add.mutate({ realmA: String(form.get("realmA")), realmB: String(form.get("realmB")), reason: String(form.get("reason") ?? "") });
  }

  return (
    <div className="space-y-4 text-sm">
      <form onSubmit={onSubmit} className="grid grid-cols-1 gap-3 sm:grid-cols-4" data-testid="conflict-form">
        {(["realmA", "realmB"] as const).map((name, i) => (
          <select key={name} name={name} defaultValue={realms[i]?.id} className="rounded-md border border-slate-300 px-2 py-1.5">
            {realms.map((r) => (
              <option key={r.id} value={r.id}>
                {r.org.name}
              </option>
            ))}
          </select>
        ))}
        <input name="reason" placeholder="why (e.g. competitors)" className="rounded-md border border-slate-300 px-3 py-1.5" />
        <Button type="submit" variant="primary" disabled={add.isPending}>
          Never co-locate
        </Button>
      </form>
      {error && (
        <p role="alert" className="text-red-700">
          {error}
        </p>
      )}
      <table className="w-full" data-testid="conflicts-table">
        <tbody>
          {conflicts?.map((c) => (
            <tr key={`${c.realmA}-${c.realmB}`} className="border-t border-slate-100">
              <td className="py-2">
                {c.a.org} <span className="font-mono text-xs text-slate-500">{c.a.category}</span>
              </td>
              <td>
                {c.b.org} <span className="font-mono text-xs text-slate-500">{c.b.category}</span>
              </td>
              <td>{c.reason}</td>
              <td className="text-right">
                <Button onClick={() => remove.mutate({ realmA: c.realmA, realmB: c.realmB })}>Remove</Button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <ShowMore query={pages} what="conflict sets" testId="conflicts-more" />
    </div>
  );
}
