"use client";
import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { useEffect } from "react";
import { OrgLink } from "../realm/org-link";
import { useLiveUpdates } from "../realm/use-live-updates";
import { useTRPC } from "../trpc";
import { Card } from "../ui/card";
import { itemsOf, ShowMore } from "../ui/pages";
import { StateBadge } from "../ui/state-badge";
import { ConsolePanel } from "./console-panel";
import { MetricsCharts } from "./metrics-charts";
import { RoleNotice } from "./role-notice";
import { useVmActivity, type VmLike } from "./use-vm-activity";
import { VmActions } from "./vm-actions";
import { sayReason } from "../ui/wording";
import { VmDevices } from "./vm-devices";
import { VmEveryday } from "./vm-everyday";
import { VmSnapshots } from "./vm-snapshots";
import { VmProgress } from "./vm-progress";
import { sayDateTime } from "../ui/dates";

export function VmDetail({ vmId, consoleIdleMs }: { vmId: string; consoleIdleMs?: number }) {
  const trpc = useTRPC();
  const vm = useQuery(trpc.vm.get.queryOptions({ vmId }));
  // Newest first, a page at a time (older ones behind "Show more").
  const history = useInfiniteQuery(trpc.vm.history.infiniteQueryOptions({ vmId, limit: 20 }, { getNextPageParam: (page) => page.nextCursor ?? undefined }));
  useLiveUpdates();
  // The tab follows a rename (the server's <title> names the VM as it was when the page loaded).
  const name = vm.data?.name;
  useEffect(() => {
    if (name) document.title = `${name} · Virtual machine · Realmgate`;
  }, [name]);
  if (vm.error) return <p className="text-red-700">{vm.error.message}</p>;
  if (!vm.data) return <p className="text-slate-500">Loading…</p>;
  const v = vm.data;
  return (
    <div className="space-y-6">
      <OrgLink href="/realm" className="text-sm text-slate-500 hover:text-slate-800">
        ← All VMs
      </OrgLink>
      <VmHeader vm={v} />
      {v.kind === "guest" && <RoleNotice />}
      {v.stateReason && <p className="text-sm text-amber-700">{sayReason(v.stateReason)}</p>}
      <Card title="Details">
        <dl className="grid grid-cols-2 gap-3 text-sm sm:grid-cols-4">
          <Item label="Template" value={v.template?.name ?? "—"} />
          <Item label="Size" value={`${v.vcpus} vCPU · ${v.memoryMb} MiB`} />
          <Item label="Host" value={v.host?.name ?? "—"} />
          {/* Only while a domain runs (or is paused): a stopped VM has none to speak of. */}
          {hasDomain(v.observedState) && v.domid !== null && <Item label="Domain id" value={String(v.domid)} />}
        </dl>
      </Card>
      {v.kind === "guest" && <ConsolePanel vm={v} idleMs={consoleIdleMs} />}
      {v.kind === "guest" && <MetricsCharts vmId={v.id} hasDomain={hasDomain(v.observedState)} />}
      {v.kind === "guest" && (
        <Card title="Disks and networks">
          <VmDevices vm={v} />
        </Card>
      )}
      {/* Its own card, shown only to a role that may rename, resize or clone (a viewer saw an empty one). */}
      {v.kind === "guest" && <VmEveryday vm={v} />}
      {v.kind === "guest" && (
        <Card title="Snapshots">
          <VmSnapshots vm={v} />
        </Card>
      )}
      <Card title="Action history">
        <table className="w-full text-sm" data-testid="vm-history">
          <thead className="text-left text-slate-500">
            <tr>
              <th scope="col" className="py-1 font-normal">When</th>
              <th scope="col" className="font-normal">Who</th>
              <th scope="col" className="font-normal">Action</th>
              <th scope="col" className="font-normal">Result</th>
              <th scope="col" className="font-normal">Duration</th>
            </tr>
          </thead>
          <tbody>
            {itemsOf(history)?.map((op) => (
              <tr key={op.id} className="border-t border-slate-100 align-top">
                <td className="py-1">{sayDateTime(op.createdAt)}</td>
                <td>{op.requestedBy}</td>
                <td>{op.action}</td>
                <td>
                  <StateBadge state={op.status} />
                  {op.error && <div className="text-xs text-red-700">{op.error}</div>}
                </td>
                <td>{op.durationMs === null ? "—" : `${op.durationMs} ms`}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <ShowMore query={history} what="operations" testId="vm-history-more" />
      </Card>
    </div>
  );
}

const hasDomain = (state: string) => state === "running" || state === "paused";

function Item({ label, value }: { label: string; value: string }) {
  return (
    <div>
      <dt className="text-slate-500">{label}</dt>
      <dd>{value}</dd>
    </div>
  );
}

/** Title and state, the operation in flight under them, the actions beside: one activity. */
function VmHeader({ vm }: { vm: VmLike & { kind: string; host: { name: string } | null } }) {
  const activity = useVmActivity(vm);
  const isGuest = vm.kind === "guest";
  return (
    <div className="flex flex-wrap items-start justify-between gap-3">
      <div>
        <h1 className="text-2xl font-semibold" data-testid="vm-title">
          {vm.name} <StateBadge state={vm.observedState} testId="vm-state" />
        </h1>
        {isGuest && <VmProgress activity={activity.activity} testId="vm-progress" />}
      </div>
      {isGuest && <VmActions vm={vm} activity={activity} />}
    </div>
  );
}
