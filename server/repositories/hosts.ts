import type { Prisma } from "../generated/prisma/client";
import type { Db } from "../db/client";
import type { HostCapacity } from "../services/placement";

type Tx = Db | Prisma.TransactionClient;

/** Hosts are platform rows; tenants never list them. */

export async function unsafeListHostCapacity(db: Tx): Promise<HostCapacity[]> {
  const hosts = await db.host.findMany({ orderBy: { name: "asc" } });
  const used = await db.vm.groupBy({
    by: ["hostId"],
    where: { hostId: { not: null }, observedState: { not: "destroyed" } },
    _sum: { vcpus: true, memoryMb: true },
  });
  const usage = new Map(used.map((u) => [u.hostId, u._sum]));
  const placed = await db.vm.groupBy({ by: ["hostId", "realmId"], where: { hostId: { not: null }, observedState: { not: "destroyed" } } });
  const realms = new Map<string, Set<string>>();
  for (const p of placed) {
    const set = realms.get(p.hostId!) ?? new Set<string>();
    set.add(p.realmId);
    realms.set(p.hostId!, set);
  }
  return hosts.map((h) => ({
    id: h.id,
    name: h.name,
    status: h.status,
    vcpus: h.vcpus,
    memoryMb: h.memoryMb,
    usedVcpus: usage.get(h.id)?.vcpus ?? 0,
    usedMemoryMb: usage.get(h.id)?.memoryMb ?? 0,
    realms: realms.get(h.id) ?? new Set<string>(),
  }));
}
