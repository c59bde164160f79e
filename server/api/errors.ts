import { TRPCError } from "@trpc/server";
import type { TRPC_ERROR_CODE_KEY } from "@trpc/server/rpc";
import { DomainError, type DomainErrorKind } from "../errors";

/** The one table that maps domain errors (../errors.ts) to tRPC codes. */

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
  rate_limited: "TOO_MANY_REQUESTS",
};

export function toTRPCError(error: unknown): TRPCError {
  if (error instanceof TRPCError) return error;
  if (error instanceof DomainError) {
    return new TRPCError({ code: CODE[error.kind], message: error.message, cause: error });
  }
  // Anything else is a bug or an outage: never leak its text to the caller.
  return new TRPCError({ code: "INTERNAL_SERVER_ERROR", message: "internal error", cause: error });
}
