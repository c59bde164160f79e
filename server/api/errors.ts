import { TRPCError } from "@trpc/server";
import type { TRPC_ERROR_CODE_KEY } from "@trpc/server/rpc";

/**
 * Domain errors thrown by services, and the one table that maps them to tRPC codes.
 * NotFound is deliberately one message for "missing" and "another realm's": a caller must not be
 * able to tell the two apart.
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
  | "bad_gateway";

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

const CODE: Record<DomainErrorKind, TRPC_ERROR_CODE_KEY> = {
  unauthorized: "UNAUTHORIZED",
  not_found: "NOT_FOUND",
  forbidden: "FORBIDDEN",
  precondition_failed: "PRECONDITION_FAILED",
  conflict: "CONFLICT",
  bad_input: "BAD_REQUEST",
  unavailable: "SERVICE_UNAVAILABLE",
  timeout: "GATEWAY_TIMEOUT",
  bad_gateway: "BAD_GATEWAY",
};

export function toTRPCError(error: unknown): TRPCError {
  if (error instanceof TRPCError) return error;
  if (error instanceof DomainError) {
    return new TRPCError({ code: CODE[error.kind], message: error.message, cause: error });
  }
  // Anything else is a bug or an outage: never leak its text to the caller.
  return new TRPCError({ code: "INTERNAL_SERVER_ERROR", message: "internal error", cause: error });
}
