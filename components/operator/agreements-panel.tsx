"use client";
import { sayDate } from "../ui/dates";
import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useTRPC } from "../trpc";
import { Button } from "../ui/button";
import { itemsOf, ShowMore } from "../ui/pages";

/**
 * Every realm's sharing agreements (issue 15 part 5), both parties named, with the channel on the
 * host; and "may VM x send to VM y over Argo?" as the host's FLASK policy decides it, naming the
 * agreement that is the reason an otherwise cross-realm send is allowed, or MCS's denial.
 */
export function AgreementsPanel() {
  const trpc = useTRPC();
  const pages = useInfiniteQuery({
    ...trpc.operator.agreements.list.infiniteQueryOptions({ limit: 50 }, { getNextPageParam: (page) => page.nextCursor ?? undefined }),
    refetchInterval: 5000,
  });
  const list = itemsOf(pages) ?? [];
  const [question, setQuestion] = useState<{ fromVmId: string; toVmId: string } | null>(null);
  const answer = useQuery({ ...trpc.operator.explainArgo.queryOptions(question!), enabled: question !== null, retry: false });
  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setQuestion({ fromVmId: String(form.get("fromVmId") ?? "").trim(), toVmId: String(form.get("toVmId") ?? "").trim() });
  }
  return (
    <div className="space-y-4 text-sm" data-testid="operator-agreements">
      <ul>
        {list.length === 0 && <li className="text-slate-600">No agreements: no realm can talk to another.</li>}
        {list.map((a) => (
          <li key={a.id} className="border-t border-slate-100 py-1" data-testid="operator-agreement-row">
            {a.from.org}/{a.from.name} {a.twoWay ? "↔" : "→"} {a.to.org}/{a.to.name} <span className="text-slate-500">port {a.port}</span> · {a.state} · expires {sayDate(new Date(a.expiresAt))} ·{" "}
            <span className="text-slate-500">
              channel {a.channel.status}
              {a.channel.reason ? ` (${a.channel.reason})` : ""}, delivered {a.channel.delivered}, refused {a.channel.refused} · {a.id}
            </span>
          </li>
        ))}
      </ul>
      <ShowMore query={pages} what="agreements" testId="operator-agreements-more" />
      <form onSubmit={onSubmit} className="flex flex-wrap items-end gap-2" data-testid="explain-argo-form">
        <input name="fromVmId" aria-label="Sending VM id" placeholder="sending VM id" className="w-full rounded-md border border-slate-300 px-2 py-1 font-mono sm:w-80" />
        <input name="toVmId" aria-label="Receiving VM id" placeholder="receiving VM id" className="w-full rounded-md border border-slate-300 px-2 py-1 font-mono sm:w-80" />
        <Button type="submit" variant="primary">
          Explain Argo send
        </Button>
      </form>
      {answer.error && (
        <p role="alert" className="text-red-700">
          {answer.error.message}
        </p>
      )}
      {answer.data && (
        <div data-testid="explain-argo-answer" className="space-y-1">
          <p role="status" className={answer.data.allowed ? "text-emerald-800" : "text-red-800"}>
            {answer.data.answer}
          </p>
          <p>{answer.data.reason}</p>
          {answer.data.avc.map((line) => (
            <div key={line} className="break-all font-mono text-xs text-slate-600">
              {line}
            </div>
          ))}
        </div>
      )}
    </div>
  );
}
