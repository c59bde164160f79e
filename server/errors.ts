/**
 * Domain errors: what services and repositories throw when a request cannot be served. The
 * web tier maps each kind to a transport code through the one table in api/errors.ts; nothing
 * here knows about tRPC or HTTP. NotFound is deliberately one message for "missing" and
 * "another realm's": a caller must not be able to tell the two apart.
 */

export type DomainErrorKind =
  | "unauthorized"
  | "not_found"
  | "forbidden"
  | "precondition_failed"
  | "conflict"
  | "bad_input"
  | "unavailable"
  | "timeout"
  | "bad_gateway"
  | "rate_limited";

export class DomainError extends Error {
  override name = "DomainError";
  constructor(
    readonly kind: DomainErrorKind,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export const notFound = (what: string) => new DomainError("not_found", `${what} not found`);
