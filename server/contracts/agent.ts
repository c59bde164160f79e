import { z } from "zod";

/**
 * The host agent's HTTP contract. The worker sends these; the agent validates every body with
 * the same schemas and rejects anything else (400) before the hypervisor sees it.
 */

export const securityLabel = z
  .string()
  .regex(/^[a-z_][a-z0-9_]*:[a-z_][a-z0-9_]*:[a-z_][a-z0-9_]*(:[a-z0-9,.:-]+)?$/, "invalid security label");

export const domainAction = z.enum(["create", "start", "stop", "destroy"]);
export type DomainAction = z.infer<typeof domainAction>;

export const domainRequest = z
  .object({
    /** The operation id: the agent applies each at most once. */
    idempotencyKey: z.uuid(),
    action: domainAction,
    /** The realm's management domain label: the XSM subject of the hypercall. */
    subjectLabel: securityLabel,
    vm: z
      .object({
        uuid: z.uuid(),
        name: z.string().min(1).max(63),
        label: securityLabel,
        vcpus: z.number().int().min(1).max(64),
        memoryMb: z.number().int().min(128).max(262_144),
      })
      .strict(),
  })
  .strict();
export type DomainRequest = z.infer<typeof domainRequest>;

export const domainState = z.enum(["running", "paused", "shutdown", "stopped"]);
export type DomainState = z.infer<typeof domainState>;

export const domainInfo = z.object({
  domid: z.number().int(),
  uuid: z.string(),
  name: z.string(),
  label: z.string(),
  state: domainState,
  vcpus: z.number().int(),
  memoryMb: z.number().int(),
});
export type DomainInfo = z.infer<typeof domainInfo>;

export const domainResult = z.object({
  ok: z.boolean(),
  /** errno-style code on failure: EACCES for an XSM denial, ENOENT, EINVAL, EBUSY … */
  error: z.object({ code: z.string(), message: z.string() }).optional(),
  domain: domainInfo.nullable(),
  avc: z.array(z.string()),
  /** true when this idempotency key had already been applied: the stored result is returned. */
  replayed: z.boolean(),
});
export type DomainResult = z.infer<typeof domainResult>;

export const hostStatus = z.object({
  host: z.string(),
  bootId: z.string(),
  domains: z.array(domainInfo),
  capacity: z.object({ vcpus: z.number().int(), memoryMb: z.number().int() }),
});
export type HostStatusReply = z.infer<typeof hostStatus>;
