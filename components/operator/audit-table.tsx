"use client";
import Link from "next/link";
import { StateBadge } from "../ui/state-badge";

type Row = {
  id: string;
  createdAt: Date;
  org: string | null;
  actor: string | null;
  action: string;
  layer: string;
  decision: string;
  reason: string;
  details?: unknown;
  targetType?: string;
  targetId?: string | null;
};

function avcLines(details: unknown): string[] {
  const avc = (details as { avc?: unknown } | null)?.avc;
  return Array.isArray(avc) ? avc.filter((l): l is string => typeof l === "string") : [];
}

/** Audit events for operators: when, who, which realm, which layer decided, why, AVC lines. */
export function AuditTable({ rows, testId, empty, explain }: { rows: Row[] | undefined; testId: string; empty: string; explain?: (row: Row) => string | null }) {
  if (!rows) return <p className="text-sm text-slate-500">Loading…</p>;
  if (rows.length === 0) return <p className="text-sm text-slate-500">{empty}</p>;
  return (
    <table className="w-full text-sm" data-testid={testId}>
      <thead className="text-left text-slate-500">
        <tr>
          <th className="py-2 font-normal">When</th>
          <th className="font-normal">Realm</th>
          <th className="font-normal">Actor</th>
          <th className="font-normal">Action</th>
          <th className="font-normal">Layer</th>
          <th className="font-normal">Why</th>
          {explain && <th className="font-normal" aria-label="Explain" />}
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.id} className="border-t border-slate-100 align-top" data-testid={`audit-row-${r.id}`}>
            <td className="py-2 whitespace-nowrap">{r.createdAt.toLocaleTimeString()}</td>
            <td>{r.org ?? "platform"}</td>
            <td className="break-all">{r.actor ?? "system"}</td>
            <td>
              {r.action} <StateBadge state={r.decision === "deny" ? "failed" : "succeeded"} />
            </td>
            <td>{r.layer}</td>
            <td>
              {r.reason}
              {avcLines(r.details).map((line) => (
                <div key={line} className="mt-1 break-all font-mono text-xs text-slate-600">
                  {line}
                </div>
              ))}
            </td>
            {explain && (
              <td className="whitespace-nowrap pl-2">
                {explain(r) && (
                  <Link href={explain(r)!} className="text-xs font-medium text-sky-700 hover:underline" data-testid="audit-explain-link">
                    Explain →
                  </Link>
                )}
              </td>
            )}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
