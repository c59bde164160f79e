const COLORS: Record<string, string> = {
  provisioning: "bg-sky-100 text-sky-800",
  ready: "bg-emerald-100 text-emerald-800",
  failed: "bg-red-100 text-red-800",
  decommissioning: "bg-amber-100 text-amber-800",
  decommissioned: "bg-slate-200 text-slate-600",
};

/** A realm's lifecycle status (provisioning, ready, failed, decommissioning, decommissioned). */
export function OrganizationStatus({ status, testId }: { status: string; testId?: string }) {
  return (
    <span
      data-testid={testId}
      className={`inline-block rounded-full px-2 py-0.5 text-xs font-medium ${COLORS[status] ?? "bg-slate-100 text-slate-700"}`}
    >
      {status}
    </span>
  );
}
