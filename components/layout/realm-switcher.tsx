"use client";
import { usePathname, useRouter } from "next/navigation";
import { switchOrgHref } from "@/server/edge/realm-selection";
import { useSelectedOrg } from "../realm/org-link";
import { roleInWords } from "../ui/role-words";

export type MembershipSummary = { name: string; slug: string; role: string };

/** The membership this tab's URL names: its first one without a selection, none for a foreign slug. */
function useCurrentMembership(memberships: MembershipSummary[]): MembershipSummary | null {
  const selected = useSelectedOrg();
  return (selected === null ? memberships[0] : memberships.find((m) => m.slug === selected)) ?? null;
}

/**
 * The header's organization switcher, for a person in several organizations (consultants,
 * MSPs). It only changes the URL: the server resolves the choice against the caller's
 * memberships on every request, so listing them here grants nothing.
 */
export function RealmSwitcher({ memberships }: { memberships: MembershipSummary[] }) {
  const router = useRouter();
  const pathname = usePathname();
  const current = useCurrentMembership(memberships);
  if (memberships.length < 2) return null;
  return (
    <select
      aria-label="Organization"
      data-testid="realm-switcher"
      value={current?.slug ?? ""}
      onChange={(event) => router.push(switchOrgHref(pathname, event.target.value))}
      className="rounded-md border border-slate-300 bg-white px-2 py-1 text-sm text-slate-800"
    >
      {!current && (
        <option value="" disabled>
          Choose an organization
        </option>
      )}
      {memberships.map((m) => (
        <option key={m.slug} value={m.slug}>
          {m.name} ({roleInWords(m.role)})
        </option>
      ))}
    </select>
  );
}

/** "Name · Organization (role)" for the organization this tab works in. */
export function WhoAmI({ name, memberships, isPlatformOperator }: { name: string; memberships: MembershipSummary[]; isPlatformOperator: boolean }) {
  const current = useCurrentMembership(memberships);
  return (
    <span className="text-slate-500" data-testid="whoami">
      {name}
      {current ? ` · ${current.name} (${roleInWords(current.role)})` : isPlatformOperator && memberships.length === 0 ? " · platform operator" : ""}
    </span>
  );
}
