import { randomUUID } from "node:crypto";
import { sql, statement, type Tx } from "../db/client";
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

type CapacityRow = { id: string; name: string; status: HostCapacity["status"]; vcpus: number; memory_mb: number; used_vcpus: string; used_memory_mb: string; realms: string[] };

const CAPACITY_COLUMNS = `h."id", h."name", h."status"::text AS "status", h."vcpus", h."memory_mb",
       COALESCE(u."vcpus", 0) AS "used_vcpus", COALESCE(u."memory_mb", 0) AS "used_memory_mb",
       ARRAY(SELECT hr."realm_id" FROM "host_realm_usage" hr WHERE hr."host_id" = h."id" AND hr."realm_id" = ANY($1::uuid[])) AS "realms"
  FROM "hosts" h LEFT JOIN "host_usage" u ON u."host_id" = h."id"`;
const HOST_CAPACITY_ALL = statement("host_capacity_all", `SELECT ${CAPACITY_COLUMNS} ORDER BY h."name"`);
const HOST_CAPACITY_ONE = statement("host_capacity_one", `SELECT ${CAPACITY_COLUMNS} WHERE h."id" = $2`);

const toCapacity = (r: CapacityRow): HostCapacity => ({
  id: r.id,
  name: r.name,
  status: r.status,
  vcpus: r.vcpus,
  memoryMb: r.memory_mb,
  usedVcpus: Number(r.used_vcpus),
  usedMemoryMb: Number(r.used_memory_mb),
  realms: new Set(r.realms),
});

/**
 * Every host with what is placed on it (host_usage, kept by the database as VM rows change:
 * migration operator_overviews) and which of the `relevant` realms (the ones placement must keep
 * apart, the Chinese Wall conflict set) have a VM there (host_realm_usage, kept the same way:
 * a VM counts there while it has a host and is not destroyed). One statement on the driver,
 * whatever the fleet's size: placement never counts VMs.
 */
export async function unsafeListHostCapacity(db: Tx, relevant: ReadonlySet<string> = new Set()): Promise<HostCapacity[]> {
  return (await sql<CapacityRow>(db, HOST_CAPACITY_ALL, [[...relevant]])).map(toCapacity);
}

/**
 * One host as unsafeListHostCapacity sees it, read now: after its placement lock is held
 * (services/host-claim.ts), this is what every placement that committed before left on it.
 */
export async function unsafeHostCapacity(db: Tx, hostId: string, relevant: ReadonlySet<string>): Promise<HostCapacity | null> {
  const [row] = await sql<CapacityRow>(db, HOST_CAPACITY_ONE, [[...relevant], hostId]);
  return row ? toCapacity(row) : null;
}

// ---------------------------------------------------------------------------------------------
// Placement locks (transaction-level advisory locks: no row, no privilege, released at COMMIT or
// ROLLBACK). Two levels, so that placements on different hosts never wait for each other:
// - the fleet lock: placements hold it shared; a decision that reads the whole fleet and must
//   not see a placement land meanwhile (a new Chinese Wall, a resize, a migration) holds it
//   exclusively (lockPlacement), so it waits for placements in flight and they wait for it;
// - a host lock per host (lockHost), exclusive, taken after the fleet lock: two placements on
//   one host take turns, so the second reads what the first left (capacity, and which realms
//   run there) before it decides.
// A placement takes host locks in one order when it has to wait (lockHost's `wait`), so two
// placements cannot deadlock on them. Onboarding takes the same two locks inside the database,
// as its transaction commits (placeAtCommitCall; the key is computed there the same way).

const FLEET_LOCK = 72707369002n;
/** The host locks' class (the two-key form: a key space apart from the fleet lock's). */
const HOST_LOCK_CLASS = 72707369;

/** A host's lock key: the first 32 bits of its id (two hosts sharing one only take turns). */
export function hostLockKey(hostId: string): number {
  return Number.parseInt(hostId.replace(/-/g, "").slice(0, 8), 16) | 0;
}

/**
 * Serialises with every placement fleet-wide until the caller's transaction ends (exclusive
 * fleet lock): a decision over the whole fleet (a new wall's co-location check, a resize's or a
 * migration's room on a host) sees no placement land while it decides.
 */
export async function lockPlacement(tx: Tx): Promise<void> {
  await sql(tx, FLEET_EXCLUSIVE, [FLEET_LOCK.toString()]);
}
const FLEET_EXCLUSIVE = statement("placement_fleet_exclusive", `SELECT pg_advisory_xact_lock($1::bigint)::text`);
const FLEET_SHARED = statement("placement_fleet_shared", `SELECT pg_advisory_xact_lock_shared($1::bigint)::text`);

/**
 * The fleet lock, shared, until the transaction ends: taken by a placement before it reads what
 * it decides on (its realm's conflict sets), so no wall is added between that read and COMMIT.
 */
export async function lockPlacementShared(tx: Tx): Promise<void> {
  await sql(tx, FLEET_SHARED, [FLEET_LOCK.toString()]);
}

const HOST_TRY = statement(
  "placement_host_try",
  `SELECT pg_advisory_xact_lock_shared($1::bigint)::text AS "fleet", pg_try_advisory_xact_lock($2::int, $3::int) AS "locked"`,
);
const HOST_WAIT = statement(
  "placement_host_wait",
  `SELECT pg_advisory_xact_lock_shared($1::bigint)::text AS "fleet", pg_advisory_xact_lock($2::int, $3::int)::text AS "waited"`,
);

/**
 * The fleet lock shared and the host's lock, until the transaction ends. `wait: false` takes
 * the host's lock only if nobody holds it (false otherwise: try another host). The caller reads
 * the host again afterwards, in a later statement: a statement's snapshot is taken when it
 * starts, before any wait inside it.
 */
export async function lockHost(tx: Tx, hostId: string, wait: boolean): Promise<boolean> {
  const values = [FLEET_LOCK.toString(), HOST_LOCK_CLASS, hostLockKey(hostId)];
  if (wait) {
    await sql(tx, HOST_WAIT, values);
    return true;
  }
  const [row] = await sql<{ locked: boolean }>(tx, HOST_TRY, values);
  return row?.locked === true;
}

/**
 * Names the host for an unplaced management VM inserted in the same platform transaction, as an
 * SQL expression for the statement that inserts it (like notifyRealmCall): as the transaction
 * commits, the database takes the fleet lock shared and the host's lock, judges the host again
 * (online when required, room for the VM, no realm the VM's is walled off from) and gives the VM
 * its host, or refuses the COMMIT (isHostTakenAtCommit). Migration placement_per_host, trigger
 * vms_place_at_commit: the host's lock is held for the COMMIT only.
 */
export function placeAtCommitCall(args: { vmId: string; hostId: string; requireOnline: boolean }): Prisma.Sql {
  return Prisma.sql`set_config('realmgate.placement', ${`${args.vmId} ${args.hostId} ${args.requireOnline}`}::text, true)`;
}

/** The COMMIT was refused because the host named by unsafePlaceAtCommit no longer takes the VM. */
export function isHostTakenAtCommit(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === "RGP01";
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
