/**
 * How the CLI fails: a message in words and an exit code (1: the API refused or an operation
 * failed; 2: the command line itself is wrong). Problem details (RFC 9457) are put into words
 * here, so every command reports them the same way.
 */

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT_FAILED,
    /** For a refused request: its HTTP status and (429) Retry-After seconds. */
    readonly http?: { status: number; retryAfterSeconds: number | null },
  ) {
    super(message);
    this.name = "CliError";
  }
}

export class UsageError extends CliError {
  constructor(message: string) {
    super(message, EXIT_USAGE);
    this.name = "UsageError";
  }
}

/** application/problem+json as the REST surface answers it (server/api/rest.ts). */
export type Problem = {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  code?: string;
  requestId?: string;
  errors?: Record<string, string[]>;
};

export const NOT_LOGGED_IN = "not logged in: run realmgate login or set REALMGATE_TOKEN";

export type ApiFailure = {
  status: number;
  /** The parsed body: a problem document, or whatever text the server sent. */
  body: unknown;
  /** Whether the request carried a token (a 401 without one means: log in). */
  tokenSent: boolean;
  /** What the request was about, for 404s: "VM web-1", "operation 0b6c…". */
  thing?: string;
  /** The Retry-After header of a 429, in seconds. */
  retryAfter?: string | null;
};

const asProblem = (body: unknown): Problem =>
  body && typeof body === "object"
    ? (body as Problem)
    : typeof body === "string" && body.trim()
      ? { detail: body.trim() }
      : {};

/** The message for a refused request, in words; the caller prints it and exits 1. */
export function describeApiFailure(failure: ApiFailure): string {
  const problem = asProblem(failure.body);
  const detail = problem.detail?.trim();
  switch (failure.status) {
    case 401:
      return failure.tokenSent ? (detail ?? "the API token was refused") : NOT_LOGGED_IN;
    case 404:
      // A foreign id and a missing one read the same: the server answers both alike.
      return failure.thing ? `${failure.thing} not found` : (detail ?? "not found");
    case 429: {
      const wait =
        failure.retryAfter && /^\d+$/.test(failure.retryAfter)
          ? `; retry in ${failure.retryAfter} s`
          : failure.retryAfter
            ? `; retry after ${failure.retryAfter}`
            : "";
      return `rate limited${detail ? `: ${detail}` : ""}${wait}`;
    }
    default: {
      const lines = [detail ?? problem.title ?? `the server answered HTTP ${failure.status}`];
      for (const [field, messages] of Object.entries(problem.errors ?? {})) {
        for (const message of messages) if (message !== detail) lines.push(`  ${field}: ${message}`);
      }
      if (failure.status >= 500 && problem.requestId) lines.push(`  (request id ${problem.requestId})`);
      return lines.join("\n");
    }
  }
}
