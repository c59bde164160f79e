import { randomUUID } from "node:crypto";
import type { Tx } from "../db/client";

/** Hosts are platform rows; tenants never list them. */

/** A host's capacity and what is placed on it, as placement (services/placement.ts) sees it. */
export type HostCapacity = {
  id: string;
  name: string;
  status: "online" | "unreachable";
  vcpus: number;
  memoryMb: number;
  usedVcpus: number;
  usedMemoryMb: number;
  /** Realms with a VM on the host (their wall types are "running" there). */
  realms: ReadonlySet<string>;
};

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

/**
 * Serialises placements fleet-wide until the caller's transaction ends, so two placements
 * cannot both take the last free capacity (or both pass the same Chinese Wall check).
 */
export async function lockPlacement(tx: Tx): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(72707369002)`;
}

/** Every host with its agent and health (the worker's poll, operators' view). */
export function unsafeListHosts(platform: Tx) {
  return platform.host.findMany({ orderBy: { name: "asc" }, select: { id: true, name: true, agentUrl: true, status: true, lastSeenAt: true, lastError: true } });
}

export function unsafeFindHost(platform: Tx, hostId: string) {
  return platform.host.findUnique({ where: { id: hostId }, select: { id: true, name: true, agentUrl: true } });
}

/** Registers a host, or updates its agent URL and size (hosts are re-registered at every start). */
export async function unsafeRegisterHost(platform: Tx, host: { name: string; agentUrl: string; vcpus: number; memoryMb: number }): Promise<void> {
  await platform.host.upsert({
    where: { name: host.name },
    create: { id: randomUUID(), ...host },
    update: { agentUrl: host.agentUrl, vcpus: host.vcpus, memoryMb: host.memoryMb },
  });
}

/** The host answered: its lease is renewed. */
export async function unsafeMarkHostOnline(platform: Tx, hostId: string): Promise<void> {
  await platform.host.update({ where: { id: hostId }, data: { status: "online", lastSeenAt: new Date(), lastError: null } });
}

export async function unsafeMarkHostUnreachable(platform: Tx, hostId: string, reason: string): Promise<void> {
  await platform.host.update({ where: { id: hostId }, data: { status: "unreachable", lastError: reason } });
}

export async function unsafeNoteHostError(platform: Tx, hostId: string, error: string): Promise<void> {
  await platform.host.update({ where: { id: hostId }, data: { lastError: error } });
}
