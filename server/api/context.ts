import { randomUUID } from "node:crypto";
import type { SessionUser } from "../auth/session-user";
import type { Db } from "../db/client";

/** What every procedure starts from. The web route and tests build it the same way. */
export type Context = {
  /** Tenant client (row-level security applies); realmProcedure narrows it to a realm transaction. */
  db: Db;
  /** Platform client (bypasses row-level security): identity resolution, audit of denials, operators. */
  platformDb: Db;
  requestId: string;
  /** From next-auth's JWT; re-validated against the database by protectedProcedure. */
  sessionUser: SessionUser | null;
};

export function createContext(clients: { tenant: Db; platform: Db }, sessionUser: SessionUser | null, requestId: string = randomUUID()): Context {
  return { db: clients.tenant, platformDb: clients.platform, requestId, sessionUser };
}
