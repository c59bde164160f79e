"use client";
import { useInfiniteQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useTRPC } from "../trpc";
import { Card } from "../ui/card";
import { itemsOf, ShowMore } from "../ui/pages";
import { StateBadge } from "../ui/state-badge";
import { AuditTrailTable } from "../audit/audit-trail-table";
import { BreakGlassPanel } from "./break-glass-panel";
import { ConflictsPanel } from "./conflicts-panel";
import { ExplainForm } from "./explain-form";
import { AgreementsPanel } from "./agreements-panel";
import { OperatorTrail } from "./operator-trail";
import { QuotasPanel } from "./quotas-panel";
import { WallAlarms } from "./wall-alarms";

const next = { getNextPageParam: (page: { nextCursor: string | null }) => page.nextCursor ?? undefined };

/**
 * Platform operators: hosts and every realm's boundary (read-only), a page of 50 at a time
 * ("Show more" loads the next; the pages loaded are refreshed every 3 s).
 */
export function OperatorOverview() {
  const trpc = useTRPC();
  const hostPages = useInfiniteQuery({ ...trpc.operator.hosts.infiniteQueryOptions({ limit: 50 }, next), refetchInterval: 3_000 });
  const realmPages = useInfiniteQuery({ ...trpc.operator.realms.infiniteQueryOptions({ limit: 50 }, next), refetchInterval: 3_000 });
  const hosts = itemsOf(hostPages);
  const realms = itemsOf(realmPages);
  // Policy-drift alarms (and other alarm.* events) in the trail's own table: 25 at a time, newest first.
  const alarmPages = useInfiniteQuery({ ...trpc.operator.trail.infiniteQueryOptions({ action: "alarm", limit: 25 }, next), refetchInterval: 5_000 });
  const alarms = itemsOf(alarmPages);
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h1 className="text-2xl font-semibold">Platform</h1>
        <div className="flex flex-wrap gap-x-4 gap-y-1">
          <Link href="/operator/fleet" className="text-sm font-medium text-slate-700 hover:text-slate-950" data-testid="operator-fleet-link">
            Fleet map →
          </Link>
          <Link href="/operator/activity" className="text-sm font-medium text-slate-700 hover:text-slate-950" data-testid="operator-activity-link">
            Activity →
          </Link>
          <Link href="/operator/audit" className="text-sm font-medium text-slate-700 hover:text-slate-950" data-testid="operator-audit-link">
            Audit trail →
          </Link>
          <Link href="/operator/integrity" className="text-sm font-medium text-slate-700 hover:text-slate-950" data-testid="operator-integrity-link">
            Audit integrity →
          </Link>
          <Link href="/operator/organizations" className="text-sm font-medium text-slate-700 hover:text-slate-950" data-testid="operator-organizations-link">
            Organizations →
          </Link>
          <Link href="/operator/policy" className="text-sm font-medium text-slate-700 hover:text-slate-950" data-testid="operator-policy-link">
            FLASK policy →
          </Link>
        </div>
      </div>
      <Card title="Hosts">
        <table className="w-full text-sm" data-testid="hosts-table">
          <thead className="text-left text-slate-500">
            <tr>
              <th scope="col" className="py-2 font-normal">Host</th>
              <th scope="col" className="font-normal">Status</th>
              <th scope="col" className="font-normal">vCPU used</th>
              <th scope="col" className="font-normal">Memory used</th>
              <th scope="col" className="font-normal">Last seen</th>
            </tr>
          </thead>
          <tbody>
            {hosts?.map((h) => (
              <tr key={h.id} className="border-t border-slate-100" data-testid={`host-row-${h.name}`}>
                <td className="py-2 font-medium">{h.name}</td>
                <td>
                  <StateBadge state={h.status} />
                  {h.lastError && <div className="text-xs text-red-700">{h.lastError}</div>}
                </td>
                <td>
                  {h.usedVcpus} / {h.vcpus}
                </td>
                <td>
                  {h.usedMemoryMb} / {h.memoryMb} MiB
                </td>
                <td>{h.lastSeenAt ? h.lastSeenAt.toLocaleTimeString() : "never"}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <ShowMore query={hostPages} what="hosts" testId="hosts-more" />
      </Card>
      <Card title="Realms">
        <table className="w-full text-sm" data-testid="realms-table">
          <thead className="text-left text-slate-500">
            <tr>
              <th scope="col" className="py-2 font-normal">Organization</th>
              <th scope="col" className="font-normal">Category</th>
              <th scope="col" className="font-normal">Management VM</th>
              <th scope="col" className="font-normal">Guests</th>
              <th scope="col" className="font-normal">Realm id</th>
            </tr>
          </thead>
          <tbody>
            {realms?.map((r) => (
              <tr key={r.id} className="border-t border-slate-100" data-testid={`realm-row-${r.org.slug}`}>
                <td className="py-2 font-medium">{r.org.name}</td>
                <td className="font-mono">{r.category}</td>
                <td>
                  {r.managementVm ? (
                    <>
                      <StateBadge state={r.managementVm.observedState} /> {r.managementVm.host?.name ?? ""}
                    </>
                  ) : (
                    "—"
                  )}
                </td>
                <td>{r.guestCount}</td>
                <td className="font-mono text-xs text-slate-500">{r.id}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <ShowMore query={realmPages} what="realms" testId="realms-more" />
      </Card>
      <Card title="Quotas">
        <QuotasPanel />
      </Card>
      <Card title="Policy-drift alarms">
        {alarms ? (
          <AuditTrailTable rows={alarms} testId="alarms-table" operator empty="No alarms: the hypervisor has not refused anything the upper layers allowed." />
        ) : (
          <p className="text-sm text-slate-500">Loading…</p>
        )}
        <ShowMore query={alarmPages} what="alarms" testId="alarms-more" />
      </Card>
      <Card title="Chinese Wall alarms">
        <WallAlarms />
      </Card>
      <Card title="Denials across realms">
        <OperatorTrail denials testId="denials-table" />
      </Card>
      <Card title="Explain a decision">
        <ExplainForm />
      </Card>
      <Card title="Sharing agreements between realms">
        <AgreementsPanel />
      </Card>
      <Card title="Chinese Wall (realms that never share a host)">
        <ConflictsPanel realms={realms ?? []} />
      </Card>
      <Card title="Break-glass access">
        <BreakGlassPanel realms={realms ?? []} />
      </Card>
    </div>
  );
}
