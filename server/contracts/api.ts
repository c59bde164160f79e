import { z } from "zod";

/**
 * What procedures answer, as zod schemas: checked on the way out (a procedure cannot leak a
 * field it does not declare: unknown keys are stripped) and the source of the OpenAPI
 * document's response schemas (server/api/openapi.ts). Inputs live beside them in vm.ts.
 */

/** A date-time in answers (JSON: an ISO 8601 string). */
export const dateTime = z.date().meta({ description: "ISO 8601 date-time", format: "date-time" });

export const vmState = z.enum([
  "creating",
  "stopped",
  "starting",
  "running",
  "stopping",
  "paused",
  "destroyed",
  "failed",
  "pausing",
  "resuming",
  "rebooting",
  "migrating",
  "attaching",
  "detaching",
  "resizing",
  "snapshotting",
  "reverting",
]);

/** Which backend domain serves a device: a driver domain of the realm (untrusted, blocks sealed), or null for the platform's (trusted). */
const deviceBackend = z
  .object({ id: z.uuid(), name: z.string() })
  .nullable()
  .meta({ description: "The realm's driver domain serving the device (an untrusted backend: data is sealed with AES-GCM); null: the platform's trusted backend" });

/** Whether the device is connected to its backend: after a driver domain's rebuild it is attached again, or detached with the reason. */
const deviceBackendState = {
  backendState: z.string().meta({ description: "attached; reattaching (its driver domain was rebuilt: the worker attaches it again); detached (the host refused: backendReason)" }),
  backendReason: z.string().nullable().meta({ description: "Why the device is detached from its backend (the host's answer, with FLASK's AVC lines); null otherwise" }),
};

export const vmOutput = z
  .object({
    id: z.uuid(),
    realmId: z.uuid(),
    name: z.string(),
    kind: z.enum(["management", "guest"]),
    vcpus: z.number().int(),
    memoryMb: z.number().int(),
    domid: z.number().int().nullable().meta({ description: "The Xen domain id while a domain exists" }),
    desiredState: vmState,
    observedState: vmState,
    stateReason: z.string().nullable(),
    createdAt: dateTime,
    updatedAt: dateTime,
    template: z.object({ id: z.uuid(), name: z.string() }).nullable(),
    host: z.object({ id: z.uuid(), name: z.string(), status: z.enum(["online", "unreachable"]) }).nullable(),
    disks: z.array(z.object({ id: z.uuid(), name: z.string(), sizeGb: z.number().int(), backend: deviceBackend, ...deviceBackendState })),
    networks: z.array(z.object({ network: z.object({ id: z.uuid(), name: z.string() }), backend: deviceBackend, ...deviceBackendState })),
  })
  .meta({ id: "Vm" });

/** A page of a list, newest or first by the list's order; `nextCursor` is null on the last page. */
export function pageOf<T extends z.ZodType>(item: T, id: string) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() }).meta({ id });
}

export const pageInput = z
  .object({
    cursor: z.string({ error: "cursor must be a string" }).max(200, "cursor must be at most 200 characters").optional(),
    limit: z.coerce.number({ error: "limit must be a number" }).int("limit must be a whole number").min(1, "limit must be at least 1").max(200, "limit must be at most 200").default(50),
    // tRPC's infinite queries (the console's useInfiniteQuery) send the direction they page in;
    // pages only go forward, so it is accepted and ignored (without it, strict() refuses them).
    direction: z.enum(["forward", "backward"], { error: "direction must be forward or backward" }).optional().meta({ description: "Ignored: pages go forward" }),
  })
  .strict();

export const operationStatus = z.enum(["pending", "running", "retrying", "succeeded", "failed"]);

export const operationOutput = z
  .object({
    id: z.uuid(),
    vmId: z.uuid(),
    action: z.string(),
    status: operationStatus,
    done: z.boolean().meta({ description: "succeeded or failed: the status will not change again" }),
    steps: z.array(
      z.object({
        name: z.enum(["accepted", "dispatched", "retrying", "applied"]),
        status: z.enum(["done", "running", "pending", "failed"]),
        at: dateTime.nullable(),
        detail: z.string().nullable(),
      }),
    ),
    error: z.string().nullable(),
    result: z.object({ reason: z.string().nullable(), avc: z.array(z.string()).meta({ description: "The hypervisor's AVC lines" }) }).nullable(),
    createdAt: dateTime,
    startedAt: dateTime.nullable(),
    finishedAt: dateTime.nullable(),
    durationMs: z.number().int().nullable(),
  })
  .meta({ id: "Operation" });

/**
 * A lifecycle request's answer (HTTP 202, Location: the operation). With `?wait=` the REST
 * surface adds the operation as it was when it finished or the wait ran out.
 */
const acceptedFields = {
  operationId: z.uuid(),
  operation: operationOutput.optional().meta({ description: "Present with ?wait=: the operation once done, or as it was when the wait ran out" }),
};
export const acceptedOutput = z.object(acceptedFields).meta({ id: "Accepted" });
/** A VM being created: its id, and the operation building it. */
export const vmAcceptedOutput = z.object({ ...acceptedFields, vmId: z.uuid() }).meta({ id: "VmAccepted" });
/** A snapshot being taken: its id, and the operation taking it. */
export const snapshotAcceptedOutput = z.object({ ...acceptedFields, snapshotId: z.uuid() }).meta({ id: "SnapshotAccepted" });
/** A VM's snapshot: a saved domain its host keeps; its storage counts against the realm's disk GiB. */
export const snapshotOutput = z
  .object({
    id: z.uuid(),
    vmId: z.uuid(),
    name: z.string(),
    status: z.enum(["creating", "ready", "deleting"]).meta({ description: "creating / deleting: an operation on it is in flight" }),
    vmState: z.enum(["running", "paused", "stopped"]).meta({ description: "The state the VM was saved in: a revert brings it back to it" }),
    vcpus: z.number().int(),
    memoryMb: z.number().int(),
    sizeGb: z.number().int().meta({ description: "Storage held against the realm's disk quota: the saved memory (whole GiB) and a copy of each disk" }),
    diskIds: z.array(z.uuid()),
    createdAt: dateTime,
  })
  .meta({ id: "Snapshot" });
export const renamedOutput = z.object({ vmId: z.uuid(), name: z.string() }).meta({ id: "VmRenamed" });
/** A migration: the host placement chose. */
export const migrationAcceptedOutput = z.object({ ...acceptedFields, destinationHostId: z.uuid() }).meta({ id: "MigrationAccepted" });

// ---------------------------------------------------------------------------------------------
// The realm's other objects: disks, networks, templates, the realm itself, people, the trail.

const memberRoleOutput = z.enum(["owner", "admin", "operator", "viewer"]);

export const diskOutput = z
  .object({
    id: z.uuid(),
    name: z.string(),
    sizeGb: z.number().int(),
    createdAt: dateTime,
    vm: z.object({ id: z.uuid(), name: z.string() }).nullable().meta({ description: "The VM it is attached to (or being attached to)" }),
  })
  .meta({ id: "Disk" });

export const networkOutput = z
  .object({
    id: z.uuid(),
    name: z.string(),
    createdAt: dateTime,
    vms: z.array(z.object({ vm: z.object({ id: z.uuid(), name: z.string() }) })).meta({ description: "The VMs with an interface on it" }),
  })
  .meta({ id: "Network" });

export const templateOutput = z
  .object({ id: z.uuid(), name: z.string(), description: z.string(), vcpus: z.number().int(), memoryMb: z.number().int(), diskGb: z.number().int() })
  .meta({ id: "Template" });

export const realmOutput = z
  .object({
    id: z.uuid(),
    org: z.object({ name: z.string(), slug: z.string() }),
    role: memberRoleOutput.meta({ description: "The caller's role (a break-glass grant's role for an operator)" }),
    permissions: z.array(z.string()).meta({ description: "What the caller may do here: its role's grant, narrowed to its token's permissions" }),
    category: z.string().meta({ description: "The realm's MLS category pair, e.g. s0:c10,c11" }),
    managementLabel: z.string(),
    managementVm: vmOutput.nullable(),
  })
  .meta({ id: "Realm" });

export const quotaAmounts = z.object({ vcpus: z.number().int(), memoryMb: z.number().int(), vms: z.number().int(), diskGb: z.number().int(), networks: z.number().int() });

export const quotaOutput = z.object({ limits: quotaAmounts, used: quotaAmounts, updatedAt: dateTime }).meta({ id: "Quota" });

export const memberOutput = z
  .object({ userId: z.uuid(), name: z.string(), email: z.string(), role: memberRoleOutput, since: dateTime })
  .meta({ id: "Member" });

export const invitationOutput = z
  .object({
    id: z.uuid(),
    email: z.string(),
    role: memberRoleOutput,
    expiresAt: dateTime,
    createdAt: dateTime,
    createdBy: z.string().meta({ description: "The inviting member's name" }),
  })
  .meta({ id: "Invitation" });

/** A new invitation: the link is in this answer only (its hash is stored). */
export const createdInvitationOutput = z
  .object({ invitationId: z.uuid(), link: z.string().meta({ description: "The invitation link: shown once, usable once" }), email: z.string(), role: memberRoleOutput, expiresAt: dateTime })
  .meta({ id: "CreatedInvitation" });

export const auditEventOutput = z
  .object({
    id: z.string().meta({ description: "A positive integer, as a string" }),
    createdAt: dateTime,
    actor: z.string().meta({ description: 'Who, in words: a member\'s email, "token <name> of <email>", "<email> (break-glass)", or "system"' }),
    actorId: z.uuid().nullable().meta({ description: "The acting user's id; null: the system" }),
    action: z.string(),
    targetType: z.string(),
    targetId: z.string().nullable(),
    decision: z.enum(["allow", "deny"]),
    layer: z.string().meta({ description: "trpc, database, hypervisor, worker or auth" }),
    reason: z.string(),
    requestId: z.string(),
  })
  .meta({ id: "AuditEvent" });
