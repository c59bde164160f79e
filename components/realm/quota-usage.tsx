"use client";
import { useQuery } from "@tanstack/react-query";
import { QUOTA_RESOURCES, quotaLabel } from "@/server/policy/quotas";
import { useTRPC } from "../trpc";

/** The realm's usage against its quota, one bar per resource (any member with realm.read). */
export function QuotaUsage() {
  const trpc = useTRPC();
  // Live updates refetch it after every VM, disk or network change; the interval is a backstop.
  const quota = useQuery({ ...trpc.realm.quota.queryOptions(), refetchInterval: 5_000 });
  if (quota.error) return <p className="text-sm text-red-700">{quota.error.message}</p>;
  if (!quota.data) return <p className="text-sm text-slate-500">Loading quota…</p>;
  const { limits, used } = quota.data;
  return (
    <div className="space-y-3">
      <dl className="grid grid-cols-1 gap-4 text-sm sm:grid-cols-5" data-testid="quota-usage">
        {QUOTA_RESOURCES.map((resource) => {
          const share = limits[resource] === 0 ? 1 : Math.min(used[resource] / limits[resource], 1);
          const full = used[resource] >= limits[resource];
          return (
            <div key={resource} data-testid={`quota-${resource}`}>
              <dt className="text-slate-500">{quotaLabel(resource)}</dt>
              <dd className={full ? "font-medium text-red-700" : "font-medium"} data-testid={`quota-${resource}-value`}>
                {used[resource].toLocaleString("en-US")} of {limits[resource].toLocaleString("en-US")}
                <div
                  className="mt-1 h-1.5 rounded bg-slate-100"
                  role="meter"
                  aria-label={quotaLabel(resource)}
                  aria-valuemin={0}
                  aria-valuemax={limits[resource]}
                  aria-valuenow={used[resource]}
                >
                  <div
                    className={`h-1.5 rounded ${full ? "bg-red-600" : share > 0.8 ? "bg-amber-500" : "bg-slate-700"}`}
                    style={{ width: `${share * 100}%` }}
                  />
                </div>
              </dd>
            </div>
          );
        })}
      </dl>
      <MeasuredUsage />
    </div>
  );
}

/**
 * What the realm's running VMs use right now, as the hypervisor measured it (the worker's samples,
 * vm.measuredUsage), beside what the quota reserves for them.
 */
function MeasuredUsage() {
  const trpc = useTRPC();
  const usage = useQuery({ ...trpc.vm.measuredUsage.queryOptions(), refetchInterval: 10_000 });
  const u = usage.data;
  if (!u) return null;
  if (u.vms === 0) {
    return (
      <p className="text-sm text-slate-600" data-testid="measured-usage">
        Measured use: no running VM has been sampled in the last few minutes.
      </p>
    );
  }
  const cpuShare = u.vcpus === 0 ? 0 : Math.round((u.busyVcpus / u.vcpus) * 100);
  const memShare = u.memoryAllocatedMb === 0 ? 0 : Math.round((u.memoryUsedMb / u.memoryAllocatedMb) * 100);
  return (
    <p className="text-sm text-slate-700" data-testid="measured-usage" aria-live="polite">
      Measured use of {u.vms} running VM{u.vms === 1 ? "" : "s"}: CPU {u.busyVcpus.toLocaleString("en-US")} of {u.vcpus}{" "}
      vCPU{u.vcpus === 1 ? "" : "s"} busy ({cpuShare} %) · memory {u.memoryUsedMb.toLocaleString("en-US")} of{" "}
      {u.memoryAllocatedMb.toLocaleString("en-US")} MiB in use ({memShare} %)
      {u.sampledAt && <span className="text-slate-500"> · sampled {u.sampledAt.toLocaleTimeString("en-GB")}</span>}
    </p>
  );
}
