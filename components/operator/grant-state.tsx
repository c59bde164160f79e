/**
 * A break-glass grant's own state, in its own words: active (until when), expired (when),
 * revoked (when). Not a VM state badge: a grant is neither running nor stopped.
 */
export type GrantState = "active" | "expired" | "revoked";

export function grantState(grant: { expiresAt: Date; revokedAt: Date | null }, now: number): GrantState {
  if (grant.revokedAt) return "revoked";
  return grant.expiresAt.getTime() > now ? "active" : "expired";
}

const STYLE: Record<GrantState, string> = {
  active: "bg-amber-100 text-amber-900",
  expired: "bg-slate-100 text-slate-600",
  revoked: "bg-slate-200 text-slate-700",
};

export function GrantStateBadge({ grant, now }: { grant: { expiresAt: Date; revokedAt: Date | null }; now: number }) {
  const state = grantState(grant, now);
  const when = state === "active" ? `until ${grant.expiresAt.toLocaleString()}` : state === "revoked" ? grant.revokedAt!.toLocaleString() : grant.expiresAt.toLocaleString();
  return (
    <span data-testid={`grant-state-${state}`}>
      <span className={`inline-block rounded-full px-2 py-0.5 text-xs font-medium ${STYLE[state]}`}>{state}</span> <span className="text-xs text-slate-600">{when}</span>
    </span>
  );
}
