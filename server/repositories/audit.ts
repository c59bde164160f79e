import type { Prisma } from "../generated/prisma/client";
import type { Db } from "../db/client";

type Tx = Db | Prisma.TransactionClient;

export type DecisionRecord = {
  realmId: string | null;
  actorId: string | null;
  action: string;
  targetType: string;
  targetId: string | null;
  decision: "allow" | "deny";
  /** trpc | database | hypervisor | worker | auth */
  layer: string;
  reason: string;
  requestId: string;
  details?: Prisma.InputJsonValue;
};

/** Appends one audit event; pass the transaction that makes the state change it explains. */
export async function recordDecision(db: Tx, record: DecisionRecord): Promise<void> {
  await db.auditEvent.create({ data: record });
}

export function listAuditForRealm(db: Tx, realmId: string, take = 50) {
  return db.auditEvent.findMany({
    where: { realmId },
    orderBy: { id: "desc" },
    take,
    select: { id: true, action: true, targetType: true, targetId: true, decision: true, layer: true, reason: true, createdAt: true, actorId: true },
  });
}
