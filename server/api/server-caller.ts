import { TRPCError } from "@trpc/server";
import { cookies, headers } from "next/headers";
import { notFound, redirect } from "next/navigation";
import { MFA_REQUIRED_MESSAGE } from "../auth/mfa";
import { sessionUserFromCookies } from "../auth/session";
import { platformDb, tenantDb } from "../db/client";
import { ORG_PARAM, orgSelection } from "../edge/realm-selection";
import { provesSameOrigin } from "../edge/same-origin";
import { createContext } from "./context";
import { createCaller } from "./root";

type Caller = ReturnType<typeof createCaller>;

/**
 * The same procedures, called from server components with the caller's session. A page opened
 * from another site's link proves nothing about its origin (Sec-Fetch-Site: cross-site), so its
 * denials are not recorded, as for an API call (edge/same-origin.ts). A realm page passes the
 * organization its URL names (`?org=`, see pageOrg), resolved like the client's header.
 */
export async function serverCaller(requestedOrg: string | null = null): Promise<Caller> {
  const provenSameOrigin = provesSameOrigin("GET", await headers());
  return createCaller(
    createContext({ tenant: tenantDb(), platform: platformDb() }, await sessionUserFromCookies((await cookies()).getAll()), undefined, { provenSameOrigin, requestedOrg }),
  );
}

/** The organization a page's URL names (`?org=<slug>`), or null for the caller's first one. */
export async function pageOrg(searchParams: Promise<Record<string, string | string[] | undefined>> | undefined): Promise<string | null> {
  return orgSelection((await searchParams)?.[ORG_PARAM]);
}

export function isNotFound(error: unknown): boolean {
  return error instanceof TRPCError && error.code === "NOT_FOUND";
}

export function isUnauthorized(error: unknown): boolean {
  return error instanceof TRPCError && error.code === "UNAUTHORIZED";
}

/**
 * A page's first query: no session sends the caller to sign in, a missing (or foreign) object
 * is the 404 page, and anything else — the database down, a bug — reaches the error page
 * (app/error.tsx) instead of passing for "not found".
 */
export async function pageQuery<T>(query: (caller: Caller) => Promise<T>, requestedOrg: string | null = null): Promise<T> {
  try {
    return await query(await serverCaller(requestedOrg));
  } catch (error) {
    if (isUnauthorized(error)) redirect("/signin");
    if (isNotFound(error)) notFound();
    // The organization requires MFA and the caller has none: the security page says so.
    if (error instanceof TRPCError && error.code === "FORBIDDEN" && error.message === MFA_REQUIRED_MESSAGE) redirect("/account/security?required=org");
    throw error;
  }
}
