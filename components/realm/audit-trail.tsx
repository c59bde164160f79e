"use client";
import { useInfiniteQuery } from "@tanstack/react-query";
import { useTRPC } from "../trpc";
import { StateBadge } from "../ui/state-badge";

/** The realm's own audit trail: every decision about it, including operators' break-glass. */
export function AuditTrail() {
  const trpc = useTRPC();
  // Pages of 30, newest first (the list is cursor-paginated); older ones load on request.
  const trail = useInfiniteQuery(
    trpc.realm.audit.infiniteQueryOptions({ limit: 30 }, { getNextPageParam: (page) => page.nextCursor ?? undefined }),
  );
  if (trail.error) return <p className="text-sm text-red-700">Could not load the audit trail: {trail.error.message}</p>;
  if (!trail.data) return <p className="text-sm text-slate-500">Loading…</p>;
  const events = trail.data.pages.flatMap((page) => page.items);
  return (
    <div>
      <table className="w-full text-sm" data-testid="realm-audit">
        <tbody>
          {events.map((e) => (
            <tr key={e.id} className="border-t border-slate-100 align-top" data-testid={`realm-audit-row-${e.id}`}>
              <td className="py-1 whitespace-nowrap text-slate-500">{e.createdAt.toLocaleString()}</td>
              <td>{e.action}</td>
              <td>
                <StateBadge state={e.decision === "deny" ? "failed" : "succeeded"} />
              </td>
              <td className="text-slate-500">{e.layer}</td>
              <td>{e.reason}</td>
              <td className="break-all text-slate-500">{e.actor}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {trail.hasNextPage && (
        <button
          type="button"
          className="mt-2 text-sm text-slate-700 underline"
          disabled={trail.isFetchingNextPage}
          onClick={() => void trail.fetchNextPage()}
          data-testid="realm-audit-more"
        >
          {trail.isFetchingNextPage ? "Loading…" : "Show more"}
        </button>
      )}
    </div>
  );
}
