import { TRPCError } from "@trpc/server";
import { notFound, redirect } from "next/navigation";
import { getSessionUser } from "../auth/session";
import { platformDb, tenantDb } from "../db/client";
import { createContext } from "./context";
import { createCaller } from "./root";

type Caller = ReturnType<typeof createCaller>;

/** The same procedures, called from server components with the caller's session. */
export async function serverCaller(): Promise<Caller> {
  return createCaller(createContext({ tenant: tenantDb(), platform: platformDb() }, await getSessionUser()));
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
export async function pageQuery<T>(query: (caller: Caller) => Promise<T>): Promise<T> {
  try {
    return await query(await serverCaller());
  } catch (error) {
    if (isUnauthorized(error)) redirect("/signin");
    if (isNotFound(error)) notFound();
    throw error;
  }
}
