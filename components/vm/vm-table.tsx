"use client";
import { useInfiniteQuery } from "@tanstack/react-query";
import { OrgLink } from "../realm/org-link";
import { useTRPC } from "../trpc";
import { StateBadge } from "../ui/state-badge";
import { useVmActivity } from "./use-vm-activity";
import { VmActions } from "./vm-actions";
import { VmProgress } from "./vm-progress";

export function VmTable() {
  const trpc = useTRPC();
  // Pages of 100 (the list is cursor-paginated); more load on request.
  const vms = useInfiniteQuery(
    trpc.vm.list.infiniteQueryOptions({ limit: 100 }, { getNextPageParam: (page) => page.nextCursor ?? undefined }),
  );
  if (vms.error) return <p className="text-sm text-red-700">Could not load VMs: {vms.error.message}</p>;
  if (!vms.data) return <p className="text-sm text-slate-500">Loading…</p>;
  const guests = vms.data.pages.flatMap((page) => page.items).filter((vm) => vm.kind === "guest");
  if (guests.length === 0)
    return <p className="text-sm text-slate-500">No VMs yet. Create one from a template below.</p>;
  return (
    <div>
      <table className="w-full text-sm" data-testid="vm-table">
        <thead className="text-left text-slate-500">
          <tr>
            <th scope="col" className="py-2 font-normal">Name</th>
            <th scope="col" className="font-normal">State</th>
            <th scope="col" className="font-normal">Template</th>
            <th scope="col" className="font-normal">Size</th>
            <th scope="col" className="font-normal">Host</th>
            <th scope="col" className="font-normal">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {guests.map((vm) => (
            <VmRow key={vm.id} vm={vm} />
          ))}
        </tbody>
      </table>
      {vms.hasNextPage && (
        <button
          type="button"
          className="mt-2 text-sm text-slate-700 underline"
          disabled={vms.isFetchingNextPage}
          onClick={() => void vms.fetchNextPage()}
        >
          {vms.isFetchingNextPage ? "Loading…" : "Show more VMs"}
        </button>
      )}
    </div>
  );
}

type ListedVm = {
  id: string;
  name: string;
  observedState: string;
  updatedAt: Date;
  stateReason: string | null;
  vcpus: number;
  memoryMb: number;
  template: { name: string } | null;
  host: { name: string } | null;
};

/** One VM: its name links to its page; its state, what it is doing now, and its actions. */
function VmRow({ vm }: { vm: ListedVm }) {
  const activity = useVmActivity(vm);
  return (
    <tr className="border-t border-slate-100 align-top" data-testid={`vm-row-${vm.name}`}>
      <td className="py-2">
        <OrgLink href={`/realm/vms/${vm.id}`} className="font-medium text-sky-800 underline decoration-sky-300 underline-offset-2 hover:decoration-sky-700">
          {vm.name}
        </OrgLink>
        {vm.stateReason && <div className="text-xs text-amber-700">{vm.stateReason}</div>}
      </td>
      <td className="py-2">
        <StateBadge state={vm.observedState} testId={`vm-state-${vm.name}`} />
        <VmProgress activity={activity.activity} testId={`vm-progress-${vm.name}`} />
      </td>
      <td className="py-2">{vm.template?.name ?? "—"}</td>
      <td className="py-2">
        {vm.vcpus} vCPU · {vm.memoryMb} MiB
      </td>
      <td className="py-2">{vm.host?.name ?? "—"}</td>
      <td className="py-2 text-right">
        <VmActions vm={vm} activity={activity} compact />
      </td>
    </tr>
  );
}
