import type { Db, Tx } from "../db/client";
import { DomainError } from "../errors";
import { Prisma } from "../generated/prisma/client";
import { afterCreated, cursorRow, toPage, type Page, type PageRequest } from "./pagination";

/**
 * A realm's driver domains (untrusted backend domains, issue 15 part 3) and which backend
 * serves each attachment. Tenant functions take the realm id first and run under row-level
 * security; `unsafe…` ones are the worker's, on the platform client, across realms.
 */

export type DriverDomainState = "creating" | "running" | "failed" | "removing";

const view = {
  id: true,
  name: true,
  domid: true,
  state: true,
  stateReason: true,
  createdAt: true,
  host: { select: { id: true, name: true } },
} satisfies Prisma.DriverDomainSelect;

export type DriverDomainView = Prisma.DriverDomainGetPayload<{ select: typeof view }>;

/** One page of the realm's driver domains, oldest first (then by id), after the one the cursor names. */
export async function listDriverDomains(tx: Tx, realmId: string, page: PageRequest): Promise<Page<DriverDomainView>> {
  const after = await cursorRow(page.cursor, (id) => tx.driverDomain.findUnique({ where: { realmId_id: { realmId, id } }, select: { id: true, createdAt: true } }));
  const rows = await tx.driverDomain.findMany({ where: { realmId, ...afterCreated(after, "asc") }, orderBy: [{ createdAt: "asc" }, { id: "asc" }], take: page.limit + 1, select: view });
  return toPage(rows, page.limit, (row) => row.id);
}

/**
 * The driver domain's row, locked until the transaction ends: `share` by an attach (several may
 * attach through it at once), `update` by a removal, so a removal and an attach serialise and an
 * attach never goes through a driver domain being removed.
 */
export async function lockDriverDomain(tx: Tx, realmId: string, id: string, mode: "share" | "update"): Promise<{ id: string; name: string; state: string; hostId: string } | null> {
  const lock = Prisma.raw(mode === "share" ? "FOR SHARE" : "FOR UPDATE");
  const [row] = await tx.$queryRaw<{ id: string; name: string; state: string; host_id: string }[]>`
    SELECT id, name, state, host_id FROM driver_domains WHERE realm_id = ${realmId}::uuid AND id = ${id}::uuid ${lock}`;
  return row ? { id: row.id, name: row.name, state: row.state, hostId: row.host_id } : null;
}

export async function insertDriverDomain(tx: Tx, row: { realmId: string; id: string; name: string; hostId: string; vcpus: number; memoryMb: number }): Promise<void> {
  await tx.driverDomain.create({ data: row }).catch((error: unknown) => {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      throw new DomainError("bad_input", "name: a driver domain with this name already exists in your realm", { field: "name" });
    }
    throw error;
  });
}

/** How many disk attachments and network interfaces the driver domain serves (or is reserved for). */
export async function countServed(tx: Tx, realmId: string, backendId: string): Promise<number> {
  const [disks, interfaces] = await Promise.all([
    tx.disk.count({ where: { realmId, backendId } }),
    tx.vmNetwork.count({ where: { realmId, backendId } }),
  ]);
  return disks + interfaces;
}

/** The names of the realm's driver domains serving any disk or interface of `vmId`. */
export async function driverDomainsServingVm(tx: Tx, realmId: string, vmId: string): Promise<string[]> {
  const rows = await tx.driverDomain.findMany({
    where: { realmId, OR: [{ disks: { some: { vmId } } }, { interfaces: { some: { vmId } } }] },
    orderBy: { name: "asc" },
    select: { name: true },
  });
  return rows.map((r) => r.name);
}

export async function markRemoving(tx: Tx, realmId: string, id: string): Promise<void> {
  await tx.driverDomain.update({ where: { realmId_id: { realmId, id } }, data: { state: "removing", stateReason: null } });
}

/** A failed driver domain has nothing on its host: its row just goes. */
export async function deleteDriverDomain(tx: Tx, realmId: string, id: string): Promise<void> {
  await tx.driverDomain.delete({ where: { realmId_id: { realmId, id } } });
}

/** Records the backend a disk attachment goes through (null: the platform's); a new attachment starts attached. */
export async function setDiskBackend(tx: Tx, realmId: string, diskId: string, backendId: string | null): Promise<void> {
  await tx.disk.update({ where: { realmId_id: { realmId, id: diskId } }, data: { backendId, backendState: "attached", backendDomid: null, backendReason: null } });
}

// --- The worker's (platform client, every realm) ---------------------------------------

export type DriverDomainWork = { realmId: string; id: string; name: string; domid: number | null; state: string; vcpus: number; memoryMb: number; realm: { categoryLow: number; categoryHigh: number } };

/** The driver domains of a host the worker has to build, watch or tear down. */
export function unsafeDriverDomainsOnHost(platform: Db | Tx, hostId: string): Promise<DriverDomainWork[]> {
  return platform.driverDomain.findMany({
    where: { hostId, state: { in: ["creating", "running", "removing"] } },
    orderBy: { createdAt: "asc" },
    select: { realmId: true, id: true, name: true, domid: true, state: true, vcpus: true, memoryMb: true, realm: { select: { categoryLow: true, categoryHigh: true } } },
  });
}

/**
 * A decommissioned realm's driver domains go: one never built (failed) is deleted, every other is
 * marked removing, for the worker to destroy on its host (driver-domain-sync.ts) and then delete.
 */
export async function unsafeRemoveRealmDriverDomains(platform: Tx, realmId: string): Promise<void> {
  await platform.driverDomain.deleteMany({ where: { realmId, state: "failed" } });
  await platform.driverDomain.updateMany({ where: { realmId, state: { in: ["creating", "running"] } }, data: { state: "removing", stateReason: "the organization is being decommissioned" } });
}

export async function unsafeSettleDriverDomain(platform: Db | Tx, id: string, to: { state: DriverDomainState; domid: number | null; reason: string | null }): Promise<void> {
  await platform.driverDomain.updateMany({ where: { id }, data: { state: to.state, domid: to.domid, stateReason: to.reason } });
}

export async function unsafeDeleteDriverDomain(platform: Db | Tx, id: string): Promise<void> {
  await platform.driverDomain.deleteMany({ where: { id, state: "removing" } });
}

/** Why a removing driver domain is still there (its host refused the destroy; retried next poll). */
export async function unsafeNoteDriverDomain(platform: Db | Tx, id: string, reason: string): Promise<void> {
  await platform.driverDomain.updateMany({ where: { id, state: "removing" }, data: { stateReason: reason } });
}

/** The driver domain an attach names, inside the VM's realm (the dispatcher's lookup). */
export function unsafeFindDriverDomain(platform: Db | Tx, realmId: string, id: string) {
  return platform.driverDomain.findUnique({ where: { realmId_id: { realmId, id } }, select: { id: true, hostId: true, domid: true, state: true } });
}

// --- Devices of a rebuilt driver domain (the worker's, driver-domain-sync.ts) -------------

/** A device a rebuilt driver domain served, still to attach again: a disk (resourceId = disk id) or an interface (= network id). */
export type DeviceToReattach = { kind: "vbd" | "vif"; realmId: string; vmId: string; resourceId: string };

/**
 * The driver domain was built again (a new domain): every disk attachment and interface it
 * served is gone from the host and waits to be attached again. In the transaction that records
 * the rebuild, so a worker that dies after it still finds them.
 */
export async function unsafeMarkServedDevicesReattaching(platform: Tx, backendId: string): Promise<number> {
  return markServed(platform, backendId, { backendState: "reattaching", backendReason: null });
}

/** The driver domain could not be rebuilt (its host refused): the devices it served are detached, with the host's reason. */
export async function unsafeMarkServedDevicesDetached(platform: Tx, backendId: string, reason: string): Promise<number> {
  return markServed(platform, backendId, { backendState: "detached", backendReason: reason });
}

async function markServed(platform: Tx, backendId: string, data: { backendState: string; backendReason: string | null }): Promise<number> {
  const [disks, interfaces] = [
    await platform.disk.updateMany({ where: { backendId, vmId: { not: null } }, data }),
    await platform.vmNetwork.updateMany({ where: { backendId }, data }),
  ];
  return disks.count + interfaces.count;
}

/** The rebuilt driver domain's devices still to attach again, disks first (oldest first). */
export async function unsafeDevicesToReattach(platform: Db | Tx, backendId: string): Promise<DeviceToReattach[]> {
  const [disks, interfaces] = await Promise.all([
    platform.disk.findMany({ where: { backendId, backendState: "reattaching", vmId: { not: null } }, orderBy: [{ createdAt: "asc" }, { id: "asc" }], select: { realmId: true, id: true, vmId: true } }),
    platform.vmNetwork.findMany({ where: { backendId, backendState: "reattaching" }, orderBy: [{ createdAt: "asc" }, { networkId: "asc" }], select: { realmId: true, vmId: true, networkId: true } }),
  ]);
  return [
    ...disks.map((d): DeviceToReattach => ({ kind: "vbd", realmId: d.realmId, vmId: d.vmId!, resourceId: d.id })),
    ...interfaces.map((i): DeviceToReattach => ({ kind: "vif", realmId: i.realmId, vmId: i.vmId, resourceId: i.networkId })),
  ];
}

/**
 * Records a re-attach's outcome: attached to `domid`, or detached with the host's reason. Only a
 * device still reattaching through this driver domain changes (a detach or a new attach since
 * wins); returns whether it did.
 */
export async function unsafeSettleReattach(
  platform: Tx,
  backendId: string,
  device: DeviceToReattach,
  to: { state: "attached"; domid: number } | { state: "detached"; reason: string },
): Promise<boolean> {
  const data = to.state === "attached" ? { backendState: "attached", backendDomid: to.domid, backendReason: null } : { backendState: "detached", backendReason: to.reason };
  const where = { realmId: device.realmId, vmId: device.vmId, backendId, backendState: "reattaching" };
  const { count } =
    device.kind === "vbd"
      ? await platform.disk.updateMany({ where: { ...where, id: device.resourceId }, data })
      : await platform.vmNetwork.updateMany({ where: { ...where, networkId: device.resourceId }, data });
  return count === 1;
}
