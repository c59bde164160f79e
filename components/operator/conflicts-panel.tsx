"use client";
import { useInfiniteQuery, useMutation, useQuery } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useTRPC } from "../trpc";
import { Button } from "../ui/button";
import { itemsOf, ShowMore } from "../ui/pages";
import { useMutationFeedback } from "../ui/use-mutation-feedback";

type Wall = { realmA: string; realmB: string; reason: string };
type Outcome = { pending: boolean; migrations: { vm: string; org: string; toHost: string }[] };

/**
 * ACM Chinese Wall: pairs of realms that never share a physical host, 50 a page. A wall whose
 * realms share a host now is refused; the refusal lists the co-located VMs and the plan, and
 * offers two explicit ways on: carry out the plan (queued migrations) or add it as pending.
 * Removing a wall asks for confirmation and a reason. The realm pickers offer the realms the
 * overview has loaded (its "Show more realms" adds more).
 */
export function ConflictsPanel({ realms }: { realms: { id: string; org: { name: string } }[] }) {
  const trpc = useTRPC();
  const pages = useInfiniteQuery(trpc.operator.conflicts.list.infiniteQueryOptions({ limit: 50 }, { getNextPageParam: (page) => page.nextCursor ?? undefined }));
  const conflicts = itemsOf(pages);
  const violations = useQuery({ ...trpc.operator.conflicts.violations.queryOptions({ limit: 200 }), refetchInterval: 5_000 });
  const violated = new Set(violations.data?.items.map((v) => `${v.realmA}/${v.realmB}`));
  const { error, setError, options: done } = useMutationFeedback([trpc.operator.pathKey()]);
  const [refused, setRefused] = useState<Wall | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [removing, setRemoving] = useState<{ realmA: string; realmB: string; label: string } | null>(null);
  const add = useMutation(
    trpc.operator.conflicts.add.mutationOptions({
      onSuccess: (result) => {
        done.onSuccess();
        setRefused(null);
        setOutcome(result);
      },
      onError: (e, wall) => {
        setOutcome(null);
        // Refused because the realms share a host now: show what and the plan, not just a message.
        if (e.data?.code === "PRECONDITION_FAILED" && wall.onViolation === "refuse") {
          setError(null);
          setRefused({ realmA: wall.realmA, realmB: wall.realmB, reason: wall.reason });
        } else done.onError(e);
      },
    }),
  );
  const remove = useMutation(
    trpc.operator.conflicts.remove.mutationOptions({
      onSuccess: () => {
        done.onSuccess();
        setRemoving(null);
      },
      onError: done.onError,
    }),
  );

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setRefused(null);
    add.mutate({ realmA: String(form.get("realmA")), realmB: String(form.get("realmB")), reason: String(form.get("reason") ?? ""), onViolation: "refuse" });
  }

  function onRemove(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!removing) return;
    const form = new FormData(event.currentTarget);
    remove.mutate({ realmA: removing.realmA, realmB: removing.realmB, reason: String(form.get("reason") ?? "") });
  }

  return (
    <div className="space-y-4 text-sm">
      <form onSubmit={onSubmit} className="grid grid-cols-1 gap-3 sm:grid-cols-4" data-testid="conflict-form">
        {(["realmA", "realmB"] as const).map((name, i) => (
          <select key={name} name={name} aria-label={name === "realmA" ? "First realm" : "Second realm"} defaultValue={realms[i]?.id} className="rounded-md border border-slate-300 px-2 py-1.5">
            {realms.map((r) => (
              <option key={r.id} value={r.id}>
                {r.org.name}
              </option>
            ))}
          </select>
        ))}
        <input name="reason" aria-label="Why" placeholder="why (e.g. competitors)" className="rounded-md border border-slate-300 px-3 py-1.5" />
        <Button type="submit" variant="primary" disabled={add.isPending}>
          Never co-locate
        </Button>
      </form>
      {error && (
        <p role="alert" className="text-red-700">
          {error}
        </p>
      )}
      {refused && <WallRefusal wall={refused} busy={add.isPending} onChoose={(onViolation) => add.mutate({ ...refused, onViolation })} onCancel={() => setRefused(null)} />}
      {outcome && (
        <p role="status" data-testid="wall-outcome" className={outcome.pending ? "text-amber-800" : "text-emerald-800"}>
          {outcome.pending
            ? "Wall added as pending: its realms still share a host, shown as an alarm until they no longer do. New placements honour it already."
            : outcome.migrations.length > 0
              ? `Wall added; ${outcome.migrations.length} migration(s) queued: ${outcome.migrations.map((m) => `${m.org}'s ${m.vm} to ${m.toHost}`).join(", ")}.`
              : "Wall added."}
        </p>
      )}
      <table className="w-full" data-testid="conflicts-table">
        <thead className="text-left text-slate-500">
          <tr>
            <th scope="col" className="py-2 font-normal">Realm</th>
            <th scope="col" className="font-normal">Realm</th>
            <th scope="col" className="font-normal">Why</th>
            <th scope="col" className="font-normal">State</th>
            <th scope="col">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {conflicts?.map((c) => {
            const isViolated = violated.has(`${c.realmA}/${c.realmB}`);
            const label = `${c.a.org} / ${c.b.org}`;
            return (
              <tr key={`${c.realmA}-${c.realmB}`} className="border-t border-slate-100" data-testid={`conflict-row-${c.a.org}-${c.b.org}`}>
                <td className="py-2">
                  {c.a.org} <span className="font-mono text-xs text-slate-500">{c.a.category}</span>
                </td>
                <td>
                  {c.b.org} <span className="font-mono text-xs text-slate-500">{c.b.category}</span>
                </td>
                <td>{c.reason}</td>
                <td>
                  {isViolated ? (
                    <span className="rounded-full bg-amber-100 px-2 py-0.5 text-xs font-medium text-amber-800">pending: violated now</span>
                  ) : (
                    <span className="rounded-full bg-emerald-100 px-2 py-0.5 text-xs font-medium text-emerald-800">enforced</span>
                  )}
                </td>
                <td className="text-right">
                  <Button onClick={() => setRemoving({ realmA: c.realmA, realmB: c.realmB, label })}>Remove</Button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <ShowMore query={pages} what="conflict sets" testId="conflicts-more" />
      {removing && (
        <form onSubmit={onRemove} role="dialog" aria-label="Remove the wall" data-testid="wall-remove-confirm" className="space-y-2 rounded-md border border-red-200 bg-red-50 p-3">
          <p>
            Remove the wall between <strong>{removing.label}</strong>? Their VMs may then share hosts again. The reason is recorded in the platform&apos;s trail.
          </p>
          <input name="reason" aria-label="Reason for removing" placeholder="reason (at least 10 characters)" minLength={10} required className="w-full rounded-md border border-slate-300 px-3 py-1.5" />
          <div className="flex gap-2">
            <Button type="submit" variant="danger" disabled={remove.isPending}>
              Remove the wall
            </Button>
            <Button onClick={() => setRemoving(null)}>Cancel</Button>
          </div>
        </form>
      )}
    </div>
  );
}

/** The refusal: which VMs share which host now, the plan that would satisfy the wall, and the two ways on. */
function WallRefusal({ wall, busy, onChoose, onCancel }: { wall: Wall; busy: boolean; onChoose: (onViolation: "migrate" | "pending") => void; onCancel: () => void }) {
  const trpc = useTRPC();
  const preview = useQuery({ ...trpc.operator.conflicts.plan.queryOptions({ realmA: wall.realmA, realmB: wall.realmB }), retry: false });
  const data = preview.data;
  return (
    <div role="alert" data-testid="wall-refusal" className="space-y-3 rounded-md border border-amber-300 bg-amber-50 p-3">
      <p className="font-medium text-amber-900">Refused: these realms share a host now, so the wall would be violated at once.</p>
      {!data ? (
        <p className="text-slate-600">{preview.error ? preview.error.message : "Loading the co-located VMs and the plan…"}</p>
      ) : (
        <>
          <table className="w-full" data-testid="wall-colocated">
            <thead className="text-left text-slate-500">
              <tr>
                <th scope="col" className="font-normal">Realm</th>
                <th scope="col" className="font-normal">VM</th>
                <th scope="col" className="font-normal">Host</th>
              </tr>
            </thead>
            <tbody>
              {data.coLocated.map((v) => (
                <tr key={v.vmId} className="border-t border-amber-200">
                  <td>{v.org}</td>
                  <td>
                    {v.name} {v.kind === "management" && <span className="text-xs text-slate-500">(management VM)</span>}
                  </td>
                  <td>{v.host}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <div data-testid="wall-plan">
            <p className="font-medium">The plan</p>
            {data.plan.possible ? (
              <ul className="list-disc pl-5">
                {data.plan.moves.map((m) => (
                  <li key={m.vmId}>
                    move {m.org}&apos;s {m.vm} from {m.fromHost} to {m.toHost}
                  </li>
                ))}
              </ul>
            ) : (
              <p>No plan satisfies it: {data.plan.reason}</p>
            )}
          </div>
          <div className="flex flex-wrap gap-2">
            <Button variant="primary" disabled={busy || !data.plan.possible} onClick={() => onChoose("migrate")}>
              Carry out the plan ({data.plan.moves.length} migration{data.plan.moves.length === 1 ? "" : "s"})
            </Button>
            <Button variant="danger" disabled={busy} onClick={() => onChoose("pending")}>
              Add anyway as pending
            </Button>
            <Button onClick={onCancel}>Cancel</Button>
          </div>
        </>
      )}
    </div>
  );
}
