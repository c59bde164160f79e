const COLORS: Record<string, string> = {
  running: "bg-emerald-100 text-emerald-800",
  online: "bg-emerald-100 text-emerald-800",
  stopped: "bg-slate-200 text-slate-700",
  paused: "bg-amber-100 text-amber-800",
  creating: "bg-sky-100 text-sky-800",
  starting: "bg-sky-100 text-sky-800",
  stopping: "bg-sky-100 text-sky-800",
  pausing: "bg-sky-100 text-sky-800",
  resuming: "bg-sky-100 text-sky-800",
  rebooting: "bg-sky-100 text-sky-800",
  migrating: "bg-sky-100 text-sky-800",
  attaching: "bg-sky-100 text-sky-800",
  detaching: "bg-sky-100 text-sky-800",
  resizing: "bg-sky-100 text-sky-800",
  snapshotting: "bg-sky-100 text-sky-800",
  reverting: "bg-sky-100 text-sky-800",
  pending: "bg-sky-100 text-sky-800",
  retrying: "bg-amber-100 text-amber-800",
  succeeded: "bg-emerald-100 text-emerald-800",
  failed: "bg-red-100 text-red-800",
  unreachable: "bg-red-100 text-red-800",
  destroyed: "bg-slate-100 text-slate-500",
};

export function StateBadge({ state, testId }: { state: string; testId?: string }) {
  return (
    <span data-testid={testId} className={`inline-block rounded-full px-2 py-0.5 text-xs font-medium ${COLORS[state] ?? "bg-slate-100 text-slate-700"}`}>
      {state}
    </span>
  );
}
