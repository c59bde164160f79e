import type { Prisma } from "../generated/prisma/client";
import type { Db, Tx as TxClient } from "../db/client";

type Tx = Db | TxClient;

/** VM rows. The realm id is always the first argument and always in the WHERE clause. */

export const vmSelect = {
  id: true,
  realmId: true,
  name: true,
  kind: true,
  vcpus: true,
  memoryMb: true,
  domid: true,
  desiredState: true,
  observedState: true,
  stateReason: true,
  createdAt: true,
  updatedAt: true,
  template: { select: { id: true, name: true } },
  host: { select: { id: true, name: true, status: true } },
  disks: { select: { id: true, name: true, sizeGb: true } },
  networks: { select: { network: { select: { id: true, name: true } } } },
} satisfies Prisma.VmSelect;

export type VmView = Prisma.VmGetPayload<{ select: typeof vmSelect }>;

export function findVmInRealm(db: Tx, realmId: string, vmId: string) {
  return db.vm.findUnique({ where: { realmId_id: { realmId, id: vmId } }, select: vmSelect });
}

export function listVmsInRealm(db: Tx, realmId: string) {
  return db.vm.findMany({
    where: { realmId, observedState: { not: "destroyed" } },
    orderBy: [{ kind: "asc" }, { createdAt: "asc" }],
    select: vmSelect,
  });
}

export function findManagementVm(db: Tx, realmId: string) {
  return db.vm.findFirst({ where: { realmId, kind: "management" }, select: vmSelect });
}

/** Whether a VM id exists in any realm: for the audit record of a denial only, never for a reply. */
export async function unsafeVmExists(platform: Db, vmId: string): Promise<boolean> {
  return (await platform.vm.count({ where: { id: vmId } })) > 0;
}

/** A VM by id in any realm: test builds with layer 1 switched off only. */
export function unsafeFindVm(platform: Db, vmId: string) {
  return platform.vm.findUnique({ where: { id: vmId }, select: vmSelect });
}
