/**
 * Hypercall failures, errno-style as Xen returns them: EACCES for an XSM (or ACM) denial, with
 * the AVC lines that explain it; EINVAL, ENOENT, EEXIST, EBUSY for everything else.
 */

export type HypercallErrno = "EACCES" | "ENOENT" | "EINVAL" | "EEXIST" | "EBUSY";

export class HypercallError extends Error {
  override name = "HypercallError";
  constructor(
    readonly code: HypercallErrno,
    message: string,
    readonly avc: string[] = [],
  ) {
    super(message);
  }
}
