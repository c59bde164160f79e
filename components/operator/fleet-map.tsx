"use client";
import { useInfiniteQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useTRPC } from "../trpc";
import { OperatorPageHeader } from "./page-header";
import { Card } from "../ui/card";
import { itemsOf, ShowMore } from "../ui/pages";

const next = { getNextPageParam: (page: { nextCursor: string | null }) => page.nextCursor ?? undefined };

/**
 * The fleet map (operators): one card per host with its capacity bars and the realms running
 * there as chips coloured by MCS category (the same category always gets the same colour), the
 * management VM marked, and every Chinese Wall broken on the host drawn in red. A chip opens the
 * organization's page. Hosts come 20 at a time ("Show more"), refreshed every 5 s.
 */
export function FleetMap() {
  const trpc = useTRPC();
  const pages = useInfiniteQuery({
    ...trpc.operator.fleet.infiniteQueryOptions({ limit: 20 }, next),
    refetchInterval: 5_000,
  });
  const hosts = itemsOf(pages);
  return (
    <div className="space-y-6">
      <OperatorPageHeader title="Fleet map" />
      <p className="text-sm text-slate-600">
        Which realm runs where. Each chip is a realm on that host, coloured by its MCS category, with its VM count; ★
        marks the host running the realm&apos;s management VM. A red outline means a Chinese Wall is broken: two realms
        that must never share a host both run there.
      </p>
      {pages.isError && <p className="text-sm text-red-700">Could not load the fleet: {pages.error.message}</p>}
      {hosts?.length === 0 && <p className="text-sm text-slate-600">No hosts are registered.</p>}
      <div className="grid gap-4 lg:grid-cols-2" data-testid="fleet-map">
        {hosts?.map((host) => {
          const walled = new Set(host.violations.flatMap((v) => [v.realmLow, v.realmHigh]));
          return (
            <Card key={host.id} title={host.name}>
              <div className="space-y-3" data-testid={`fleet-host-${host.name}`}>
                <div className="flex items-center justify-between text-sm">
                  <span className={host.status === "online" ? "text-emerald-700" : "font-medium text-red-700"}>
                    {host.status === "online" ? "Online" : "Unreachable"}
                  </span>
                  <span className="text-slate-600">
                    {host.vmCount.toLocaleString("en")} VM{host.vmCount === 1 ? "" : "s"} ·{" "}
                    {(host.realms.length + host.moreRealms).toLocaleString("en")}
                    {host.moreRealmsAtLeast ? "+" : ""} realm{host.realms.length + host.moreRealms === 1 ? "" : "s"}
                  </span>
                </div>
                <CapacityBar label="vCPU" used={host.usedVcpus} total={host.vcpus} unit="" />
                <CapacityBar
                  label="Memory"
                  used={Math.round(host.usedMemoryMb / 1024)}
                  total={Math.round(host.memoryMb / 1024)}
                  unit=" GiB"
                />
                {host.violations.length > 0 && (
                  <ul
                    className="space-y-1 rounded border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-800"
                    data-testid="fleet-violations"
                  >
                    {host.violations.map((v) => (
                      <li key={`${v.realmLow}/${v.realmHigh}`}>
                        Chinese Wall broken: <strong>{v.lowOrg}</strong> and <strong>{v.highOrg}</strong> both run here
                      </li>
                    ))}
                  </ul>
                )}
                <ul className="flex flex-wrap gap-2" aria-label={`Realms on ${host.name}`}>
                  {host.realms.map((realm) => (
                    <li key={realm.realmId}>
                      <Link
                        href={`/operator/organizations/${realm.orgId}`}
                        className={`inline-flex items-center gap-1 rounded-full border px-2.5 py-1 text-xs font-medium ${walled.has(realm.realmId) ? "ring-2 ring-red-600" : ""}`}
                        style={categoryStyle(realm.categoryLow)}
                        title={`${realm.orgName}: ${realm.vms} VM(s), ${realm.vcpus} vCPU, ${realm.memoryMb} MiB on ${host.name}; category ${realm.category}${realm.management ? "; management VM here" : ""}`}
                        data-testid={`fleet-realm-${realm.orgSlug}`}
                      >
                        {realm.management && <span aria-label="management VM">★</span>}
                        {realm.orgName}
                        <span className="font-normal">· {realm.vms}</span>
                        <span className="font-mono font-normal">{realm.category.replace(/^s0:/, "")}</span>
                      </Link>
                    </li>
                  ))}
                  {host.moreRealms > 0 && (
                    <li className="self-center text-xs text-slate-600">
                      and {host.moreRealms.toLocaleString("en")}
                      {host.moreRealmsAtLeast ? "+" : ""} more realms with fewer VMs
                    </li>
                  )}
                  {host.realms.length === 0 && <li className="text-sm text-slate-500">No VMs on this host.</li>}
                </ul>
              </div>
            </Card>
          );
        })}
      </div>
      <ShowMore query={pages} what="hosts" testId="fleet-more" />
    </div>
  );
}

function CapacityBar({ label, used, total, unit }: { label: string; used: number; total: number; unit: string }) {
  const share = total > 0 ? used / total : 0;
  const colour = share > 1 ? "bg-red-600" : share > 0.8 ? "bg-amber-500" : "bg-slate-700";
  return (
    <div className="text-xs text-slate-600">
      <div className="flex justify-between">
        <span>{label}</span>
        <span>
          {used}
          {unit} of {total}
          {unit} ({Math.round(share * 100)}%)
        </span>
      </div>
      <div
        className="mt-1 h-2 overflow-hidden rounded bg-slate-100"
        role="meter"
        aria-label={`${label} used`}
        aria-valuemin={0}
        aria-valuemax={total}
        aria-valuenow={Math.min(used, total)}
      >
        <div className={`h-full ${colour}`} style={{ width: `${Math.min(100, share * 100)}%` }} />
      </div>
    </div>
  );
}

/** A stable colour per category: hues spread by the golden angle so neighbouring categories differ. */
function categoryStyle(categoryLow: number): { backgroundColor: string; borderColor: string; color: string } {
  const hue = Math.round((categoryLow * 137.508) % 360);
  return { backgroundColor: `hsl(${hue} 70% 92%)`, borderColor: `hsl(${hue} 55% 45%)`, color: `hsl(${hue} 60% 20%)` };
}
