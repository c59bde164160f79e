import type { Tx } from "../db/client";
import { Prisma } from "../generated/prisma/client";
import type { VmState } from "../policy/lifecycle";
import { invalidCursor, toPage, type Page, type PageRequest } from "./pagination";

/**
 * Where a Chinese Wall is violated right now: the VMs of two walled realms placed on the same
 * host (management VMs included; destroyed ones are gone). Platform rows read through the
 * platform role: only operators' procedures call these.
 */

export type CoLocatedVm = {
  realmId: string;
  org: string;
  vmId: string;
  name: string;
  kind: "guest" | "management";
  observedState: VmState;
  vcpus: number;
  memoryMb: number;
  hostId: string;
  host: string;
  /** An operation is in flight on the VM (it cannot be moved until it settles). */
  isBusy: boolean;
};

type CoLocatedRow = {
  realm_id: string;
  org: string;
  vm_id: string;
  name: string;
  kind: CoLocatedVm["kind"];
  observed_state: VmState;
  vcpus: number;
  memory_mb: number;
  host_id: string;
  host: string;
  is_busy: boolean;
};

/**
 * The VMs of `realmA` and `realmB` on every host where both have one, by host, realm, name.
 * The shared hosts come from host_realm_usage (one row per host and realm with a VM placed
 * there, kept by triggers on vms: migration host_realm_usage); only their VMs are read.
 */
export async function unsafeCoLocatedVms(platform: Tx, realmA: string, realmB: string): Promise<CoLocatedVm[]> {
  const rows = await platform.$queryRaw<CoLocatedRow[]>`
    WITH shared AS (
      SELECT a."host_id" FROM "host_realm_usage" a JOIN "host_realm_usage" b ON b."host_id" = a."host_id" AND b."realm_id" = ${realmB}::uuid
       WHERE a."realm_id" = ${realmA}::uuid
    )
    SELECT v."realm_id"::text, o."name" AS "org", v."id"::text AS "vm_id", v."name", v."kind"::text, v."observed_state"::text,
           v."vcpus", v."memory_mb", h."id"::text AS "host_id", h."name" AS "host",
           EXISTS (SELECT 1 FROM "operations" op WHERE op."realm_id" = v."realm_id" AND op."vm_id" = v."id"
                     AND op."status" IN ('pending', 'running', 'retrying')) AS "is_busy"
      FROM "vms" v
      JOIN "hosts" h ON h."id" = v."host_id"
      JOIN "realms" r ON r."id" = v."realm_id"
      JOIN "organizations" o ON o."id" = r."org_id"
     WHERE v."host_id" IN (SELECT "host_id" FROM shared)
       AND v."realm_id" IN (${realmA}::uuid, ${realmB}::uuid)
       AND v."observed_state" <> 'destroyed'
     ORDER BY h."name", o."name", v."name"`;
  return rows.map((r) => ({
    realmId: r.realm_id,
    org: r.org,
    vmId: r.vm_id,
    name: r.name,
    kind: r.kind,
    observedState: r.observed_state,
    vcpus: r.vcpus,
    memoryMb: r.memory_mb,
    hostId: r.host_id,
    host: r.host,
    isBusy: r.is_busy,
  }));
}

/** A wall whose two realms share at least one host now. */
export type ViolatedWall = { realmLow: string; realmHigh: string; reason: string; createdAt: Date; low: string; high: string };

const PAIR = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

/**
 * A page of the walls violated now, by their pair of realm ids ("low/high" is the cursor). Each
 * wall's two realms are probed for a shared host in host_realm_usage: no VM is read, whatever
 * the fleet's size.
 */
export async function unsafeListViolatedWalls(platform: Tx, page: PageRequest): Promise<Page<ViolatedWall>> {
  let after: Prisma.Sql = Prisma.sql`true`;
  if (page.cursor !== undefined) {
    const pair = PAIR.exec(page.cursor.toLowerCase());
    if (!pair) throw invalidCursor();
    after = Prisma.sql`(c."realm_low", c."realm_high") > (${pair[1]!}::uuid, ${pair[2]!}::uuid)`;
  }
  const rows = await platform.$queryRaw<{ realm_low: string; realm_high: string; reason: string; created_at: Date; low: string; high: string }[]>`
    SELECT c."realm_low"::text, c."realm_high"::text, c."reason", c."created_at", ol."name" AS "low", oh."name" AS "high"
      FROM "realm_conflicts" c
      JOIN "realms" rl ON rl."id" = c."realm_low" JOIN "organizations" ol ON ol."id" = rl."org_id"
      JOIN "realms" rh ON rh."id" = c."realm_high" JOIN "organizations" oh ON oh."id" = rh."org_id"
     WHERE ${after}
       AND EXISTS (
         SELECT 1 FROM "host_realm_usage" a JOIN "host_realm_usage" b ON b."host_id" = a."host_id" AND b."realm_id" = c."realm_high"
          WHERE a."realm_id" = c."realm_low")
     ORDER BY c."realm_low", c."realm_high"
     LIMIT ${page.limit + 1}`;
  return toPage(
    rows.map((r) => ({ realmLow: r.realm_low, realmHigh: r.realm_high, reason: r.reason, createdAt: r.created_at, low: r.low, high: r.high })),
    page.limit,
    (w) => `${w.realmLow}/${w.realmHigh}`,
  );
}

export type WallViolation = { hostId: string; realmLow: string; realmHigh: string; lowOrg: string; highOrg: string };

/** Walls broken on these hosts (the fleet map): both realms of a conflict pair have VMs on the same host. */
export function unsafeWallViolationsOnHosts(platform: Tx, hostIds: string[]): Promise<WallViolation[]> {
  if (hostIds.length === 0) return Promise.resolve([]);
  return platform.$queryRaw<WallViolation[]>`
    SELECT a."host_id" AS "hostId", c."realm_low" AS "realmLow", c."realm_high" AS "realmHigh", lo."name" AS "lowOrg", ho."name" AS "highOrg"
      FROM "realm_conflicts" c
      JOIN "host_realm_usage" a ON a."realm_id" = c."realm_low"
      JOIN "host_realm_usage" b ON b."realm_id" = c."realm_high" AND b."host_id" = a."host_id"
      JOIN "realms" lr ON lr."id" = c."realm_low" JOIN "organizations" lo ON lo."id" = lr."org_id"
      JOIN "realms" hr ON hr."id" = c."realm_high" JOIN "organizations" ho ON ho."id" = hr."org_id"
     WHERE a."host_id" = ANY(${hostIds}::uuid[])
     ORDER BY a."host_id", c."realm_low", c."realm_high"`;
}
