import { z } from "zod";

/** Input schemas shared by the web tier, the worker and tests. Errors name the field. */

export const vmName = z
  .string({ error: "name is required" })
  .trim()
  .min(1, { error: "name must not be empty", abort: true })
  .max(63, "name must be at most 63 characters")
  .regex(/^[a-z][a-z0-9-]*$/, "name must start with a letter and use only a-z, 0-9 and '-'")
  .refine((s) => !s.endsWith("-"), "name must not end with '-'");

export const memoryMb = z
  .number({ error: "memoryMb must be a number" })
  .int("memoryMb must be a whole number of MiB")
  .min(128, "memoryMb must be at least 128")
  .max(262_144, "memoryMb must be at most 262144 (256 GiB)");

export const vcpus = z
  .number({ error: "vcpus must be a number" })
  .int("vcpus must be a whole number")
  .min(1, "vcpus must be at least 1")
  .max(64, "vcpus must be at most 64");

export const id = z.uuid({ error: "must be a valid id" });

/** Optional on every mutation: the same key and request return the first answer (24 h). */
export const idempotencyKey = z
  .string({ error: "idempotencyKey must be a string" })
  .min(8, "idempotencyKey must be at least 8 characters")
  .max(128, "idempotencyKey must be at most 128 characters")
  .regex(/^[A-Za-z0-9_.:-]+$/, "idempotencyKey may use only letters, digits and _ . : -");

export const createVmInput = z
  .object({
    idempotencyKey: idempotencyKey.optional(),
    name: vmName,
    templateId: id,
    memoryMb: memoryMb.optional(),
    vcpus: vcpus.optional(),
  })
  .strict();

export const vmIdInput = z.object({ vmId: id }).strict();
export const vmMutationInput = z.object({ vmId: id, idempotencyKey: idempotencyKey.optional() }).strict();
export const vmStopInput = vmMutationInput
  .extend({ mode: z.enum(["clean", "hard"], { error: "mode must be clean or hard" }).default("clean") })
  .strict();

/** Migrate: to a host the member chose among vm.migrationHosts, or (absent) where placement picks. */
export const vmMigrateInput = vmMutationInput
  .extend({ destinationHostId: z.uuid({ error: "destinationHostId must be a valid host id" }).optional() })
  .strict();

export type CreateVmInput = z.infer<typeof createVmInput>;

/** Names of disks and networks follow the same rules as VM names. */
const resourceName = vmName;

export const createDiskInput = z
  .object({
    idempotencyKey: idempotencyKey.optional(),
    name: resourceName,
    sizeGb: z.number({ error: "sizeGb must be a number" }).int("sizeGb must be a whole number").min(1, "sizeGb must be at least 1").max(16_384, "sizeGb must be at most 16384"),
  })
  .strict();
export const diskIdInput = z.object({ diskId: id, idempotencyKey: idempotencyKey.optional() }).strict();
export const createNetworkInput = z.object({ idempotencyKey: idempotencyKey.optional(), name: resourceName }).strict();
export const networkIdInput = z.object({ networkId: id, idempotencyKey: idempotencyKey.optional() }).strict();
export const vmDiskInput = z.object({ vmId: id, diskId: id, idempotencyKey: idempotencyKey.optional() }).strict();
export const vmNetworkInput = z.object({ vmId: id, networkId: id, idempotencyKey: idempotencyKey.optional() }).strict();
/** Attach: optionally through one of the realm's driver domains (backend.list); left out: the platform's backend. */
const backendChoice = { backendId: id.optional().meta({ description: "A driver domain of the realm (untrusted backend: blocks are sealed); absent: the platform's trusted backend" }) };
export const vmAttachDiskInput = vmDiskInput.extend(backendChoice).strict();
export const vmAttachNetworkInput = vmNetworkInput.extend(backendChoice).strict();

// Backend domains (issue 15 part 3).
export const createDriverDomainInput = z
  .object({ idempotencyKey: idempotencyKey.optional(), name: vmName, vmId: id.meta({ description: "A VM of the realm: the driver domain is built on its host" }) })
  .strict();
export const backendIdInput = z.object({ backendId: id, idempotencyKey: idempotencyKey.optional() }).strict();

// Everyday VM work (issue 14): rename, resize, clone and snapshots.
export const vmRenameInput = vmMutationInput.extend({ name: vmName }).strict();
/** Resize: the new vCPUs and/or memory (what is left out stays). */
export const vmResizeInput = vmMutationInput
  .extend({ vcpus: vcpus.optional(), memoryMb: memoryMb.optional() })
  .strict()
  .refine((v) => v.vcpus !== undefined || v.memoryMb !== undefined, { error: "vcpus: give vcpus, memoryMb or both", path: ["vcpus"] });
/** Clone: the new VM's name (a stopped VM's template, size and copies of its disks). */
export const vmCloneInput = vmMutationInput.extend({ name: vmName }).strict();
/** A snapshot's name follows the VM name rules; without one it is named for the time it was taken. */
export const vmSnapshotInput = vmMutationInput.extend({ name: vmName.optional() }).strict();
export const vmSnapshotIdInput = vmMutationInput.extend({ snapshotId: z.uuid({ error: "snapshotId must be a valid id" }) }).strict();
