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
  /**
   * The request proved it came from this app (edge/same-origin.ts). Without proof a denial is
   * answered the same but not written to the audit trail: a cross-site link must not plant
   * denials in the caller's name. Server-side callers (pages, tests) pass their own proof.
   */
  provenSameOrigin: boolean;
  /**
   * The organization the request names by slug (the page's `?org=`, the client's header), or
   * null for the caller's first one. A request, not a grant: realmProcedure resolves it against
   * the caller's memberships (trpc.ts, resolveRealm; edge/realm-selection.ts).
   */
  requestedOrg: string | null;
  /**
   * An `Authorization: Bearer` token (auth/api-tokens.ts), or null. Accepted only by realm
   * procedures (trpc.ts, authenticated); the session cookie is not consulted when one is sent.
   */
  bearer: string | null;
  /** The request's TCP peer (auth/client-address.ts, peerAddress): an API token's address range. */
  peer: string | null;
  /** The REST surface's `Idempotency-Key` header: the key of a mutation whose input names none. */
  idempotencyKey: string | null;
  /** The REST surface's `?wait=<seconds>`: an accepted operation is awaited after commit. */
  waitSeconds: number;
};

export function createContext(
  clients: { tenant: Db; platform: Db },
  sessionUser: SessionUser | null,
  requestId: string = randomUUID(),
  request: { provenSameOrigin: boolean; requestedOrg?: string | null; bearer?: string | null; peer?: string | null; idempotencyKey?: string | null; waitSeconds?: number } = {
    provenSameOrigin: true,
  },
): Context {
  return {
    db: clients.tenant,
    platformDb: clients.platform,
    requestId,
    sessionUser,
    provenSameOrigin: request.provenSameOrigin,
    requestedOrg: request.requestedOrg ?? null,
    bearer: request.bearer ?? null,
    peer: request.peer ?? null,
    idempotencyKey: request.idempotencyKey ?? null,
    waitSeconds: request.waitSeconds ?? 0,
  };
}
