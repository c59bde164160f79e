"use client";
import { useQuery } from "@tanstack/react-query";
import { PERMISSIONS } from "@/server/policy/permissions";
import { AuditFilters, TrailPager, useExportHref, useTrailQuery } from "../audit/audit-filters";
import { AuditTrailTable, type TrailRow } from "../audit/audit-trail-table";
import { useTRPC } from "../trpc";
import { explainHref } from "./explain-form";

const PAGE = 25;

/**
 * A denial of a member's action on a VM links to explain with the same question, filled in: the
 * VM is the record's target or, for a probe with another realm's id, the id it named.
 */
export function denialExplainHref(row: TrailRow & { actor?: string; probedId?: string | null }): string | null {
  const vmId = row.targetType === "vm" ? (row.targetId ?? row.probedId ?? null) : null;
  const email = row.actorKind === "user" || row.actorKind === "break-glass" ? (row.actor ?? "").replace(/ \(break-glass\)$/, "") : "";
  if (!email || !vmId || !(PERMISSIONS as readonly string[]).includes(row.action)) return null;
  return explainHref({ userEmail: email, vmId, permission: row.action });
}

/**
 * The trail across realms for operators, the same table as the realm's own: every filter, one
 * realm or "attempts against" one (both sides named), pages, the export, and a link to explain
 * each denial. `denials`: only actions that were denied in some phase (the operator's denials view).
 */
export function OperatorTrail({ denials = false, testId }: { denials?: boolean; testId: string }) {
  const trpc = useTRPC();
  const query = useTrailQuery(true);
  const input = { limit: PAGE, ...query, ...(denials ? { decision: "deny" as const } : {}) };
  const trail = useQuery({ ...trpc.operator.trail.queryOptions(input), refetchInterval: 5_000 });
  const realms = useQuery(trpc.operator.realms.queryOptions({ limit: 200 }));
  const exportHref = useExportHref("/api/v1/operator/audit/export", denials ? { decision: "deny" } : {});
  const options = (realms.data?.items ?? []).map((r) => ({ id: r.id, name: r.org.name }));
  return (
    <div className="space-y-3">
      <AuditFilters operator realms={options} testId={`${testId}-filters`} />
      <div className="flex items-center justify-end gap-3 text-sm">
        <span className="text-slate-500">Export what this shows:</span>
        <a href={exportHref("ndjson")} className="text-sky-700 hover:underline" data-testid={`${testId}-export-ndjson`}>
          NDJSON
        </a>
        <a href={exportHref("csv")} className="text-sky-700 hover:underline" data-testid={`${testId}-export-csv`}>
          CSV
        </a>
      </div>
      {trail.error ? (
        <p className="text-sm text-red-700">Could not load the trail: {trail.error.message}</p>
      ) : !trail.data ? (
        <p className="text-sm text-slate-500">Loading…</p>
      ) : (
        <>
          <AuditTrailTable rows={trail.data.items} testId={testId} operator empty={denials ? "No denials match." : "Nothing in the trail matches."} explain={denialExplainHref} />
          <TrailPager prevCursor={trail.data.prevCursor} nextCursor={trail.data.nextCursor} testId={`${testId}-pager`} />
        </>
      )}
    </div>
  );
}
