/**
 * Which of the caller's organizations a request is about. A person may belong to several; the
 * URL names the one a tab works in (`?org=<slug>`), so two tabs can work in two realms at once.
 * The app's tRPC client copies it from the page's URL into a header (live-update streams, which
 * cannot send headers, carry it in tRPC's connectionParams).
 *
 * Threat: a request naming an organization the caller does not belong to. The value is a
 * request, never a grant: the server resolves it against the caller's memberships on every
 * request (api/trpc.ts, resolveRealm), and a slug that is not one of them answers exactly like
 * no realm at all. Absent, the caller's first organization is meant.
 */

export const ORG_HEADER = "x-realmgate-org";
export const ORG_PARAM = "org";

/**
 * The selection a raw value names: null when absent or empty (the first organization), else the
 * slug as given (a repeated parameter: its first value, as URLSearchParams.get reads it). A value
 * that cannot be a slug names an organization that matches nothing: it answers like any other
 * foreign slug, never falls back to the first organization.
 */
export function orgSelection(raw: string | string[] | null | undefined): string | null {
  const value = (Array.isArray(raw) ? raw[0] : raw)?.trim();
  if (!value) return null;
  return value;
}

/** `path` in the organization `org` (none: the first organization). */
export function orgHref(path: string, org: string | null): string {
  if (!org) return path;
  const [base, query = ""] = path.split("?", 2);
  const params = new URLSearchParams(query);
  params.set(ORG_PARAM, org);
  return `${base}?${params.toString()}`;
}

/**
 * Where switching to organization `org` leads from `pathname`: the same page in that
 * organization, except an object's page (`/realm/vms/<id>`: a VM belongs to one realm), which
 * becomes that organization's realm overview.
 */
export function switchOrgHref(pathname: string, org: string): string {
  return orgHref(/^\/realm\/[^/]+\/./.test(pathname) ? "/realm" : pathname, org);
}
