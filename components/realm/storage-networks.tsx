"use client";
import { useInfiniteQuery, useMutation } from "@tanstack/react-query";
import type { FormEvent } from "react";
import { usePermissions } from "./use-permissions";
import { useTRPC } from "../trpc";
import { Button } from "../ui/button";
import { itemsOf, ShowMore } from "../ui/pages";
import { useMutationFeedback } from "../ui/use-mutation-feedback";

/** The realm's disks and networks: create, delete, and where each is attached. */
export function StorageNetworks() {
  const trpc = useTRPC();
  const can = usePermissions();
  // Pages of 100 (the lists are cursor-paginated); more load on request.
  const next = { getNextPageParam: (page: { nextCursor: string | null }) => page.nextCursor ?? undefined };
  const disks = useInfiniteQuery(trpc.disk.list.infiniteQueryOptions({ limit: 100 }, next));
  const networks = useInfiniteQuery(trpc.network.list.infiniteQueryOptions({ limit: 100 }, next));
  const { error, options: done } = useMutationFeedback([trpc.disk.pathKey(), trpc.network.pathKey()]);
  const createDisk = useMutation(trpc.disk.create.mutationOptions(done));
  const deleteDisk = useMutation(trpc.disk.delete.mutationOptions(done));
  const createNetwork = useMutation(trpc.network.create.mutationOptions(done));
  const deleteNetwork = useMutation(trpc.network.delete.mutationOptions(done));

  function onDisk(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    createDisk.mutate({ name: String(form.get("name") ?? ""), sizeGb: Number(form.get("sizeGb")) });
  }
  function onNetwork(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    createNetwork.mutate({ name: String(new FormData(event.currentTarget).get("name") ?? "") });
  }

  return (
    <div className="grid grid-cols-1 gap-6 text-sm md:grid-cols-2" data-testid="storage-networks">
      <div>
        <h3 className="mb-2 font-medium">Disks</h3>
        <ul className="mb-3" data-testid="disk-list">
          {itemsOf(disks)?.map((d) => (
            <li key={d.id} className="flex items-center justify-between border-t border-slate-100 py-1" data-testid={`disk-row-${d.name}`}>
              <span>
                {d.name} · {d.sizeGb} GiB {d.vm ? <span className="text-slate-500">→ {d.vm.name}</span> : <span className="text-slate-400">(free)</span>}
              </span>
              {can("storage.manage") && !d.vm && <Button onClick={() => deleteDisk.mutate({ diskId: d.id })}>Delete</Button>}
            </li>
          ))}
        </ul>
        <ShowMore query={disks} what="disks" />
        {can("storage.manage") && (
          <form onSubmit={onDisk} className="flex gap-2" data-testid="disk-form">
            <input name="name" placeholder="data-1" className="w-32 rounded-md border border-slate-300 px-2 py-1" />
            <input name="sizeGb" defaultValue="10" inputMode="numeric" className="w-20 rounded-md border border-slate-300 px-2 py-1" />
            <Button type="submit">Create disk</Button>
          </form>
        )}
      </div>
      <div>
        <h3 className="mb-2 font-medium">Networks</h3>
        <ul className="mb-3" data-testid="network-list">
          {itemsOf(networks)?.map((n) => (
            <li key={n.id} className="flex items-center justify-between border-t border-slate-100 py-1" data-testid={`network-row-${n.name}`}>
              <span>
                {n.name} <span className="text-slate-500">{n.vms.map((v) => v.vm.name).join(", ")}</span>
              </span>
              {can("network.manage") && n.vms.length === 0 && <Button onClick={() => deleteNetwork.mutate({ networkId: n.id })}>Delete</Button>}
            </li>
          ))}
        </ul>
        <ShowMore query={networks} what="networks" />
        {can("network.manage") && (
          <form onSubmit={onNetwork} className="flex gap-2" data-testid="network-form">
            <input name="name" placeholder="backend" className="w-32 rounded-md border border-slate-300 px-2 py-1" />
            <Button type="submit">Create network</Button>
          </form>
        )}
      </div>
      {error && (
        <p role="alert" className="text-red-700 md:col-span-2">
          {error}
        </p>
      )}
    </div>
  );
}
