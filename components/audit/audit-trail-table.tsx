"use client";
import Link from "next/link";
import type { ReactNode } from "react";

/**
 * The audit trail as one table (issue 13), shared by the realm's trail (components/realm/
 * audit-trail.tsx) and the operator's audit and denials views: one row per action with its
 * phases on the same line (authorized 10:02:01 → applied 10:02:02, or failed with the reason),
 * the actor and the target by name, the action and the reason in words, the raw rule and the
 * AVC lines behind a disclosure, the request id, the time with its date.
 */

export type TrailPhase = { id: string; phase: string; decision: "allow" | "deny"; layer: string; reason: string; reasonWords: string; avc: string[]; createdAt: Date };

export type TrailRow = {
  id: string;
  createdAt: Date;
  actorName: string;
  actorKind: string;
  action: string;
  actionWords: string;
  targetType: string;
  targetId: string | null;
  targetName: string | null;
  decision: "allow" | "deny";
  outcome: "allow" | "deny";
  layer: string;
  reason: string;
  reasonWords: string;
  rule: string | null;
  avc: string[];
  requestId: string;
  phase: string;
  status: string;
  phases: TrailPhase[];
  /** Operators' view only. */
  org?: string | null;
  targetOrg?: string | null;
  probedId?: string | null;
};

/** A time with its date, to the second, in the reader's locale. */
export function whenWords(at: Date): string {
  return at.toLocaleString(undefined, { year: "numeric", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", second: "2-digit" });
}

const timeWords = (at: Date) => at.toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit", second: "2-digit" });

const PHASE_STYLE: Record<string, string> = {
  authorized: "bg-sky-100 text-sky-800",
  applied: "bg-emerald-100 text-emerald-800",
  recorded: "bg-slate-100 text-slate-700",
  allowed: "bg-emerald-100 text-emerald-800",
  failed: "bg-red-100 text-red-800",
  denied: "bg-red-100 text-red-800",
};

function PhaseBadge({ phase }: { phase: string }) {
  return <span className={`inline-block rounded-full px-2 py-0.5 text-xs font-medium ${PHASE_STYLE[phase] ?? "bg-slate-100 text-slate-700"}`}>{phase}</span>;
}

/** The row's phases in order: the root's (authorized, denied, allowed) then each follow-up with its time. */
function Phases({ row }: { row: TrailRow }) {
  const root = row.phases.length > 0 ? "authorized" : row.decision === "deny" ? "denied" : "allowed";
  return (
    <span className="flex flex-wrap items-center gap-1 whitespace-nowrap" data-testid="audit-phases">
      <PhaseBadge phase={root} />
      <span className="text-xs text-slate-500">{timeWords(row.createdAt)}</span>
      {row.phases.map((p) => (
        <span key={p.id} className="flex items-center gap-1">
          <span aria-hidden="true" className="text-slate-400">
            →
          </span>
          <PhaseBadge phase={p.phase === "recorded" ? (p.decision === "deny" ? "denied" : "recorded") : p.phase} />
          <span className="text-xs text-slate-500">{timeWords(p.createdAt)}</span>
        </span>
      ))}
      {row.phases.length === 0 && row.status === "authorized" && <span className="text-xs text-slate-500">(in progress)</span>}
    </span>
  );
}

/** The reason in words; the raw rule, later phases' reasons and the AVC lines behind a disclosure. */
function Reason({ row }: { row: TrailRow }) {
  const failed = row.phases.find((p) => p.decision === "deny" || p.phase === "failed");
  const avc = [...row.avc, ...row.phases.flatMap((p) => p.avc)];
  const raw = row.rule !== null || avc.length > 0 || row.phases.some((p) => p.reason !== p.reasonWords);
  return (
    <div>
      <div>{row.reasonWords}</div>
      {failed && (
        <div className="text-red-700" data-testid="audit-failure">
          {failed.phase === "failed" ? "Failed: " : "Refused: "}
          {failed.reasonWords}
        </div>
      )}
      {raw && (
        <details className="mt-1 text-xs text-slate-600" data-testid="audit-raw">
          <summary className="cursor-pointer select-none">Rule{avc.length > 0 ? " and AVC" : ""}</summary>
          <div className="mt-1 space-y-1 break-all font-mono">
            <div>{row.reason}</div>
            {row.phases.map((p) => (
              <div key={p.id}>
                {p.phase}: {p.reason}
              </div>
            ))}
            {avc.map((line, i) => (
              <div key={`${i}:${line}`} data-testid="audit-avc">
                {line}
              </div>
            ))}
          </div>
        </details>
      )}
    </div>
  );
}

/** The target by name (or id), with its kind; an operator also reads whose it was ("Acme's VM"). */
function Target({ row }: { row: TrailRow }) {
  const kind = row.targetType === "api-token" ? "token" : row.targetType;
  const name = row.targetName ?? row.targetId ?? row.probedId ?? null;
  return (
    <span className="break-words">
      <span className="text-slate-500">{kind}</span> {name ?? <span className="text-slate-400">—</span>}
    </span>
  );
}

export function AuditTrailTable({
  rows,
  testId,
  empty,
  operator = false,
  compact = false,
  explain,
}: {
  rows: TrailRow[];
  testId: string;
  empty: string;
  /** The operator's view: the realm column ("Globex → Acme's VM"). */
  operator?: boolean;
  /**
   * A glimpse (the realm dashboard's card): without the layer and request columns, so names and
   * reasons keep whole words in a card's width; the full trail has both.
   */
  compact?: boolean;
  /** A link to explain the row's decision (operators), or null for none. */
  explain?: (row: TrailRow) => string | null;
}) {
  if (rows.length === 0) return <p className="text-sm text-slate-500">{empty}</p>;
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-sm" data-testid={testId}>
        <thead className="text-left text-xs text-slate-500">
          <tr>
            <th scope="col" className="py-2 pr-3 font-medium">
              When
            </th>
            {operator && (
              <th scope="col" className="pr-3 font-medium">
                Realm
              </th>
            )}
            <th scope="col" className="pr-3 font-medium">
              Actor
            </th>
            <th scope="col" className="pr-3 font-medium">
              Action
            </th>
            <th scope="col" className="pr-3 font-medium">
              Target
            </th>
            <th scope="col" className="pr-3 font-medium">
              Decision
            </th>
            {!compact && (
              <th scope="col" className="pr-3 font-medium">
                Layer
              </th>
            )}
            <th scope="col" className="pr-3 font-medium">
              Reason
            </th>
            {!compact && (
              <th scope="col" className="pr-3 font-medium">
                Request
              </th>
            )}
            {explain && (
              <th scope="col" className="font-medium">
                <span className="sr-only">Explain</span>
              </th>
            )}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.id} className="border-t border-slate-100 align-top" data-testid={`audit-row-${r.id}`}>
              <td className="py-2 pr-3 whitespace-nowrap text-slate-600">
                <time dateTime={r.createdAt.toISOString()}>{whenWords(r.createdAt)}</time>
              </td>
              {operator && <td className="pr-3">{realmWords(r)}</td>}
              <td className="pr-3 break-words" data-testid="audit-actor">
                {r.actorName}
                {r.actorKind === "break-glass" && <span className="ml-1 rounded bg-red-100 px-1 text-xs text-red-800">break-glass</span>}
              </td>
              <td className="pr-3" title={r.action} data-testid="audit-action">
                {r.actionWords}
              </td>
              <td className="pr-3" data-testid="audit-target">
                <Target row={r} />
              </td>
              <td className="pr-3">
                <Phases row={r} />
              </td>
              {!compact && <td className="pr-3">{[r.layer, ...r.phases.map((p) => p.layer).filter((l) => l !== r.layer)].join(" → ")}</td>}
              <td className="pr-3">
                <Reason row={r} />
              </td>
              {!compact && <td className="pr-3 whitespace-nowrap font-mono text-xs text-slate-500">{r.requestId}</td>}
              {explain && <td className="whitespace-nowrap">{explainLink(explain(r))}</td>}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** "Globex", or for a probe of another realm's id "Globex → Acme's VM". */
function realmWords(r: TrailRow): ReactNode {
  const own = r.org ?? "platform";
  if (!r.targetOrg) return own;
  return (
    <span data-testid="audit-cross-realm">
      {own} user → <strong>{r.targetOrg}</strong>&apos;s {r.targetType === "api-token" ? "token" : r.targetType}
    </span>
  );
}

function explainLink(href: string | null): ReactNode {
  if (!href) return null;
  return (
    <Link href={href} className="text-xs font-medium text-sky-700 hover:underline" data-testid="audit-explain-link">
      Explain →
    </Link>
  );
}
