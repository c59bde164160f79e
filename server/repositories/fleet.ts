import type { Tx } from "../db/client";

/**
 * The operators' fleet map: for a page of hosts, which realms run there and how much, read from
 * host_realm_usage (migration host_realm_usage: kept by triggers on vms, one row per host and
 * realm), so a page costs a few index reads at any fleet size. Platform-only rows.
 */

export type FleetRealm = {
  hostId: string;
  realmId: string;
  orgId: string;
  orgName: string;
  orgSlug: string;
  categoryLow: number;
  categoryHigh: number;
  vms: number;
  vcpus: number;
  memoryMb: number;
  /** The realm's management VM runs on this host. */
  management: boolean;
};

type RawFleetRealm = Omit<FleetRealm, "vcpus" | "memoryMb" | "management"> & {
  vcpus: bigint;
  memoryMb: bigint;
  management: number;
};

/** Each host's busiest realms (at most `perHost`), most VMs first. */
export async function unsafeListHostRealms(platform: Tx, hostIds: string[], perHost: number): Promise<FleetRealm[]> {
  if (hostIds.length === 0) return [];
  const rows = await platform.$queryRaw<RawFleetRealm[]>`
    SELECT x.* FROM unnest(${hostIds}::uuid[]) AS h("id")
    CROSS JOIN LATERAL (
      SELECT hr."host_id" AS "hostId", hr."realm_id" AS "realmId", o."id" AS "orgId", o."name" AS "orgName", o."slug" AS "orgSlug",
             r."category_low" AS "categoryLow", r."category_high" AS "categoryHigh",
             hr."vms", hr."vcpus", hr."memory_mb" AS "memoryMb", hr."management"
        FROM "host_realm_usage" hr
        JOIN "realms" r ON r."id" = hr."realm_id"
        JOIN "organizations" o ON o."id" = r."org_id"
       WHERE hr."host_id" = h."id"
       ORDER BY hr."vms" DESC, hr."realm_id"
       LIMIT ${perHost}
    ) x`;
  return rows.map((r) => ({
    ...r,
    vcpus: Number(r.vcpus),
    memoryMb: Number(r.memoryMb),
    management: r.management > 0,
  }));
}

/** Counting a host's realms stops here (a host of a big fleet can hold thousands): "1,000 or more". */
export const REALM_COUNT_CAP = 1_000;

/** How many realms run on each host (all of them, beyond the ones listed), up to REALM_COUNT_CAP. */
export async function unsafeCountHostRealms(platform: Tx, hostIds: string[]): Promise<Map<string, number>> {
  if (hostIds.length === 0) return new Map();
  const rows = await platform.$queryRaw<{ hostId: string; realms: bigint }[]>`
    SELECT h."id" AS "hostId", c."realms" FROM unnest(${hostIds}::uuid[]) AS h("id")
    CROSS JOIN LATERAL (SELECT count(*) AS "realms" FROM (SELECT 1 FROM "host_realm_usage" WHERE "host_id" = h."id" LIMIT ${REALM_COUNT_CAP}) x) c`;
  return new Map(rows.map((r) => [r.hostId, Number(r.realms)]));
}
