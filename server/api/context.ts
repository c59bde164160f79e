import { randomUUID } from "node:crypto";
import type { Db } from "../db/client";

/** What every procedure starts from. The web route and tests build it the same way. */
export type SessionUser = { id: string; epoch: number };

export type Context = {
  db: Db;
  requestId: string;
  /** From next-auth's JWT; re-validated against the database by protectedProcedure. */
  sessionUser: SessionUser | null;
};

export function createContext(db: Db, sessionUser: SessionUser | null, requestId: string = randomUUID()): Context {
  return { db, requestId, sessionUser };
}
