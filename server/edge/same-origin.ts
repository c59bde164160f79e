/**
 * Whether a request proves it came from this app's own pages (or was typed by the user), not
 * from another site. Threat: a cross-site link or image (the session cookie is SameSite=Lax, so
 * it rides top-level GET navigations) making the victim's browser ask for another realm's id,
 * which would write a deny row in the victim's name. Requests without proof get exactly the
 * same answer; only the audit row is skipped (trpc.ts, recordDenial).
 *
 * Proof is any of:
 * - `Sec-Fetch-Site: same-origin` or `none` (the browser says so, and pages cannot forge it);
 * - the `x-realmgate-client` header the app's tRPC client sends on every call: a cross-site page
 *   cannot add a custom header without a CORS preflight, which /api/trpc never grants;
 * - a POST with a JSON content type, for the same reason (the route refuses any other POST).
 */

export const CLIENT_HEADER = "x-realmgate-client";
export const CLIENT_HEADER_VALUE = "web";

export function provesSameOrigin(method: string, headers: Headers): boolean {
  const site = headers.get("sec-fetch-site");
  if (site === "same-origin" || site === "none") return true;
  if (headers.get(CLIENT_HEADER) === CLIENT_HEADER_VALUE) return true;
  return method === "POST" && (headers.get("content-type") ?? "").toLowerCase().startsWith("application/json");
}
