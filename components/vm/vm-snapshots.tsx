"use client";
import { useInfiniteQuery, useMutation } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import { useTRPC } from "../trpc";
import { Button } from "../ui/button";
import { itemsOf, ShowMore } from "../ui/pages";
import { StateBadge } from "../ui/state-badge";
import { useMutationFeedback } from "../ui/use-mutation-feedback";
import { isSettled } from "./progress";
import { useAllowedActions } from "./use-allowed-actions";
import { sayDateTime } from "../ui/dates";

type Vm = { id: string; name: string; observedState: string };

const STATUS_WORDS: Record<string, string> = { creating: "being taken…", deleting: "being deleted…" };

/**
 * A VM's snapshots: take one (running, paused or stopped), revert to one, delete one; revert and
 * delete ask first. Everything waits while an operation is in flight on the VM (its progress
 * shows in the header); a snapshot being taken or deleted says so in its row.
 */
export function VmSnapshots({ vm }: { vm: Vm }) {
  const trpc = useTRPC();
  const allowed = useAllowedActions(vm);
  const ids = useId();
  const list = useInfiniteQuery(trpc.vm.snapshots.infiniteQueryOptions({ vmId: vm.id, limit: 20 }, { getNextPageParam: (page) => page.nextCursor ?? undefined }));
  const [said, setSaid] = useState<string | null>(null);
  const { error, setError, options } = useMutationFeedback([trpc.vm.pathKey(), trpc.realm.pathKey()]);
  const take = useMutation(trpc.vm.snapshot.mutationOptions(options));
  const revert = useMutation(trpc.vm.revert.mutationOptions(options));
  const remove = useMutation(trpc.vm.deleteSnapshot.mutationOptions(options));

  function onTake(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const el = event.currentTarget;
    const name = String(new FormData(el).get("name") ?? "").trim();
    setSaid(null);
    setError(null);
    take.mutate({ vmId: vm.id, ...(name ? { name } : {}) }, { onSuccess: () => (el.reset(), setSaid(`Taking snapshot${name ? ` ${name}` : ""}…`)) });
  }
  function onRevert(s: { id: string; name: string; vmState: string }) {
    const question = `Revert ${vm.name} to snapshot ${s.name}? It goes back to how it was then (${s.vmState}); everything since is lost.`;
    if (!window.confirm(question)) return;
    setSaid(null);
    revert.mutate({ vmId: vm.id, snapshotId: s.id }, { onSuccess: () => setSaid(`Reverting to ${s.name}…`) });
  }
  function onDelete(s: { id: string; name: string }) {
    if (!window.confirm(`Delete snapshot ${s.name} of ${vm.name}? This cannot be undone.`)) return;
    setSaid(null);
    remove.mutate({ vmId: vm.id, snapshotId: s.id }, { onSuccess: () => setSaid(`Deleting ${s.name}…`) });
  }

  const snapshots = itemsOf(list) ?? [];
  // "Taking snapshot …" and the like hold only while something is in flight: never stale.
  const isBusy = !isSettled(vm.observedState) || snapshots.some((s) => s.status !== "ready");
  return (
    <div className="space-y-3 text-sm" data-testid="vm-snapshots">
      {allowed("snapshot") && (
        <form className="flex flex-wrap items-end gap-2" onSubmit={onTake} data-testid="snapshot-form">
          <label className="flex flex-col gap-1" htmlFor={`${ids}-snap`}>
            <span className="text-slate-600">Snapshot name (optional)</span>
            <input id={`${ids}-snap`} name="name" placeholder="before-upgrade" className="w-48 rounded-md border border-slate-300 px-2 py-1" />
          </label>
          <Button type="submit" disabled={take.isPending}>
            Take snapshot
          </Button>
          <p className="basis-full text-xs text-slate-500">Counts against your disk quota: the memory in whole GiB plus a copy of each attached disk.</p>
        </form>
      )}
      {snapshots.length === 0 ? (
        <p className="text-slate-500">No snapshots.</p>
      ) : (
        <table className="w-full" data-testid="snapshot-list">
          <thead className="text-left text-slate-500">
            <tr>
              <th scope="col" className="py-1 font-normal">Name</th>
              <th scope="col" className="font-normal">Saved while</th>
              <th scope="col" className="hidden font-normal sm:table-cell">Size</th>
              <th scope="col" className="hidden font-normal sm:table-cell">Taken</th>
              <th scope="col" className="font-normal"><span className="sr-only">Actions</span></th>
            </tr>
          </thead>
          <tbody>
            {snapshots.map((s) => (
              <tr key={s.id} className="border-t border-slate-100 align-top" data-testid={`snapshot-row-${s.name}`}>
                <td className="py-1">
                  {s.name}
                  {STATUS_WORDS[s.status] && <div className="text-xs text-slate-500">{STATUS_WORDS[s.status]}</div>}
                </td>
                <td>
                  <StateBadge state={s.vmState} />
                </td>
                {/* Narrow screens (390 px) keep name, state and actions; size and time go. */}
                <td className="hidden sm:table-cell">
                  {s.sizeGb} GiB · {s.vcpus} vCPU · {s.memoryMb} MiB
                </td>
                <td className="hidden sm:table-cell">{sayDateTime(s.createdAt)}</td>
                <td className="flex flex-wrap justify-end gap-2 py-1">
                  {allowed("revert") && (
                    <Button disabled={s.status !== "ready" || revert.isPending} onClick={() => onRevert(s)} aria-label={`Revert to ${s.name}`}>
                      Revert
                    </Button>
                  )}
                  {allowed("delete-snapshot") && (
                    <Button variant="danger" disabled={s.status !== "ready" || remove.isPending} onClick={() => onDelete(s)} aria-label={`Delete snapshot ${s.name}`}>
                      Delete
                    </Button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <ShowMore query={list} what="snapshots" testId="snapshots-more" />
      <p aria-live="polite" className="text-emerald-800" data-testid="vm-snapshots-status">
        {isBusy ? said : null}
      </p>
      {error && (
        <p role="alert" className="text-red-700" data-testid="vm-snapshots-error">
          {error}
        </p>
      )}
    </div>
  );
}
