"use client";
import { useInfiniteQuery, useMutation } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { QUOTA_RESOURCES, quotaLabel, type QuotaResource } from "@/server/policy/quotas";
import { useTRPC } from "../trpc";
import { Button } from "../ui/button";
import { itemsOf, ShowMore } from "../ui/pages";
import { useMutationFeedback } from "../ui/use-mutation-feedback";

/**
 * Every realm's usage against its quota, and setting a realm's limits. A reason is required and
 * goes to the realm's audit trail with the operator; a limit above the defaults is an override.
 */
export function QuotasPanel() {
  const trpc = useTRPC();
  // 50 realms a page ("Show more" loads the next); the pages loaded refresh every 5 s.
  const quotas = useInfiniteQuery({
    ...trpc.operator.quotas.list.infiniteQueryOptions({ limit: 50 }, { getNextPageParam: (page) => page.nextCursor ?? undefined }),
    refetchInterval: 5_000,
  });
  const defaults = quotas.data?.pages[0]?.defaults ?? null;
  const { error, options: done } = useMutationFeedback([trpc.operator.quotas.pathKey()]);
  const set = useMutation(trpc.operator.quotas.set.mutationOptions(done));
  const [realmId, setRealmId] = useState("");
  const realms = itemsOf(quotas) ?? [];
  const selected = realms.find((r) => r.realmId === realmId) ?? realms[0];

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!selected) return;
    const element = event.currentTarget;
    const form = new FormData(element);
    const limits: Partial<Record<QuotaResource, number>> = {};
    for (const resource of QUOTA_RESOURCES) {
      const raw = String(form.get(resource) ?? "").trim();
      if (raw !== "") limits[resource] = Number(raw);
    }
    set.mutate(
      { realmId: selected.realmId, ...limits, reason: String(form.get("reason") ?? "") },
      { onSuccess: () => element.reset() },
    );
  }

  return (
    <div className="space-y-4 text-sm">
      {defaults && (
        <p className="text-slate-500" data-testid="quota-defaults">
          New realms get: {QUOTA_RESOURCES.map((r) => `${quotaLabel(r)} ${defaults[r].toLocaleString("en-US")}`).join(" · ")}
        </p>
      )}
      <table className="w-full" data-testid="quotas-table">
        <thead className="text-left text-slate-500">
          <tr>
            <th scope="col" className="py-2 font-normal">Organization</th>
            {QUOTA_RESOURCES.map((r) => (
              <th scope="col" key={r} className="font-normal">
                {quotaLabel(r)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {realms.map((q) => (
            <tr key={q.realmId} className="border-t border-slate-100" data-testid={`quota-row-${q.org.slug}`}>
              <td className="py-2 font-medium">{q.org.name}</td>
              {QUOTA_RESOURCES.map((r) => (
                <td key={r} data-testid={`quota-row-${q.org.slug}-${r}`} className={q.used && q.limits && q.used[r] >= q.limits[r] ? "text-red-700" : ""}>
                  {q.used && q.limits ? `${q.used[r].toLocaleString("en-US")} / ${q.limits[r].toLocaleString("en-US")}` : "—"}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      <ShowMore query={quotas} what="realms" testId="quotas-more" />
      <form onSubmit={onSubmit} className="grid grid-cols-2 gap-3 sm:grid-cols-4" data-testid="quota-form" noValidate>
        <label className="block sm:col-span-2">
          <span className="text-slate-600">Organization</span>
          <select
            name="realmId"
            value={selected?.realmId ?? ""}
            onChange={(e) => setRealmId(e.target.value)}
            className="mt-1 w-full rounded-md border border-slate-300 px-2 py-1.5"
            data-testid="quota-realm"
          >
            {realms.map((q) => (
              <option key={q.realmId} value={q.realmId}>
                {q.org.name}
              </option>
            ))}
          </select>
        </label>
        {QUOTA_RESOURCES.map((r) => (
          <label key={r} className="block">
            <span className="text-slate-600">{quotaLabel(r)}</span>
            <input
              name={r}
              inputMode="numeric"
              placeholder={selected?.limits ? String(selected.limits[r]) : ""}
              className="mt-1 w-full rounded-md border border-slate-300 px-3 py-1.5"
            />
          </label>
        ))}
        <label className="block sm:col-span-3">
          <span className="text-slate-600">Reason (recorded in the realm&apos;s audit trail)</span>
          <input name="reason" placeholder="e.g. ticket 4711: batch workload" className="mt-1 w-full rounded-md border border-slate-300 px-3 py-1.5" />
        </label>
        <div className="flex items-end">
          <Button type="submit" variant="primary" disabled={set.isPending || !selected} className="w-full">
            {set.isPending ? "Saving…" : "Set quota"}
          </Button>
        </div>
      </form>
      <p className="text-xs text-slate-500">Leave a limit blank to keep it. A limit below current usage takes nothing away; the realm just cannot create more until it is under again.</p>
      {error && (
        <p role="alert" className="text-red-700">
          {error}
        </p>
      )}
      {set.isSuccess && (
        <p role="status" className="text-emerald-700" data-testid="quota-saved">
          Saved{set.data.override ? " (an override above the defaults)" : ""}.
        </p>
      )}
    </div>
  );
}
