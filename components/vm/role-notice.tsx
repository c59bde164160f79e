"use client";
import { useQuery } from "@tanstack/react-query";
import { ROLE_DESCRIPTIONS } from "@/server/policy/people";
import type { Role } from "@/server/policy/permissions";
import { useTRPC } from "../trpc";

/** What each role below admin cannot do with VMs, in the words of the buttons that are missing. */
const MISSING: Partial<Record<Role, string>> = {
  viewer: "you can see the VMs and their state but not change them, so no action buttons are shown",
  operator: "you can start, stop, pause, resume and reboot VMs and open their consoles, but not create, migrate or destroy them, so those buttons are not shown",
};

/**
 * Says once, plainly, why buttons are missing for a viewer or a VM operator, and whom to ask:
 * the organization's owners and admins by name (every member may read the member list).
 */
export function RoleNotice() {
  const trpc = useTRPC();
  const realm = useQuery(trpc.realm.get.queryOptions());
  const role = realm.data?.role;
  const missing = role ? MISSING[role] : undefined;
  const canReadMembers = realm.data?.permissions.includes("realm.members.read") ?? false;
  const members = useQuery(trpc.realm.members.list.queryOptions({ limit: 200 }, { enabled: Boolean(missing) && canReadMembers }));
  if (!role || !missing) return null;
  const managers = (members.data?.items ?? []).filter((m) => m.role === "owner" || m.role === "admin");
  return (
    <p className="rounded-md border border-sky-200 bg-sky-50 px-4 py-3 text-sm text-sky-900" data-testid="role-notice">
      You are a <strong>{ROLE_DESCRIPTIONS[role].label}</strong> in this organization: {missing}. To get more done, ask one of its owners or admins
      {managers.length > 0 ? (
        <>
          {": "}
          <span data-testid="role-notice-managers">
            {managers.map((m, i) => (
              <span key={m.userId}>
                {i > 0 && ", "}
                {m.name} (<a className="underline" href={`mailto:${m.email}`}>{m.email}</a>, {ROLE_DESCRIPTIONS[m.role].label.toLowerCase()})
              </span>
            ))}
          </span>
        </>
      ) : null}
      .
    </p>
  );
}
