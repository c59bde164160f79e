import type { Tx } from "../db/client";
import { Prisma } from "../generated/prisma/client";
import { DomainError } from "../errors";

/** Organizations and their realms (platform rows: read before a realm is set, or by operators). */

/** Every realm's boundary with its management VM and the count of its live guests (operators). */
export function unsafeListRealmBoundaries(platform: Tx) {
  return platform.realm.findMany({
    orderBy: { createdAt: "asc" },
    select: {
      id: true,
      categoryLow: true,
      categoryHigh: true,
      createdAt: true,
      org: { select: { name: true, slug: true } },
      vms: {
        where: { kind: "management" },
        select: { id: true, observedState: true, domid: true, host: { select: { name: true } } },
      },
      _count: { select: { vms: { where: { kind: "guest", observedState: { not: "destroyed" } } } } },
    },
  });
}

export function unsafeFindRealm(platform: Tx, realmId: string) {
  return platform.realm.findUnique({ where: { id: realmId }, select: { id: true, categoryLow: true, categoryHigh: true, status: true } });
}

/** How many of the given realm ids exist. */
export function unsafeCountRealms(platform: Tx, realmIds?: string[]) {
  return platform.realm.count(realmIds ? { where: { id: { in: realmIds } } } : undefined);
}

/** Realm id → organization name, for the given realms. */
export async function unsafeOrgNamesOfRealms(platform: Tx, realmIds: string[]): Promise<Map<string, string>> {
  const realms = await platform.realm.findMany({ where: { id: { in: realmIds } }, select: { id: true, org: { select: { name: true } } } });
  return new Map(realms.map((r) => [r.id, r.org.name]));
}

/** A random category pair nobody holds, chosen by the database; null when the range is exhausted. */
export async function unsafeFreeCategoryPair(platform: Tx, range: { min: number; max: number }) {
  const rows = await platform.$queryRaw<{ low: number; high: number }[]>`
    SELECT a AS low, b AS high
    FROM generate_series(${range.min}::int, ${range.max}::int) a, generate_series(${range.min}::int, ${range.max}::int) b
    WHERE a < b
      AND NOT EXISTS (SELECT 1 FROM realms r WHERE r.category_low = a AND r.category_high = b)
      AND NOT EXISTS (SELECT 1 FROM retired_categories x WHERE x.category_low = a AND x.category_high = b)
    ORDER BY random() LIMIT 1`;
  return rows[0] ? { categoryLow: rows[0].low, categoryHigh: rows[0].high } : null;
}

/** Another realm holds the category pair: the transaction is spoilt; redraw in a new one. */
export class CategoryCollision extends Error {
  override name = "CategoryCollision";
}

/**
 * The organization, its first owner's membership (when one is named: an operator onboards an
 * organization without one and invites the owner later) and its realm with the category pair, in
 * the caller's transaction. A pair another realm holds throws CategoryCollision (the unique index
 * decides, so concurrent creations are safe); a taken slug is a field error.
 */
export async function unsafeInsertOrganization(
  tx: Tx,
  args: { orgId: string; realmId: string; name: string; slug: string; ownerUserId?: string | null; category: { categoryLow: number; categoryHigh: number } },
): Promise<void> {
  try {
    await tx.organization.create({ data: { id: args.orgId, name: args.name, slug: args.slug } });
    if (args.ownerUserId) await tx.membership.create({ data: { orgId: args.orgId, userId: args.ownerUserId, role: "owner" } });
    await tx.realm.create({ data: { id: args.realmId, orgId: args.orgId, ...args.category } });
  } catch (error) {
    if (!(error instanceof Prisma.PrismaClientKnownRequestError) || error.code !== "P2002") throw error;
    if (JSON.stringify(error.meta ?? {}).includes("category")) throw new CategoryCollision("category pair taken");
    throw new DomainError("bad_input", "slug: an organization with this slug already exists", { field: "slug" });
  }
}

// ---------------------------------------------------------------------------------------------
// The realm lifecycle (operators and the worker).

export type RealmStatus = "provisioning" | "ready" | "failed" | "decommissioning" | "decommissioned";

const organizationSelect = {
  id: true,
  name: true,
  slug: true,
  createdAt: true,
  _count: { select: { memberships: true } },
  realm: {
    select: {
      id: true,
      categoryLow: true,
      categoryHigh: true,
      status: true,
      statusReason: true,
      statusChangedAt: true,
      readyAt: true,
      decommissionRequestedAt: true,
      decommissionedAt: true,
      createdAt: true,
      vms: {
        where: { kind: "management" as const },
        select: { id: true, observedState: true, stateReason: true, host: { select: { name: true } } },
      },
      _count: { select: { vms: { where: { observedState: { not: "destroyed" as const } } } } },
    },
  },
};

/** Every organization with its realm's lifecycle, management VM and member count (operators). */
export function unsafeListOrganizations(platform: Tx) {
  return platform.organization.findMany({ orderBy: { createdAt: "desc" }, select: organizationSelect });
}

export function unsafeFindOrganization(platform: Tx, orgId: string) {
  return platform.organization.findUnique({ where: { id: orgId }, select: organizationSelect });
}

/** The organization's realm, locked until the transaction ends (lifecycle changes serialise on it). */
export async function unsafeLockRealmOfOrg(
  tx: Tx,
  orgId: string,
): Promise<{ id: string; status: RealmStatus; categoryLow: number; categoryHigh: number; slug: string } | null> {
  const [row] = await tx.$queryRaw<{ id: string; status: RealmStatus; category_low: number; category_high: number; slug: string }[]>`
    SELECT r.id, r.status::text AS status, r.category_low, r.category_high, o.slug
    FROM realms r JOIN organizations o ON o.id = r.org_id
    WHERE r.org_id = ${orgId}::uuid FOR UPDATE OF r`;
  return row ? { id: row.id, status: row.status, categoryLow: row.category_low, categoryHigh: row.category_high, slug: row.slug } : null;
}

/**
 * Moves the realm to `to` only from one of `from` (a compare-and-set: a late worker settling an
 * old operation cannot undo an operator's decommissioning). True when it moved.
 */
export async function unsafeSetRealmStatus(
  tx: Tx,
  realmId: string,
  change: { from: readonly RealmStatus[]; to: RealmStatus; reason?: string | null },
): Promise<boolean> {
  const now = new Date();
  const { count } = await tx.realm.updateMany({
    where: { id: realmId, status: { in: [...change.from] } },
    data: {
      status: change.to,
      statusReason: change.reason ?? null,
      statusChangedAt: now,
      ...(change.to === "ready" ? { readyAt: now } : {}),
      ...(change.to === "decommissioning" ? { decommissionRequestedAt: now } : {}),
      ...(change.to === "decommissioned" ? { decommissionedAt: now } : {}),
    },
  });
  return count === 1;
}

/** The realm's status with the realm locked; null when another transaction holds it (SKIP LOCKED) or it does not exist. */
export async function unsafeTryLockRealm(tx: Tx, realmId: string): Promise<RealmStatus | null> {
  const [row] = await tx.$queryRaw<{ status: RealmStatus }[]>`SELECT status::text AS status FROM realms WHERE id = ${realmId}::uuid FOR UPDATE SKIP LOCKED`;
  return row?.status ?? null;
}

/** Realms whose offboarding has not finished (the worker drives each to the end). */
export async function unsafeListDecommissioningRealms(platform: Tx, take = 50): Promise<string[]> {
  const rows = await platform.realm.findMany({ where: { status: "decommissioning" }, orderBy: { statusChangedAt: "asc" }, take, select: { id: true } });
  return rows.map((r) => r.id);
}

/** What a decommissioning realm still holds: its VMs (with any open operation), disks, networks, members, grants. */
export async function unsafeRealmTeardownState(platform: Tx, realmId: string) {
  const realm = await platform.realm.findUnique({
    where: { id: realmId },
    select: {
      id: true,
      orgId: true,
      status: true,
      categoryLow: true,
      categoryHigh: true,
      vms: {
        where: { observedState: { not: "destroyed" } },
        select: {
          id: true,
          kind: true,
          observedState: true,
          domid: true,
          operations: { where: { status: { in: ["pending", "running", "retrying"] } }, select: { id: true }, take: 1 },
        },
      },
      _count: { select: { disks: true, networks: true } },
      breakGlass: { where: { revokedAt: null }, select: { id: true } },
    },
  });
  if (!realm) return null;
  const members = await platform.membership.findMany({ where: { orgId: realm.orgId }, select: { userId: true } });
  return { ...realm, memberUserIds: members.map((m) => m.userId) };
}

/** A VM that never got a domain (its create failed, or never ran): nothing on any host to destroy. */
export async function unsafeMarkVmGone(platform: Tx, realmId: string, vmId: string, reason: string): Promise<void> {
  await platform.vm.updateMany({
    where: { realmId, id: vmId, domid: null },
    data: { observedState: "destroyed", desiredState: "destroyed", stateReason: reason, updatedAt: new Date() },
  });
  await platform.disk.updateMany({ where: { realmId, vmId }, data: { vmId: null } });
  await platform.vmNetwork.deleteMany({ where: { realmId, vmId } });
}

/** Releases a decommissioned realm's disks and networks (every VM is destroyed by now). */
export async function unsafeDeleteRealmDevices(platform: Tx, realmId: string): Promise<void> {
  await platform.vmNetwork.deleteMany({ where: { realmId } });
  await platform.disk.deleteMany({ where: { realmId } });
  await platform.network.deleteMany({ where: { realmId } });
}
