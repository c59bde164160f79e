import { randomUUID } from "node:crypto";
import type { Tx } from "../db/client";
import { Prisma } from "../generated/prisma/client";
import { cursorRow, toPage, type Page, type PageRequest } from "./pagination";

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
  /** Which of the realms asked about have a VM on the host (their wall types are "running" there). */
  realms: ReadonlySet<string>;
};

/**
 * Every host with what is placed on it (host_usage, kept by the database as VM rows change:
 * migration operator_overviews) and which of the `relevant` realms (the ones placement must keep
 * apart, the Chinese Wall conflict set) have a VM there. Two indexed reads whatever the fleet's
 * size: placement never counts VMs.
 */
export async function unsafeListHostCapacity(db: Tx, relevant: ReadonlySet<string> = new Set()): Promise<HostCapacity[]> {
  const hosts = await db.host.findMany({ orderBy: { name: "asc" }, include: { usage: true } });
  const placed =
    relevant.size === 0
      ? []
      : await db.vm.findMany({
          where: { realmId: { in: [...relevant] }, hostId: { not: null }, observedState: { not: "destroyed" } },
          distinct: ["hostId", "realmId"],
          select: { hostId: true, realmId: true },
        });
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
    usedVcpus: Number(h.usage?.vcpus ?? 0),
    usedMemoryMb: Number(h.usage?.memoryMb ?? 0),
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

export type HostOverview = {
  id: string;
  name: string;
  agentUrl: string;
  status: "online" | "unreachable";
  vcpus: number;
  memoryMb: number;
  usedVcpus: number;
  usedMemoryMb: number;
  vmCount: number;
  lastSeenAt: Date | null;
  lastError: string | null;
};

type RawHostOverview = Omit<HostOverview, "usedVcpus" | "usedMemoryMb"> & { usedVcpus: bigint; usedMemoryMb: bigint };

/**
 * One page of hosts (by name, then id) with what is placed on each: read from host_usage, the
 * sums the database keeps as VM rows change (migration host_usage), not summed per request
 * (at a million VMs that read every VM of the page's hosts: about a second).
 */
export async function unsafeListHostOverview(platform: Tx, page: PageRequest): Promise<Page<HostOverview>> {
  const after = await cursorRow(page.cursor, (id) => platform.host.findUnique({ where: { id }, select: { id: true } }));
  const rows = await platform.$queryRaw<RawHostOverview[]>`
    SELECT h."id", h."name", h."agent_url" AS "agentUrl", h."status"::text AS "status", h."vcpus", h."memory_mb" AS "memoryMb",
           h."last_seen_at" AS "lastSeenAt", h."last_error" AS "lastError",
           COALESCE(u."vcpus", 0) AS "usedVcpus", COALESCE(u."memory_mb", 0) AS "usedMemoryMb", COALESCE(u."vms", 0) AS "vmCount"
      FROM "hosts" h LEFT JOIN "host_usage" u ON u."host_id" = h."id"
     WHERE ${after ? Prisma.sql`(h."name", h."id") > (SELECT c."name", c."id" FROM "hosts" c WHERE c."id" = ${after.id}::uuid)` : Prisma.sql`true`}
     ORDER BY h."name", h."id" LIMIT ${page.limit + 1}`;
  return toPage(
    rows.map((r) => ({ ...r, usedVcpus: Number(r.usedVcpus), usedMemoryMb: Number(r.usedMemoryMb) })),
    page.limit,
    (h) => h.id,
  );
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
