import type { Prisma } from "../generated/prisma/client";
import type { Db } from "../db/client";

type Tx = Db | Prisma.TransactionClient;

export const operationSelect = {
  id: true,
  vmId: true,
  action: true,
  status: true,
  attempts: true,
  lastError: true,
  result: true,
  createdAt: true,
  startedAt: true,
  finishedAt: true,
  requestedById: true,
} satisfies Prisma.OperationSelect;

export function listOperationsForVm(db: Tx, realmId: string, vmId: string, take = 20) {
  return db.operation.findMany({
    where: { realmId, vmId },
    orderBy: { createdAt: "desc" },
    take,
    select: operationSelect,
  });
}

export function findOperationInRealm(db: Tx, realmId: string, operationId: string) {
  return db.operation.findUnique({ where: { realmId_id: { realmId, id: operationId } }, select: operationSelect });
}

/** The operation not yet finished for a VM, if any (one in flight per VM). */
export function findOpenOperationForVm(db: Tx, realmId: string, vmId: string) {
  return db.operation.findFirst({
    where: { realmId, vmId, status: { in: ["pending", "running", "retrying"] } },
    select: { id: true, action: true, status: true },
  });
}
