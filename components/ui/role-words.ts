import { ROLE_DESCRIPTIONS } from "@/server/policy/people";
import type { Role } from "@/server/policy/permissions";

/**
 * A member role inside a sentence: "owner", "admin", "viewer", and the tenant role stored as
 * `operator` as "VM operator", so it never reads like a platform operator.
 */
export function roleInWords(role: string): string {
  const label = ROLE_DESCRIPTIONS[role as Role]?.label ?? role;
  return /^[A-Z][a-z]/.test(label) ? label[0]!.toLowerCase() + label.slice(1) : label;
}
