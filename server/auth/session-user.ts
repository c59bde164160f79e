/** Who a request says it is, from next-auth's JWT: not yet checked against the database. */
export type SessionUser = { id: string; epoch: number };
