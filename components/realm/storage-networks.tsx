"use client";
import { useInfiniteQuery, useMutation } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import { decideTransition, type VmState } from "@/server/policy/lifecycle";
import { usePermissions } from "./use-permissions";
import { useTRPC } from "../trpc";
import { Button } from "../ui/button";
import { itemsOf, ShowMore, useAllPages } from "../ui/pages";
import { useMutationFeedback } from "../ui/use-mutation-feedback";

const INPUT = "rounded-md border border-slate-300 px-2 py-1";

/**
 * The realm's disks and networks: create (labelled fields, sizes in GiB; the form resets once
 * created), delete (asked first), and, from a disk's own row, attach it to a VM or detach it
 * (asked first). Attach and detach are operations on the VM: their progress shows on its page.
 */
export function StorageNetworks() {
  const trpc = useTRPC();
  const can = usePermissions();
  const ids = useId();
  const [said, setSaid] = useState<string | null>(null);
  // Pages of 100 (the lists are cursor-paginated); more load on request.
  const next = { getNextPageParam: (page: { nextCursor: string | null }) => page.nextCursor ?? undefined };
  const disks = useInfiniteQuery(trpc.disk.list.infiniteQueryOptions({ limit: 100 }, next));
  const networks = useInfiniteQuery(trpc.network.list.infiniteQueryOptions({ limit: 100 }, next));
  // The VMs a free disk may be attached to: guests whose state allows an attach.
  const vms = useAllPages(useInfiniteQuery({ ...trpc.vm.list.infiniteQueryOptions({ limit: 200 }, next), enabled: can("vm.devices") }));
  const attachable = (vms ?? []).filter((v) => v.kind === "guest" && decideTransition("attach-disk", v.observedState as VmState).allowed);
  const { error, setError, options: done } = useMutationFeedback([trpc.disk.pathKey(), trpc.network.pathKey(), trpc.vm.pathKey(), trpc.realm.pathKey()]);
  const createDisk = useMutation(trpc.disk.create.mutationOptions(done));
  const deleteDisk = useMutation(trpc.disk.delete.mutationOptions(done));
  const createNetwork = useMutation(trpc.network.create.mutationOptions(done));
  const deleteNetwork = useMutation(trpc.network.delete.mutationOptions(done));
  const attachDisk = useMutation(trpc.vm.attachDisk.mutationOptions(done));
  const detachDisk = useMutation(trpc.vm.detachDisk.mutationOptions(done));

  function start() {
    setSaid(null);
    setError(null);
  }
  function onDisk(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const el = event.currentTarget;
    const form = new FormData(el);
    const name = String(form.get("name") ?? "").trim();
    start();
    createDisk.mutate({ name, sizeGb: Number(form.get("sizeGb")) }, { onSuccess: () => (el.reset(), setSaid(`Disk ${name} created.`)) });
  }
  function onNetwork(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const el = event.currentTarget;
    const name = String(new FormData(el).get("name") ?? "").trim();
    start();
    createNetwork.mutate({ name }, { onSuccess: () => (el.reset(), setSaid(`Network ${name} created.`)) });
  }
  function onAttach(event: FormEvent<HTMLFormElement>, disk: { id: string; name: string }) {
    event.preventDefault();
    const vmId = String(new FormData(event.currentTarget).get("vmId") ?? "");
    if (!vmId) return;
    const vm = attachable.find((v) => v.id === vmId);
    start();
    attachDisk.mutate({ vmId, diskId: disk.id }, { onSuccess: () => setSaid(`Attaching ${disk.name} to ${vm?.name ?? "the VM"}…`) });
  }
  function onDetach(disk: { id: string; name: string; vm: { id: string; name: string } }) {
    if (!window.confirm(`Detach disk ${disk.name} from ${disk.vm.name}? The VM loses access to it.`)) return;
    start();
    detachDisk.mutate({ vmId: disk.vm.id, diskId: disk.id }, { onSuccess: () => setSaid(`Detaching ${disk.name} from ${disk.vm.name}…`) });
  }
  function onDeleteDisk(disk: { id: string; name: string }) {
    if (!window.confirm(`Delete disk ${disk.name}? Its data is lost.`)) return;
    start();
    deleteDisk.mutate({ diskId: disk.id }, { onSuccess: () => setSaid(`Disk ${disk.name} deleted.`) });
  }
  function onDeleteNetwork(network: { id: string; name: string }) {
    if (!window.confirm(`Delete network ${network.name}?`)) return;
    start();
    deleteNetwork.mutate({ networkId: network.id }, { onSuccess: () => setSaid(`Network ${network.name} deleted.`) });
  }

  return (
    <div className="grid grid-cols-1 gap-6 text-sm md:grid-cols-2" data-testid="storage-networks">
      <div>
        <h3 className="mb-2 font-medium">Disks</h3>
        {itemsOf(disks)?.length === 0 && (
          <p className="mb-3 text-slate-600" data-testid="disks-empty">
            No disks yet.{can("storage.manage") ? "" : " Owners and admins create them."}
          </p>
        )}
        <ul className="mb-3" data-testid="disk-list">
          {itemsOf(disks)?.map((d) => (
            <li key={d.id} className="flex flex-wrap items-center justify-between gap-2 border-t border-slate-100 py-1" data-testid={`disk-row-${d.name}`}>
              <span>
                {d.name} · {d.sizeGb} GiB {d.vm ? <span className="text-slate-500">→ {d.vm.name}</span> : <span className="text-slate-500">(free)</span>}
              </span>
              <span className="flex flex-wrap items-center gap-2">
                {can("vm.devices") && d.vm && (
                  <Button onClick={() => onDetach({ ...d, vm: d.vm! })} aria-label={`Detach ${d.name} from ${d.vm.name}`}>
                    Detach
                  </Button>
                )}
                {can("vm.devices") && !d.vm && attachable.length > 0 && (
                  <form className="flex items-center gap-1" onSubmit={(e) => onAttach(e, d)} data-testid={`disk-attach-${d.name}`}>
                    <label className="sr-only" htmlFor={`${ids}-attach-${d.id}`}>
                      Attach {d.name} to
                    </label>
                    <select id={`${ids}-attach-${d.id}`} name="vmId" defaultValue="" className={INPUT}>
                      <option value="" disabled>
                        Attach to…
                      </option>
                      {attachable.map((v) => (
                        <option key={v.id} value={v.id}>
                          {v.name}
                        </option>
                      ))}
                    </select>
                    <Button type="submit">Attach</Button>
                  </form>
                )}
                {can("storage.manage") && !d.vm && (
                  <Button variant="danger" onClick={() => onDeleteDisk(d)} aria-label={`Delete disk ${d.name}`}>
                    Delete
                  </Button>
                )}
              </span>
            </li>
          ))}
        </ul>
        <ShowMore query={disks} what="disks" />
        {can("storage.manage") && (
          <form onSubmit={onDisk} className="flex flex-wrap items-end gap-2" data-testid="disk-form">
            <label className="flex flex-col gap-1" htmlFor={`${ids}-disk-name`}>
              <span className="text-slate-600">Disk name</span>
              <input id={`${ids}-disk-name`} name="name" required placeholder="data-1" className={`w-32 ${INPUT}`} />
            </label>
            <label className="flex flex-col gap-1" htmlFor={`${ids}-disk-size`}>
              <span className="text-slate-600">Size (GiB)</span>
              {/* Checked by the server, which says what is wrong in words (no silent browser refusal). */}
              <input id={`${ids}-disk-size`} name="sizeGb" inputMode="numeric" defaultValue="10" className={`w-24 ${INPUT}`} />
            </label>
            <Button type="submit" disabled={createDisk.isPending}>
              Create disk
            </Button>
          </form>
        )}
      </div>
      <div>
        <h3 className="mb-2 font-medium">Networks</h3>
        {itemsOf(networks)?.length === 0 && (
          <p className="mb-3 text-slate-600" data-testid="networks-empty">
            No networks yet.{can("network.manage") ? "" : " Owners and admins create them."}
          </p>
        )}
        <ul className="mb-3" data-testid="network-list">
          {itemsOf(networks)?.map((n) => (
            <li key={n.id} className="flex items-center justify-between border-t border-slate-100 py-1" data-testid={`network-row-${n.name}`}>
              <span>
                {n.name} <span className="text-slate-500">{n.vms.map((v) => v.vm.name).join(", ")}</span>
              </span>
              {can("network.manage") && n.vms.length === 0 && (
                <Button variant="danger" onClick={() => onDeleteNetwork(n)} aria-label={`Delete network ${n.name}`}>
                  Delete
                </Button>
              )}
            </li>
          ))}
        </ul>
        <ShowMore query={networks} what="networks" />
        {can("network.manage") && (
          <form onSubmit={onNetwork} className="flex flex-wrap items-end gap-2" data-testid="network-form">
            <label className="flex flex-col gap-1" htmlFor={`${ids}-net-name`}>
              <span className="text-slate-600">Network name</span>
              <input id={`${ids}-net-name`} name="name" required placeholder="backend" className={`w-32 ${INPUT}`} />
            </label>
            <Button type="submit" disabled={createNetwork.isPending}>
              Create network
            </Button>
          </form>
        )}
      </div>
      <p aria-live="polite" className="text-emerald-800 md:col-span-2" data-testid="storage-status">
        {said}
      </p>
      {error && (
        <p role="alert" className="text-red-700 md:col-span-2">
          {error}
        </p>
      )}
    </div>
  );
}
