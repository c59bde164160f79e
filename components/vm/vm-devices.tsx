"use client";
import { useInfiniteQuery, useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "../trpc";
import { Button } from "../ui/button";
import { useAllPages } from "../ui/pages";
import { useMutationFeedback } from "../ui/use-mutation-feedback";
import { useAllowedActions } from "./use-allowed-actions";

type DeviceBackend = { id: string; name: string } | null;
type Vm = {
  id: string;
  observedState: string;
  host?: { id: string; name: string } | null;
  disks: { id: string; name: string; sizeGb: number; backend?: DeviceBackend; backendState?: string; backendReason?: string | null }[];
  networks: { network: { id: string; name: string }; backend?: DeviceBackend; backendState?: string; backendReason?: string | null }[];
};

/** Which backend domain serves a device, whether it is trusted with plaintext, and whether it is connected. */
function BackendNote({ backend, kind, state, reason }: { backend: DeviceBackend | undefined; kind: "disk" | "network"; state?: string; reason?: string | null }) {
  if (state === "detached") {
    return (
      <span className="text-xs text-red-700" data-testid="device-detached">
        detached from driver domain {backend?.name ?? ""}: {reason ?? "the host refused to attach it again"}
      </span>
    );
  }
  if (state === "reattaching") {
    return <span className="text-xs text-amber-800">driver domain {backend?.name ?? ""} rebuilt: attaching again…</span>;
  }
  if (!backend) {
    return <span className="text-xs text-slate-500">via platform {kind === "disk" ? "storage" : "network"} backend · trusted</span>;
  }
  return (
    <span className="text-xs text-amber-800">
      via driver domain {backend.name} · untrusted backend{kind === "disk" ? ", encrypted" : ""}
    </span>
  );
}

/**
 * The VM's disks and network interfaces, with attach and detach (detach asks first); each
 * device names the backend domain that serves it. Attach goes through the backend chosen here:
 * the platform's (trusted, default) or one of the realm's driver domains on the VM's host.
 */
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
    trpc.backend.pathKey(),
  ]);
  // Every driver domain is a choice to attach through: read all their pages, refreshed while
  // one is being built or removed on its host.
  const backendPages = useInfiniteQuery({
    ...trpc.backend.list.infiniteQueryOptions({ limit: 200 }, next),
    refetchInterval: (q) => (q.state.data?.pages.some((page) => page.items.some((b) => b.state === "creating" || b.state === "removing")) ? 1000 : false),
  });
  const backends = useAllPages(backendPages);
  const createBackend = useMutation(trpc.backend.create.mutationOptions(done));
  const removeBackend = useMutation(trpc.backend.remove.mutationOptions(done));
  const [backendId, setBackendId] = useState("");
  const [driverName, setDriverName] = useState("");
  // Only the realm's running driver domains on this VM's host can serve it.
  const drivers = (backends ?? []).filter((b) => b.kind === "driver-domain" && b.host?.id === vm.host?.id);
  const through = backendId && drivers.some((b) => b.id === backendId && b.state === "running") ? { backendId } : {};
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
            <span className="flex flex-col">
              <span>
                disk {d.name} · {d.sizeGb} GiB
              </span>
              <BackendNote backend={d.backend} kind="disk" state={d.backendState} reason={d.backendReason} />
            </span>
            {canDetach.disk && (
              <Button onClick={() => window.confirm(`Detach disk ${d.name}? The VM loses access to it.`) && detachDisk.mutate({ vmId, diskId: d.id })}>
                Detach
              </Button>
            )}
          </li>
        ))}
        {vm.networks.map(({ network, backend, backendState, backendReason }) => (
          <li
            key={network.id}
            className="flex items-center justify-between border-t border-slate-100 py-1"
            data-testid={`vm-network-${network.name}`}
          >
            <span className="flex flex-col">
              <span>network {network.name}</span>
              <BackendNote backend={backend} kind="network" state={backendState} reason={backendReason} />
            </span>
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
        <div className="flex flex-wrap items-center gap-2" data-testid="vm-backend-choice">
          <label className="flex items-center gap-1">
            <span>Attach through</span>
            <select className="rounded border border-slate-300 px-1 py-0.5" value={backendId} onChange={(e) => setBackendId(e.target.value)}>
              <option value="">platform backend (trusted)</option>
              {drivers.map((b) => (
                <option key={b.id} value={b.id ?? ""} disabled={b.state !== "running"}>
                  driver domain {b.name} (untrusted, encrypted){b.state === "running" ? "" : ` — ${b.state}`}
                </option>
              ))}
            </select>
          </label>
          {vm.host && (
            <form
              className="flex items-center gap-1"
              onSubmit={(e) => {
                e.preventDefault();
                if (driverName) createBackend.mutate({ name: driverName, vmId }, { onSuccess: () => setDriverName("") });
              }}
            >
              <input
                aria-label="New driver domain name"
                className="rounded border border-slate-300 px-1 py-0.5"
                placeholder="driver domain name"
                value={driverName}
                onChange={(e) => setDriverName(e.target.value)}
              />
              <Button type="submit">Create driver domain on {vm.host.name}</Button>
            </form>
          )}
        </div>
      )}
      {drivers.length > 0 && (
        <ul data-testid="vm-driver-domains" className="text-xs">
          {drivers.map((b) => (
            <li key={b.id} className="flex items-center justify-between py-0.5">
              <span>
                driver domain {b.name} on {b.host?.name} · untrusted · {b.state}
                {b.stateReason ? `: ${b.stateReason}` : ""}
              </span>
              {canAttach.disk && b.id && b.state !== "removing" && (
                <Button onClick={() => window.confirm(`Remove driver domain ${b.name}?`) && removeBackend.mutate({ backendId: b.id! })}>Remove</Button>
              )}
            </li>
          ))}
        </ul>
      )}
      {(canAttach.disk || canAttach.net) && (
        <div className="flex flex-wrap gap-2">
          {canAttach.disk &&
            freeDisks.map((d) => (
              <Button key={d.id} onClick={() => attachDisk.mutate({ vmId, diskId: d.id, ...through })}>
                Attach disk {d.name}
              </Button>
            ))}
          {canAttach.net &&
            otherNetworks.map((n) => (
              <Button key={n.id} onClick={() => attachNetwork.mutate({ vmId, networkId: n.id, ...through })}>
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
