import type { Tx } from "../db/client";
import { Prisma } from "../generated/prisma/client";
import { DomainError } from "../errors";
import { afterCreated, cursorRow, toPage, type PageRequest } from "./pagination";

/** A realm's disks and networks, and their attachments to its VMs. The realm id comes first. */

function duplicateName(error: unknown, what: string): never {
  if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
    throw new DomainError("bad_input", `name: a ${what} with this name already exists in your realm`, { field: "name" });
  }
  throw error;
}

/** One page of the realm's disks, oldest first (then by id), after the disk the cursor names. */
export async function listDisks(db: Tx, realmId: string, page: PageRequest) {
  const after = await cursorRow(page.cursor, (id) => db.disk.findUnique({ where: { realmId_id: { realmId, id } }, select: { id: true, createdAt: true } }));
  const rows = await db.disk.findMany({
    where: { realmId, ...afterCreated(after, "asc") },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    take: page.limit + 1,
    select: { id: true, name: true, sizeGb: true, createdAt: true, vm: { select: { id: true, name: true } } },
  });
  return toPage(rows, page.limit, (disk) => disk.id);
}

export async function insertDisk(tx: Tx, disk: { realmId: string; id: string; name: string; sizeGb: number }): Promise<void> {
  await tx.disk.create({ data: disk }).catch((e: unknown) => duplicateName(e, "disk"));
}

export function findDisk(tx: Tx, realmId: string, diskId: string) {
  return tx.disk.findUnique({ where: { realmId_id: { realmId, id: diskId } }, select: { id: true, name: true, vmId: true } });
}

/** The disk, locked until the transaction ends (attach reserves it). */
export async function lockDisk(tx: Tx, realmId: string, diskId: string): Promise<{ vmId: string | null; name: string } | null> {
  const [disk] = await tx.$queryRaw<{ vm_id: string | null; name: string }[]>`
    SELECT vm_id, name FROM disks WHERE realm_id = ${realmId}::uuid AND id = ${diskId}::uuid FOR UPDATE`;
  return disk ? { vmId: disk.vm_id, name: disk.name } : null;
}

export async function deleteDisk(tx: Tx, realmId: string, diskId: string): Promise<void> {
  await tx.disk.delete({ where: { realmId_id: { realmId, id: diskId } } });
}

/** Reserves the disk for the VM (attach accepted). */
export async function reserveDisk(tx: Tx, realmId: string, diskId: string, vmId: string): Promise<void> {
  await tx.disk.update({ where: { realmId_id: { realmId, id: diskId } }, data: { vmId } });
}

/** Frees a disk the VM holds (detached, or an attach the host refused); all its disks without diskId. */
export async function releaseDisks(tx: Tx, realmId: string, vmId: string, diskId?: string): Promise<void> {
  await tx.disk.updateMany({ where: { realmId, vmId, ...(diskId ? { id: diskId } : {}) }, data: { vmId: null, backendId: null, backendState: "attached", backendDomid: null, backendReason: null } });
}

/** One page of the realm's networks, oldest first (then by id), after the network the cursor names. */
export async function listNetworks(db: Tx, realmId: string, page: PageRequest) {
  const after = await cursorRow(page.cursor, (id) => db.network.findUnique({ where: { realmId_id: { realmId, id } }, select: { id: true, createdAt: true } }));
  const rows = await db.network.findMany({
    where: { realmId, ...afterCreated(after, "asc") },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    take: page.limit + 1,
    select: { id: true, name: true, createdAt: true, vms: { select: { vm: { select: { id: true, name: true } } } } },
  });
  return toPage(rows, page.limit, (network) => network.id);
}

export async function insertNetwork(tx: Tx, network: { realmId: string; id: string; name: string }): Promise<void> {
  await tx.network.create({ data: network }).catch((e: unknown) => duplicateName(e, "network"));
}

/** The network and how many VMs are on it. */
export async function findNetwork(tx: Tx, realmId: string, networkId: string): Promise<{ id: string; name: string; attachedVms: number } | null> {
  const network = await tx.network.findUnique({ where: { realmId_id: { realmId, id: networkId } }, include: { _count: { select: { vms: true } } } });
  return network ? { id: network.id, name: network.name, attachedVms: network._count.vms } : null;
}

export async function deleteNetwork(tx: Tx, realmId: string, networkId: string): Promise<void> {
  await tx.network.delete({ where: { realmId_id: { realmId, id: networkId } } });
}

export async function isOnNetwork(tx: Tx, realmId: string, vmId: string, networkId: string): Promise<boolean> {
  return (await tx.vmNetwork.findUnique({ where: { realmId_vmId_networkId: { realmId, vmId, networkId } } })) !== null;
}

/** Records the VM's interface on the network (attached on its host), served by `backendId` (null: the platform's backend). */
export async function addToNetwork(tx: Tx, realmId: string, vmId: string, networkId: string, backendId: string | null = null): Promise<void> {
  await tx.vmNetwork.createMany({ data: [{ realmId, vmId, networkId, backendId }], skipDuplicates: true });
}

/** Removes the VM's interface on the network; all its interfaces without networkId. */
export async function removeFromNetworks(tx: Tx, realmId: string, vmId: string, networkId?: string): Promise<void> {
  await tx.vmNetwork.deleteMany({ where: { realmId, vmId, ...(networkId ? { networkId } : {}) } });
}
