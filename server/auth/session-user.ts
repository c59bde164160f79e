/**
 * Who a request says it is, from next-auth's JWT: not yet checked against the database. `sid`
 * names the server-side session row (auth/sessions.ts); a claim without one is refused.
 */
export type SessionUser = { id: string; epoch: number; sid?: string };
