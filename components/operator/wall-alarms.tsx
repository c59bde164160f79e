"use client";
import { useInfiniteQuery } from "@tanstack/react-query";
import { useTRPC } from "../trpc";
import { itemsOf, ShowMore } from "../ui/pages";

/**
 * Chinese Walls violated now: the two realms still share a host (a wall added as pending, or
 * its plan's migrations not finished yet). Each alarm names the VMs and hosts; it goes away by
 * itself once they no longer share one. Refreshed every 5 s.
 */
export function WallAlarms() {
  const trpc = useTRPC();
  const pages = useInfiniteQuery({
    ...trpc.operator.conflicts.violations.infiniteQueryOptions({ limit: 50 }, { getNextPageParam: (page) => page.nextCursor ?? undefined }),
    refetchInterval: 5_000,
  });
  const walls = itemsOf(pages);
  if (!walls) return <p className="text-sm text-slate-500">Loading…</p>;
  if (walls.length === 0) return <p className="text-sm text-slate-500" data-testid="wall-alarms-empty">No wall is violated: walled realms share no host.</p>;
  return (
    <div className="space-y-3 text-sm" data-testid="wall-alarms">
      {walls.map((w) => (
        <div key={`${w.realmA}/${w.realmB}`} role="alert" className="rounded-md border border-red-200 bg-red-50 p-3" data-testid={`wall-alarm-${w.a}-${w.b}`}>
          <p className="font-medium text-red-900">
            Wall {w.a} / {w.b} is violated: they share {[...new Set(w.coLocated.map((v) => v.host))].join(", ")}
          </p>
          <p className="text-xs text-slate-600">
            Added {w.createdAt.toLocaleString()} — {w.reason}
          </p>
          <ul className="mt-1 list-disc pl-5">
            {w.coLocated.map((v) => (
              <li key={v.vmId}>
                {v.org}: {v.name}
                {v.kind === "management" ? " (management VM)" : ""} on {v.host} <span className="text-xs text-slate-500">{v.observedState}</span>
              </li>
            ))}
          </ul>
        </div>
      ))}
      <ShowMore query={pages} what="alarms" testId="wall-alarms-more" />
    </div>
  );
}
