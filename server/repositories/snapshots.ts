import type { Tx } from "../db/client";
import { Prisma } from "../generated/prisma/client";
import { DomainError } from "../errors";
import { afterCreated, cursorRow, toPage, type PageRequest } from "./pagination";

/**
 * VM snapshots (vm_snapshots, migration snapshots): the control plane's record of a saved domain
 * its host keeps. The realm id comes first and is in every WHERE clause; row-level security
 * confines the tenant role to its realm. Deleting a row releases its storage from the realm's
 * disk quota (a trigger), whoever deletes it.
 */

export type SnapshotState = "running" | "paused" | "stopped";
export type SnapshotStatus = "creating" | "ready" | "deleting";

export const snapshotSelect = {
  id: true,
  vmId: true,
  name: true,
  status: true,
  vmState: true,
  vcpus: true,
  memoryMb: true,
  sizeGb: true,
  diskIds: true,
  createdAt: true,
} satisfies Prisma.VmSnapshotSelect;

/** One page of a VM's snapshots, newest first (then by id), older than the snapshot the cursor names (one of this VM's). */
export async function listSnapshots(db: Tx, realmId: string, vmId: string, page: PageRequest) {
  const after = await cursorRow(page.cursor, (id) => db.vmSnapshot.findFirst({ where: { realmId, vmId, id }, select: { id: true, createdAt: true } }));
  const rows = await db.vmSnapshot.findMany({ where: { realmId, vmId, ...afterCreated(after, "desc") }, orderBy: [{ createdAt: "desc" }, { id: "desc" }], take: page.limit + 1, select: snapshotSelect });
  return toPage(rows, page.limit, (row) => row.id);
}

export function countSnapshots(db: Tx, realmId: string, vmId: string): Promise<number> {
  return db.vmSnapshot.count({ where: { realmId, vmId } });
}

export const DUPLICATE_SNAPSHOT_NAME = "name: this VM already has a snapshot with this name";

export async function insertSnapshot(
  tx: Tx,
  row: { realmId: string; id: string; vmId: string; name: string; vmState: SnapshotState; vcpus: number; memoryMb: number; sizeGb: number; diskIds: string[] },
): Promise<void> {
  try {
    await tx.vmSnapshot.create({ data: { ...row, status: "creating" } });
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") throw new DomainError("bad_input", DUPLICATE_SNAPSHOT_NAME, { field: "name" });
    throw error;
  }
}

/** The VM's snapshot, locked until the transaction ends; null when the VM has no such snapshot. */
export async function lockSnapshot(tx: Tx, realmId: string, vmId: string, snapshotId: string) {
  const [row] = await tx.$queryRaw<{ id: string; name: string; status: SnapshotStatus; vm_state: SnapshotState; vcpus: number; memory_mb: number }[]>`
    SELECT "id"::text, "name", "status", "vm_state", "vcpus", "memory_mb" FROM "vm_snapshots"
     WHERE "realm_id" = ${realmId}::uuid AND "vm_id" = ${vmId}::uuid AND "id" = ${snapshotId}::uuid
       FOR UPDATE`;
  return row ? { id: row.id, name: row.name, status: row.status, vmState: row.vm_state, vcpus: row.vcpus, memoryMb: row.memory_mb } : null;
}

export async function setSnapshotStatus(tx: Tx, realmId: string, snapshotId: string, status: SnapshotStatus): Promise<void> {
  await tx.vmSnapshot.updateMany({ where: { realmId, id: snapshotId }, data: { status } });
}

/** Removes the record (its storage goes back to the realm's quota). */
export async function deleteSnapshotRow(tx: Tx, realmId: string, snapshotId: string): Promise<void> {
  await tx.vmSnapshot.deleteMany({ where: { realmId, id: snapshotId } });
}

/** Sizes of the disks attached to a VM (what a snapshot or a clone copies). */
export function listVmDisks(db: Tx, realmId: string, vmId: string) {
  return db.disk.findMany({ where: { realmId, vmId }, orderBy: [{ createdAt: "asc" }, { id: "asc" }], select: { id: true, name: true, sizeGb: true } });
}
