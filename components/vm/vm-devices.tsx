"use client";
import { useInfiniteQuery, useMutation } from "@tanstack/react-query";
import { useTRPC } from "../trpc";
import { Button } from "../ui/button";
import { useAllPages } from "../ui/pages";
import { useMutationFeedback } from "../ui/use-mutation-feedback";
import { useAllowedActions } from "./use-allowed-actions";

type Vm = {
  id: string;
  observedState: string;
  disks: { id: string; name: string; sizeGb: number }[];
  networks: { network: { id: string; name: string } }[];
};

/** The VM's disks and network interfaces, with attach and detach (detach asks first). */
export function VmDevices({ vm }: { vm: Vm }) {
  const trpc = useTRPC();
  const allowed = useAllowedActions(vm);
  // Every disk and network is a choice to attach: read all their pages.
  const next = { getNextPageParam: (page: { nextCursor: string | null }) => page.nextCursor ?? undefined };
  const disks = useAllPages(useInfiniteQuery(trpc.disk.list.infiniteQueryOptions({ limit: 200 }, next)));
  const networks = useAllPages(useInfiniteQuery(trpc.network.list.infiniteQueryOptions({ limit: 200 }, next)));
  const { error, options: done } = useMutationFeedback([
    trpc.vm.pathKey(),
    trpc.disk.pathKey(),
    trpc.network.pathKey(),
  ]);
  const attachDisk = useMutation(trpc.vm.attachDisk.mutationOptions(done));
  const detachDisk = useMutation(trpc.vm.detachDisk.mutationOptions(done));
  const attachNetwork = useMutation(trpc.vm.attachNetwork.mutationOptions(done));
  const detachNetwork = useMutation(trpc.vm.detachNetwork.mutationOptions(done));
  const canAttach = { disk: allowed("attach-disk"), net: allowed("attach-net") };
  const canDetach = { disk: allowed("detach-disk"), net: allowed("detach-net") };
  const freeDisks = disks?.filter((d) => !d.vm) ?? [];
  const otherNetworks = networks?.filter((n) => !vm.networks.some((x) => x.network.id === n.id)) ?? [];
  const vmId = vm.id;

  return (
    <div className="space-y-3 text-sm" data-testid="vm-devices">
      <ul>
        {vm.disks.map((d) => (
          <li
            key={d.id}
            className="flex items-center justify-between border-t border-slate-100 py-1"
            data-testid={`vm-disk-${d.name}`}
          >
            <span>
              disk {d.name} · {d.sizeGb} GiB
            </span>
            {canDetach.disk && (
              <Button onClick={() => window.confirm(`Detach disk ${d.name}? The VM loses access to it.`) && detachDisk.mutate({ vmId, diskId: d.id })}>
                Detach
              </Button>
            )}
          </li>
        ))}
        {vm.networks.map(({ network }) => (
          <li
            key={network.id}
            className="flex items-center justify-between border-t border-slate-100 py-1"
            data-testid={`vm-network-${network.name}`}
          >
            <span>network {network.name}</span>
            {canDetach.net && (
              <Button onClick={() => window.confirm(`Detach the VM from network ${network.name}?`) && detachNetwork.mutate({ vmId, networkId: network.id })}>
                Detach
              </Button>
            )}
          </li>
        ))}
        {vm.disks.length + vm.networks.length === 0 && (
          <li className="text-slate-500">No disks or networks attached.</li>
        )}
      </ul>
      {(canAttach.disk || canAttach.net) && (
        <div className="flex flex-wrap gap-2">
          {canAttach.disk &&
            freeDisks.map((d) => (
              <Button key={d.id} onClick={() => attachDisk.mutate({ vmId, diskId: d.id })}>
                Attach disk {d.name}
              </Button>
            ))}
          {canAttach.net &&
            otherNetworks.map((n) => (
              <Button key={n.id} onClick={() => attachNetwork.mutate({ vmId, networkId: n.id })}>
                Join network {n.name}
              </Button>
            ))}
        </div>
      )}
      {error && (
        <p role="alert" className="text-red-700">
          {error}
        </p>
      )}
    </div>
  );
}
