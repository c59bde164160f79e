import { TRPCError } from "@trpc/server";
import { getSessionUser } from "../auth/session";
import { platformDb, tenantDb } from "../db/client";
import { createContext } from "./context";
import { createCaller } from "./root";

/** The same procedures, called from server components with the caller's session. */
export async function serverCaller() {
  return createCaller(createContext({ tenant: tenantDb(), platform: platformDb() }, await getSessionUser()));
}

export function isNotFound(error: unknown): boolean {
  return error instanceof TRPCError && error.code === "NOT_FOUND";
}

export function isUnauthorized(error: unknown): boolean {
  return error instanceof TRPCError && error.code === "UNAUTHORIZED";
}
