/**
 * Errors raised by the FLASK engine. `code` mirrors the errno Xen's FLASK returns for the same
 * situation, so the simulated hypervisor can pass it straight through to its callers.
 */
export type XsmErrorCode =
  | "EINVAL" // malformed or invalid label, unknown class, policy that fails to compile
  | "EACCES" // an access check or a derived label refused
  | "ENOENT" // unknown SID or boolean
  | "EPARSE"; // policy text that does not parse or compile (carries file:line)

const ERRNO: Record<XsmErrorCode, number> = { EINVAL: 22, EACCES: 13, ENOENT: 2, EPARSE: 22 };

export class XsmError extends Error {
  readonly code: XsmErrorCode;
  /** Negative errno as a hypercall would return it. */
  readonly errno: number;
  readonly file?: string;
  readonly line?: number;

  constructor(code: XsmErrorCode, message: string, where?: { file: string; line: number }) {
    super(where ? `${where.file}:${where.line}: ${message}` : message);
    this.name = "XsmError";
    this.code = code;
    this.errno = -ERRNO[code];
    if (where) {
      this.file = where.file;
      this.line = where.line;
    }
  }
}

/** A compile error at a position in a policy file. */
export function policyError(file: string, line: number, message: string): XsmError {
  return new XsmError("EPARSE", message, { file, line });
}
