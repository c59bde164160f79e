"use client";
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useState, type FormEvent } from "react";
import { KNOWN_ACTIONS, sayAction } from "@/server/policy/audit-wording";

/**
 * The trail's filters and pages in the page's URL (shareable, and the same query parameters the
 * export takes: actor, action, target, decision, layer, from, to, and for operators realmId and
 * againstRealmId), with keyset paging (`before`: older, `after`: newer) beside them.
 */

const TEXT_FIELDS = ["actor", "action", "target", "layer"] as const;
const FILTER_FIELDS = ["actor", "action", "target", "decision", "layer", "from", "to", "realmId", "againstRealmId"] as const;
/** Kept across pages and filters like the filters (not a filter): the page size. */
const PAGE_FIELDS = ["org", "limit"] as const;
const LAYERS = ["trpc", "database", "hypervisor", "worker", "auth"];

export type TrailQuery = {
  actor?: string;
  action?: string;
  target?: string;
  decision?: "allow" | "deny";
  layer?: string;
  from?: Date;
  to?: Date;
  realmId?: string;
  againstRealmId?: string;
  before?: string;
  after?: string;
  limit?: number;
};

const validDate = (value: string | null) => {
  if (!value) return undefined;
  const at = new Date(value);
  return Number.isNaN(at.getTime()) ? undefined : at;
};

/** The filters and page the URL names (operator-only ones only for operators). */
export function useTrailQuery(operator: boolean): TrailQuery {
  const params = useSearchParams();
  const query: TrailQuery = {};
  for (const field of TEXT_FIELDS) {
    const value = params.get(field)?.trim();
    if (value) query[field] = value;
  }
  const decision = params.get("decision");
  if (decision === "allow" || decision === "deny") query.decision = decision;
  query.from = validDate(params.get("from"));
  query.to = validDate(params.get("to"));
  if (operator) {
    const realmId = params.get("realmId");
    const against = params.get("againstRealmId");
    if (realmId) query.realmId = realmId;
    if (against) query.againstRealmId = against;
  }
  const limit = Number(params.get("limit"));
  if (Number.isInteger(limit) && limit >= 1 && limit <= 200) query.limit = limit;
  const before = params.get("before");
  const after = params.get("after");
  if (after && /^\d+$/.test(after)) query.after = after;
  else if (before && /^\d+$/.test(before)) query.before = before;
  for (const key of Object.keys(query) as (keyof TrailQuery)[]) if (query[key] === undefined) delete query[key];
  return query;
}

/** The URL's filter parameters as they are (for the export link and the pager), without paging. */
function filterParams(params: URLSearchParams): URLSearchParams {
  const out = new URLSearchParams();
  for (const field of [...PAGE_FIELDS, ...FILTER_FIELDS]) {
    const value = params.get(field);
    if (value) out.set(field, value);
  }
  return out;
}

/** The export of what the page shows (its filters; every page), in a format. */
export function useExportHref(base: string, fixed: Record<string, string> = {}): (format: "ndjson" | "csv") => string {
  const params = useSearchParams();
  return (format) => {
    // The filters only: the export takes every page (and no page size or organization selection).
    const query = new URLSearchParams({ format });
    for (const field of FILTER_FIELDS) {
      const value = fixed[field] ?? params.get(field);
      if (value) query.set(field, value);
    }
    return `${base}?${query.toString()}`;
  };
}

export type RealmOption = { id: string; name: string };

export function AuditFilters({ operator = false, realms = [], testId = "audit-filters" }: { operator?: boolean; realms?: RealmOption[]; testId?: string }) {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const [values, setValues] = useState<Record<string, string>>(() => Object.fromEntries(FILTER_FIELDS.map((f) => [f, params.get(f) ?? ""])));
  const set = (field: string) => (e: { target: { value: string } }) => setValues((v) => ({ ...v, [field]: e.target.value }));

  function apply(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const next = new URLSearchParams();
    for (const field of PAGE_FIELDS) {
      const value = params.get(field);
      if (value) next.set(field, value);
    }
    for (const field of FILTER_FIELDS) {
      const value = values[field]?.trim();
      if (value && (operator || (field !== "realmId" && field !== "againstRealmId"))) next.set(field, value);
    }
    // A new filter starts again from the newest page.
    router.push(`${pathname}?${next.toString()}`);
  }

  function clear() {
    setValues(Object.fromEntries(FILTER_FIELDS.map((f) => [f, ""])));
    const org = params.get("org");
    router.push(org ? `${pathname}?org=${encodeURIComponent(org)}` : pathname);
  }

  const input = "rounded-md border border-slate-300 px-2 py-1.5 text-sm";
  return (
    <form onSubmit={apply} className="grid grid-cols-2 gap-2 sm:grid-cols-4 lg:grid-cols-8" data-testid={testId} role="search" aria-label="Filter the audit trail">
      <label className="flex flex-col text-xs text-slate-600">
        Actor
        <input name="actor" value={values.actor} onChange={set("actor")} placeholder="email, name, token" className={input} />
      </label>
      <label className="flex flex-col text-xs text-slate-600">
        Action
        <input name="action" value={values.action} onChange={set("action")} list="audit-actions" placeholder="vm.start, vm…" className={input} />
        <datalist id="audit-actions">
          {KNOWN_ACTIONS.map((a) => (
            <option key={a} value={a}>
              {sayAction(a)}
            </option>
          ))}
        </datalist>
      </label>
      <label className="flex flex-col text-xs text-slate-600">
        Target
        <input name="target" value={values.target} onChange={set("target")} placeholder="name or id" className={input} />
      </label>
      <label className="flex flex-col text-xs text-slate-600">
        Decision
        <select name="decision" value={values.decision} onChange={set("decision")} className={input}>
          <option value="">any</option>
          <option value="allow">allowed</option>
          <option value="deny">denied</option>
        </select>
      </label>
      <label className="flex flex-col text-xs text-slate-600">
        Layer
        <select name="layer" value={values.layer} onChange={set("layer")} className={input}>
          <option value="">any</option>
          {LAYERS.map((l) => (
            <option key={l}>{l}</option>
          ))}
        </select>
      </label>
      <label className="flex flex-col text-xs text-slate-600">
        From
        <input type="date" name="from" value={values.from?.slice(0, 10)} onChange={set("from")} className={input} />
      </label>
      <label className="flex flex-col text-xs text-slate-600">
        Before
        <input type="date" name="to" value={values.to?.slice(0, 10)} onChange={set("to")} className={input} />
      </label>
      {operator && (
        <>
          <label className="flex flex-col text-xs text-slate-600">
            Realm
            <select name="realmId" value={values.realmId} onChange={set("realmId")} className={input}>
              <option value="">every realm</option>
              {/* The platform's own events (no realm): sign-ins, operator actions, integrity alarms. */}
              <option value="platform">platform only</option>
              {realms.map((r) => (
                <option key={r.id} value={r.id}>
                  {r.name}
                </option>
              ))}
            </select>
          </label>
          <label className="flex flex-col text-xs text-slate-600">
            Attempts against
            <select name="againstRealmId" value={values.againstRealmId} onChange={set("againstRealmId")} className={input} aria-label="Attempts against realm">
              <option value="">any realm</option>
              {realms.map((r) => (
                <option key={r.id} value={r.id}>
                  {r.name}
                </option>
              ))}
            </select>
          </label>
        </>
      )}
      <div className="flex items-end gap-2">
        <button type="submit" className="rounded-md bg-slate-900 px-3 py-1.5 text-sm text-white hover:bg-slate-800">
          Filter
        </button>
        <button type="button" onClick={clear} className="rounded-md border border-slate-300 px-3 py-1.5 text-sm text-slate-800 hover:bg-slate-100">
          Clear
        </button>
      </div>
    </form>
  );
}

/** "Newer" and "Older" (keyset pages in the URL, with the filters kept). */
export function TrailPager({ prevCursor, nextCursor, testId = "audit-pager" }: { prevCursor: string | null; nextCursor: string | null; testId?: string }) {
  const params = useSearchParams();
  const pathname = usePathname();
  const href = (key: "before" | "after", cursor: string) => {
    const next = filterParams(params);
    next.set(key, cursor);
    return `${pathname}?${next.toString()}`;
  };
  const link = "rounded-md border border-slate-300 px-3 py-1.5 text-sm text-slate-800 hover:bg-slate-100";
  return (
    <nav className="mt-3 flex gap-2" aria-label="Audit trail pages" data-testid={testId}>
      {prevCursor ? (
        <Link href={href("after", prevCursor)} className={link} data-testid="audit-newer">
          ← Newer
        </Link>
      ) : (
        <span className={`${link} opacity-40`} aria-disabled="true">
          ← Newer
        </span>
      )}
      {nextCursor ? (
        <Link href={href("before", nextCursor)} className={link} data-testid="audit-older">
          Older →
        </Link>
      ) : (
        <span className={`${link} opacity-40`} aria-disabled="true">
          Older →
        </span>
      )}
    </nav>
  );
}
