/**
 * Hypercall failures, errno-style as Xen returns them: EACCES for an XSM (or ACM) denial, with
 * the AVC lines that explain it; EINVAL, ENOENT, EEXIST, EBUSY for everything else; EIO when a
 * block read through an untrusted backend fails its integrity check (block-data.ts).
 */

export type HypercallErrno = "EACCES" | "EPERM" | "ENOENT" | "EINVAL" | "EEXIST" | "EBUSY" | "EIO";

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
