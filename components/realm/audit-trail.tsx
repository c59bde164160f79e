"use client";
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "../trpc";
import { StateBadge } from "../ui/state-badge";

/** The realm's own audit trail: every decision about it, including operators' break-glass. */
export function AuditTrail() {
  const trpc = useTRPC();
  const trail = useQuery(trpc.realm.audit.queryOptions({ limit: 30 }));
  if (!trail.data) return <p className="text-sm text-slate-500">Loading…</p>;
  return (
    <table className="w-full text-sm" data-testid="realm-audit">
      <tbody>
        {trail.data.map((e) => (
          <tr key={e.id} className="border-t border-slate-100 align-top" data-testid={`realm-audit-row-${e.id}`}>
            <td className="py-1 whitespace-nowrap text-slate-500">{e.createdAt.toLocaleString()}</td>
            <td>{e.action}</td>
            <td>
              <StateBadge state={e.decision === "deny" ? "failed" : "succeeded"} />
            </td>
            <td className="text-slate-500">{e.layer}</td>
            <td>{e.reason}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
