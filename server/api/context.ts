import { randomUUID } from "node:crypto";
import type { Db } from "../db/client";

/** What every procedure starts from. The web route and tests build it the same way. */
export type SessionUser = { id: string; epoch: number };

export type Context = {
  /** Tenant client (row-level security applies); realmProcedure narrows it to a realm transaction. */
  db: Db;
  /** Platform client (bypasses row-level security): identity resolution, audit of denials, operators. */
  platformDb: Db;
  requestId: string;
  /** From next-auth's JWT; re-validated against the database by protectedProcedure. */
  sessionUser: SessionUser | null;
  /**
   * Test builds only: switch enforcement layers off to prove the remaining ones hold alone
   * (the hypervisor must deny cross-realm operations even when tRPC and RLS do not). The web
   * route never sets it.
   */
  unsafeDisabledLayers?: ReadonlySet<"trpc" | "db">;
};

export function createContext(
  clients: { tenant: Db; platform: Db },
  sessionUser: SessionUser | null,
  requestId: string = randomUUID(),
  testOptions: { unsafeDisabledLayers?: ReadonlySet<"trpc" | "db"> } = {},
): Context {
  return { db: clients.tenant, platformDb: clients.platform, requestId, sessionUser, ...testOptions };
}
