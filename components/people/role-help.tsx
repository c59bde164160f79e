import { ROLE_DESCRIPTIONS, ROLES } from "@/server/policy/people";
import type { Role } from "@/server/policy/permissions";

export const roleLabel = (role: string): string => ROLE_DESCRIPTIONS[role as Role]?.label ?? role;

/** What each role may do, in plain words (the server decides; this explains). */
export function RoleHelp() {
  return (
    <dl className="grid gap-2 text-sm sm:grid-cols-2" data-testid="role-help">
      {ROLES.map((role) => (
        <div key={role} className="rounded-md bg-slate-50 px-3 py-2">
          <dt className="font-medium text-slate-900">{ROLE_DESCRIPTIONS[role].label}</dt>
          <dd className="text-slate-600">{ROLE_DESCRIPTIONS[role].description}</dd>
        </div>
      ))}
    </dl>
  );
}

/** Role options; an admin is not offered the owner role (the server refuses it anyway). */
export function RoleOptions({ canGrantOwner }: { canGrantOwner: boolean }) {
  return (
    <>
      {ROLES.filter((role) => canGrantOwner || role !== "owner").map((role) => (
        <option key={role} value={role}>
          {ROLE_DESCRIPTIONS[role].label}
        </option>
      ))}
    </>
  );
}
