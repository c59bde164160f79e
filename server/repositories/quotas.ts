import type { Tx } from "../db/client";
import type { QuotaAmounts, QuotaSnapshot } from "../policy/quotas";
import { afterCreated, cursorRow, toPage, type PageRequest } from "./pagination";

/**
 * Realm quota rows (realm_quotas: limits and usage in one row) and the defaults for new realms
 * (quota_defaults, one row, platform only). The realm id comes first. The tenant role may write
 * only the usage columns (migration quotas), so a realm can never raise its own limits.
 */

type Row = {
  vcpus: number;
  memoryMb: number;
  vms: number;
  diskGb: number;
  networks: number;
  usedVcpus: number;
  usedMemoryMb: number;
  usedVms: number;
  usedDiskGb: number;
  usedNetworks: number;
};

export function toSnapshot(row: Row): QuotaSnapshot {
  return {
    limits: { vcpus: row.vcpus, memoryMb: row.memoryMb, vms: row.vms, diskGb: row.diskGb, networks: row.networks },
    used: { vcpus: row.usedVcpus, memoryMb: row.usedMemoryMb, vms: row.usedVms, diskGb: row.usedDiskGb, networks: row.usedNetworks },
  };
}

/**
 * Reserves `need` against the realm's limits in one statement: the row lock it takes serialises
 * the realm's concurrent creators until the transaction ends, and the WHERE clause re-checks
 * every limit against the committed usage, so no interleaving exceeds one. A resource the
 * request does not use is not checked. False when something does not fit (nothing changed).
 */
export async function reserveQuota(tx: Tx, realmId: string, need: QuotaAmounts): Promise<boolean> {
  const rows = await tx.$queryRaw<{ realm_id: string }[]>`
    UPDATE "realm_quotas" SET
      "used_vcpus" = "used_vcpus" + ${need.vcpus}::int,
      "used_memory_mb" = "used_memory_mb" + ${need.memoryMb}::int,
      "used_vms" = "used_vms" + ${need.vms}::int,
      "used_disk_gb" = "used_disk_gb" + ${need.diskGb}::int,
      "used_networks" = "used_networks" + ${need.networks}::int
    WHERE "realm_id" = ${realmId}::uuid
      AND (${need.vcpus}::int = 0 OR "used_vcpus" + ${need.vcpus}::int <= "vcpus")
      AND (${need.memoryMb}::int = 0 OR "used_memory_mb" + ${need.memoryMb}::int <= "memory_mb")
      AND (${need.vms}::int = 0 OR "used_vms" + ${need.vms}::int <= "vms")
      AND (${need.diskGb}::int = 0 OR "used_disk_gb" + ${need.diskGb}::int <= "disk_gb")
      AND (${need.networks}::int = 0 OR "used_networks" + ${need.networks}::int <= "networks")
    RETURNING "realm_id"`;
  return rows.length === 1;
}

/**
 * Gives usage back (a VM shrunk, or a resize the host refused): never below zero. No limit is
 * checked: usage only goes down.
 */
export async function releaseQuotaUsage(tx: Tx, realmId: string, amounts: QuotaAmounts): Promise<void> {
  await tx.$executeRaw`
    UPDATE "realm_quotas" SET
      "used_vcpus" = GREATEST("used_vcpus" - ${amounts.vcpus}::int, 0),
      "used_memory_mb" = GREATEST("used_memory_mb" - ${amounts.memoryMb}::int, 0),
      "used_vms" = GREATEST("used_vms" - ${amounts.vms}::int, 0),
      "used_disk_gb" = GREATEST("used_disk_gb" - ${amounts.diskGb}::int, 0),
      "used_networks" = GREATEST("used_networks" - ${amounts.networks}::int, 0)
    WHERE "realm_id" = ${realmId}::uuid`;
}

const quotaSelect = {
  vcpus: true,
  memoryMb: true,
  vms: true,
  diskGb: true,
  networks: true,
  usedVcpus: true,
  usedMemoryMb: true,
  usedVms: true,
  usedDiskGb: true,
  usedNetworks: true,
  updatedAt: true,
} as const;

/** The realm's quota row with its organization's name (for a refusal's words). */
export function findQuota(tx: Tx, realmId: string) {
  return tx.realmQuota.findUnique({ where: { realmId }, select: { ...quotaSelect, realm: { select: { org: { select: { name: true } } } } } });
}

/**
 * One page of realms (oldest first, by id within an instant) with their quota and usage, for
 * operators. The page is chosen first, then its organizations and quota rows are read by id: a
 * relation select here would join every realm before the LIMIT (300 ms at 10,000 realms).
 */
export async function unsafeListQuotas(platform: Tx, page: PageRequest) {
  const after = await cursorRow(page.cursor, (id) => platform.realm.findUnique({ where: { id }, select: { id: true, createdAt: true } }));
  const rows = await platform.realm.findMany({
    where: afterCreated(after, "asc"),
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    take: page.limit + 1,
    select: { id: true, orgId: true },
  });
  const { items, nextCursor } = toPage(rows, page.limit, (r) => r.id);
  const orgs = await platform.organization.findMany({ where: { id: { in: items.map((r) => r.orgId) } }, select: { id: true, name: true, slug: true } });
  const quotas = await platform.realmQuota.findMany({ where: { realmId: { in: items.map((r) => r.id) } }, select: { realmId: true, ...quotaSelect } });
  const orgById = new Map(orgs.map(({ id, ...org }) => [id, org]));
  const quotaByRealm = new Map(quotas.map(({ realmId, ...quota }) => [realmId, quota]));
  return { items: items.map((r) => ({ id: r.id, org: orgById.get(r.orgId)!, quota: quotaByRealm.get(r.id) ?? null })), nextCursor };
}

/** The realm's quota row, locked until the transaction ends (an operator's change). */
export async function unsafeLockQuota(platform: Tx, realmId: string): Promise<(Row & { orgName: string }) | null> {
  const [row] = await platform.$queryRaw<(Row & { orgName: string })[]>`
    SELECT q."vcpus", q."memory_mb" AS "memoryMb", q."vms", q."disk_gb" AS "diskGb", q."networks",
      q."used_vcpus" AS "usedVcpus", q."used_memory_mb" AS "usedMemoryMb", q."used_vms" AS "usedVms",
      q."used_disk_gb" AS "usedDiskGb", q."used_networks" AS "usedNetworks", o."name" AS "orgName"
    FROM "realm_quotas" q JOIN "realms" r ON r."id" = q."realm_id" JOIN "organizations" o ON o."id" = r."org_id"
    WHERE q."realm_id" = ${realmId}::uuid
    FOR UPDATE OF q`;
  return row ?? null;
}

export async function unsafeSetQuotaLimits(platform: Tx, realmId: string, limits: QuotaAmounts): Promise<void> {
  await platform.realmQuota.update({ where: { realmId }, data: { ...limits, updatedAt: new Date() } });
}

export async function unsafeFindQuotaDefaults(platform: Tx): Promise<QuotaAmounts | null> {
  return platform.quotaDefaults.findUnique({ where: { id: true }, select: { vcpus: true, memoryMb: true, vms: true, diskGb: true, networks: true } });
}

/** The limits the next realms get (the launcher writes the configured ones at every start). */
export async function unsafeSetQuotaDefaults(platform: Tx, defaults: QuotaAmounts): Promise<void> {
  // The migration wrote the row; the platform role may update it, never add or remove one.
  await platform.quotaDefaults.update({ where: { id: true }, data: { ...defaults, updatedAt: new Date() } });
}
