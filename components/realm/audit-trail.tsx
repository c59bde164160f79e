"use client";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { AuditFilters, TrailPager, useExportHref, useTrailQuery } from "../audit/audit-filters";
import { AuditTrailTable } from "../audit/audit-trail-table";
import { useTRPC } from "../trpc";
import { roleInWords } from "../ui/role-words";
import { useOrgHref } from "./org-link";

const PAGE = 30;

/**
 * The realm's own audit trail (/realm/audit): every decision about it, operators' break-glass
 * included, one row per action, filtered and paged through the URL. A member whose role lacks
 * audit.read is told so, plainly, instead of finding nothing.
 */
export function AuditTrail() {
  const trpc = useTRPC();
  const realm = useQuery(trpc.realm.get.queryOptions());
  const query = useTrailQuery(false);
  const allowed = realm.data?.permissions.includes("audit.read");
  const trail = useQuery({ ...trpc.realm.audit.queryOptions({ limit: PAGE, ...query }), enabled: allowed === true });
  const exportHref = useExportHref("/api/v1/audit/export");
  if (realm.error) return <p className="text-sm text-red-700">Could not load the realm: {realm.error.message}</p>;
  if (!realm.data) return <p className="text-sm text-slate-500">Loading…</p>;
  if (!allowed) return <AuditNotice role={realm.data.role} />;
  return (
    <div className="space-y-3">
      <AuditFilters />
      <div className="flex items-center justify-end gap-3 text-sm">
        <span className="text-slate-500">Export what this shows:</span>
        <a href={exportHref("ndjson")} className="text-sky-700 hover:underline" data-testid="audit-export-ndjson">
          NDJSON
        </a>
        <a href={exportHref("csv")} className="text-sky-700 hover:underline" data-testid="audit-export-csv">
          CSV
        </a>
      </div>
      {trail.error ? (
        <p className="text-sm text-red-700">Could not load the audit trail: {trail.error.message}</p>
      ) : !trail.data ? (
        <p className="text-sm text-slate-500">Loading…</p>
      ) : (
        <>
          <AuditTrailTable rows={trail.data.items} testId="realm-audit" empty="Nothing in the trail matches." />
          <TrailPager prevCursor={trail.data.prevCursor} nextCursor={trail.data.nextCursor} />
        </>
      )}
    </div>
  );
}

/** What a member without audit.read reads where the trail would be. */
export function AuditNotice({ role }: { role: string }) {
  return (
    <p className="rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900" role="status" data-testid="audit-forbidden">
      Your role ({roleInWords(role)}) cannot read the audit trail; ask an owner or admin.
    </p>
  );
}

/** The dashboard's glimpse of the trail: the newest actions and the way to the whole trail (or, without audit.read, why not). */
export function AuditTrailCard() {
  const trpc = useTRPC();
  const realm = useQuery(trpc.realm.get.queryOptions());
  const allowed = realm.data?.permissions.includes("audit.read");
  const trail = useQuery({ ...trpc.realm.audit.queryOptions({ limit: 5 }), enabled: allowed === true });
  const href = useOrgHref()("/realm/audit");
  if (!realm.data) return <p className="text-sm text-slate-500">Loading…</p>;
  if (!allowed) return <AuditNotice role={realm.data.role} />;
  return (
    <div className="space-y-2">
      {trail.data ? <AuditTrailTable rows={trail.data.items} testId="realm-audit-recent" empty="Nothing recorded yet." compact /> : <p className="text-sm text-slate-500">Loading…</p>}
      <Link href={href} className="text-sm font-medium text-sky-700 hover:underline" data-testid="realm-audit-link">
        Open the audit trail (filters, pages, export) →
      </Link>
    </div>
  );
}
