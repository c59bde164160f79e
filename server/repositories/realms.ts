import { sqlOf, type Tx } from "../db/client";
import { Prisma } from "../generated/prisma/client";
import { DomainError } from "../errors";
import type { VmState } from "../policy/lifecycle";
import { AUDIT_COLUMNS, auditValues, type DecisionRecord } from "./audit";
import { cursorRow, toPage, type Page, type PageRequest } from "./pagination";

/** Organizations and their realms (platform rows: read before a realm is set, or by operators). */

/**
 * One page of realms (oldest first, by id within an instant), each with its organization, its
 * management VM (one index probe) and the count of its live guests (operators). The page is
 * chosen first, and the count is realm_usage's, which the database keeps as VM rows change
 * (migration operator_overviews): the cost follows the page, not the fleet (issue 12: 10,000
 * realms, 1,000,000 VMs, one realm with 100,000).
 */
export async function unsafeListRealmBoundaries(platform: Tx, page: PageRequest): Promise<Page<RealmBoundaryRow>> {
  const after = await cursorRow(page.cursor, (id) => platform.realm.findUnique({ where: { id }, select: { id: true } }));
  const rows = await platform.$queryRaw<RawRealmBoundary[]>`
    SELECT r."id", r."category_low" AS "categoryLow", r."category_high" AS "categoryHigh", r."created_at" AS "createdAt",
           o."name" AS "orgName", o."slug" AS "orgSlug",
           m."id" AS "mgmtId", m."observed_state"::text AS "mgmtState", m."domid" AS "mgmtDomid", h."name" AS "mgmtHost",
           COALESCE(u."guests", 0) AS "guestCount"
      FROM (SELECT * FROM "realms"
             WHERE ${after ? Prisma.sql`("created_at", "id") > (SELECT c."created_at", c."id" FROM "realms" c WHERE c."id" = ${after.id}::uuid)` : Prisma.sql`true`}
             ORDER BY "created_at", "id" LIMIT ${page.limit + 1}) r
      JOIN "organizations" o ON o."id" = r."org_id"
      LEFT JOIN "realm_usage" u ON u."realm_id" = r."id"
      LEFT JOIN LATERAL ${managementVm(Prisma.sql`r."id"`)} m ON true
      LEFT JOIN "hosts" h ON h."id" = m."host_id"
     ORDER BY r."created_at", r."id"`;
  return toPage(
    rows.map((r) => ({
      id: r.id,
      categoryLow: r.categoryLow,
      categoryHigh: r.categoryHigh,
      createdAt: r.createdAt,
      org: { name: r.orgName, slug: r.orgSlug },
      managementVm: r.mgmtId ? { id: r.mgmtId, observedState: r.mgmtState as VmState, domid: r.mgmtDomid, host: r.mgmtHost === null ? null : { name: r.mgmtHost } } : null,
      guestCount: r.guestCount,
    })),
    page.limit,
    (r) => r.id,
  );
}

type RawRealmBoundary = {
  id: string;
  categoryLow: number;
  categoryHigh: number;
  createdAt: Date;
  orgName: string;
  orgSlug: string;
  mgmtId: string | null;
  mgmtState: string | null;
  mgmtDomid: number | null;
  mgmtHost: string | null;
  guestCount: number;
};

export type RealmBoundaryRow = {
  id: string;
  categoryLow: number;
  categoryHigh: number;
  createdAt: Date;
  org: { name: string; slug: string };
  managementVm: { id: string; observedState: VmState; domid: number | null; host: { name: string } | null } | null;
  guestCount: number;
};

/**
 * The realm's management VM (a LATERAL subquery over the realm id expression given): one probe
 * of the unique index vms_one_management_per_realm.
 */
function managementVm(realmId: Prisma.Sql) {
  return Prisma.sql`(SELECT v."id", v."observed_state", v."state_reason", v."domid", v."host_id" FROM "vms" v
     WHERE v."realm_id" = ${realmId} AND v."kind" = 'management')`;
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
 * organization without one and invites the owner later), its realm with the category pair, the
 * audit record of the allocation and the realm's management VM, inserted without a host and
 * placed as the transaction commits (`placement`), in the caller's transaction, as one statement
 * (issue 12: onboarding throughput). A pair another realm holds throws CategoryCollision (the unique index
 * decides, so concurrent creations are safe), and so does a retired pair (retired_categories is
 * the promise that one is never handed out again; normally unreachable, as a decommissioned realm
 * keeps its row and so its pair); a taken slug is a field error.
 */
export async function unsafeInsertOrganization(
  tx: Tx,
  args: {
    orgId: string;
    realmId: string;
    name: string;
    slug: string;
    ownerUserId?: string | null;
    category: { categoryLow: number; categoryHigh: number };
    audit: DecisionRecord;
    managementVm: { id: string; name: string; templateId: string; vcpus: number; memoryMb: number };
    /** Where the VM goes at COMMIT (hosts.ts placeAtCommitCall), evaluated with the inserts. */
    placement: Prisma.Sql;
  },
): Promise<void> {
  const vm = args.managementVm;
  const { categoryLow: low, categoryHigh: high } = args.category;
  let rows: { realms: number }[];
  try {
    rows = await sqlOf<{ realms: number }>(tx, Prisma.sql`
      WITH "org" AS (
        INSERT INTO "organizations" ("id", "name", "slug") VALUES (${args.orgId}::uuid, ${args.name}, ${args.slug}) RETURNING "id"
      ), "realm" AS (
        INSERT INTO "realms" ("id", "org_id", "category_low", "category_high")
        SELECT ${args.realmId}::uuid, "id", ${low}::int, ${high}::int FROM "org"
         WHERE NOT EXISTS (SELECT 1 FROM "retired_categories" x WHERE x."category_low" = ${low}::int AND x."category_high" = ${high}::int)
        RETURNING "id"
      ), "member" AS (
        INSERT INTO "memberships" ("org_id", "user_id", "role")
        SELECT "id", ${args.ownerUserId ?? null}::uuid, 'owner' FROM "org" WHERE ${args.ownerUserId ?? null}::uuid IS NOT NULL
      ), "audit" AS (
        INSERT INTO "audit_events" ${AUDIT_COLUMNS} SELECT ${auditValues(args.audit)} WHERE EXISTS (SELECT 1 FROM "realm")
      ), "vm" AS (
        INSERT INTO "vms" ("realm_id", "id", "name", "kind", "template_id", "vcpus", "memory_mb", "observed_state", "desired_state")
        SELECT "id", ${vm.id}::uuid, ${vm.name}, 'management', ${vm.templateId}::uuid, ${vm.vcpus}::int, ${vm.memoryMb}::int, 'creating', 'stopped' FROM "realm"
      )
      SELECT (SELECT count(*) FROM "realm")::int AS "realms", ${args.placement} AS "placement"`);
  } catch (error) {
    const e = error as { code?: string; constraint?: string };
    if (e.code !== "23505") throw error;
    if (e.constraint?.includes("category")) throw new CategoryCollision("category pair taken");
    if (e.constraint === "organizations_slug_key") throw new DomainError("bad_input", "slug: an organization with this slug already exists", { field: "slug" });
    throw error;
  }
  // The statement wrote the organization but not the realm: the transaction must not commit.
  if (rows[0]?.realms !== 1) throw new CategoryCollision("category pair retired");
}

// ---------------------------------------------------------------------------------------------
// The realm lifecycle (operators and the worker).

export type RealmStatus = "provisioning" | "ready" | "failed" | "decommissioning" | "decommissioned";

/** An organization as operators see it: its realm's lifecycle, management VM and counts. */
export type OrganizationOverview = {
  id: string;
  name: string;
  slug: string;
  createdAt: Date;
  memberCount: number;
  realm: {
    id: string;
    categoryLow: number;
    categoryHigh: number;
    status: RealmStatus;
    statusReason: string | null;
    statusChangedAt: Date;
    readyAt: Date | null;
    decommissionRequestedAt: Date | null;
    decommissionedAt: Date | null;
  };
  vmCount: number;
  managementVm: { id: string; observedState: VmState; stateReason: string | null; host: string | null } | null;
};

type RawOrganization = Omit<OrganizationOverview, "realm" | "memberCount" | "vmCount" | "managementVm"> &
  OrganizationOverview["realm"] & {
    realmId: string;
    memberCount: bigint;
    vmCount: number;
    mgmtId: string | null;
    mgmtState: string | null;
    mgmtReason: string | null;
    mgmtHost: string | null;
  };

/**
 * Organizations with a realm (newest first, by id within an instant), from `chosen`: a query of
 * organization rows joined to their realm (o.*, r.* as realm_*) in the order wanted. The VM
 * count is realm_usage's (kept by the database); members are counted on the chosen rows only.
 */
async function organizationOverviews(platform: Tx, chosen: Prisma.Sql): Promise<OrganizationOverview[]> {
  const rows = await platform.$queryRaw<RawOrganization[]>`
    SELECT o."id", o."name", o."slug", o."created_at" AS "createdAt",
           (SELECT count(*) FROM "memberships" mb WHERE mb."org_id" = o."id") AS "memberCount",
           o."realm_id" AS "realmId", o."category_low" AS "categoryLow", o."category_high" AS "categoryHigh",
           o."status"::text AS "status", o."status_reason" AS "statusReason", o."status_changed_at" AS "statusChangedAt",
           o."ready_at" AS "readyAt", o."decommission_requested_at" AS "decommissionRequestedAt", o."decommissioned_at" AS "decommissionedAt",
           COALESCE(u."vms", 0) AS "vmCount",
           m."id" AS "mgmtId", m."observed_state"::text AS "mgmtState", m."state_reason" AS "mgmtReason", h."name" AS "mgmtHost"
      FROM (${chosen}) o
      LEFT JOIN "realm_usage" u ON u."realm_id" = o."realm_id"
      LEFT JOIN LATERAL ${managementVm(Prisma.sql`o."realm_id"`)} m ON true
      LEFT JOIN "hosts" h ON h."id" = m."host_id"
     ORDER BY o."created_at" DESC, o."id" DESC`;
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    slug: r.slug,
    createdAt: r.createdAt,
    memberCount: Number(r.memberCount),
    realm: {
      id: r.realmId,
      categoryLow: r.categoryLow,
      categoryHigh: r.categoryHigh,
      status: r.status,
      statusReason: r.statusReason,
      statusChangedAt: r.statusChangedAt,
      readyAt: r.readyAt,
      decommissionRequestedAt: r.decommissionRequestedAt,
      decommissionedAt: r.decommissionedAt,
    },
    vmCount: r.vmCount,
    managementVm: r.mgmtId ? { id: r.mgmtId, observedState: r.mgmtState as VmState, stateReason: r.mgmtReason, host: r.mgmtHost } : null,
  }));
}

const organizationWithRealm = Prisma.sql`
  SELECT org."id", org."name", org."slug", org."created_at",
         r."id" AS "realm_id", r."category_low", r."category_high", r."status", r."status_reason", r."status_changed_at",
         r."ready_at", r."decommission_requested_at", r."decommissioned_at"
    FROM "organizations" org JOIN "realms" r ON r."org_id" = org."id"`;

/** One page of organizations with their realm's lifecycle, management VM and counts (operators). */
export async function unsafeListOrganizations(platform: Tx, page: PageRequest): Promise<Page<OrganizationOverview>> {
  const after = await cursorRow(page.cursor, (id) => platform.organization.findFirst({ where: { id, realm: { isNot: null } }, select: { id: true } }));
  const keyset = after
    ? Prisma.sql`WHERE (org."created_at", org."id") < (SELECT c."created_at", c."id" FROM "organizations" c WHERE c."id" = ${after.id}::uuid)`
    : Prisma.empty;
  const rows = await organizationOverviews(platform, Prisma.sql`${organizationWithRealm} ${keyset} ORDER BY org."created_at" DESC, org."id" DESC LIMIT ${page.limit + 1}`);
  return toPage(rows, page.limit, (o) => o.id);
}

/** An organization as the operators' list shows it; null when there is none (or it has no realm). */
export async function unsafeFindOrganizationOverview(platform: Tx, orgId: string): Promise<OrganizationOverview | null> {
  const [row] = await organizationOverviews(platform, Prisma.sql`${organizationWithRealm} WHERE org."id" = ${orgId}::uuid`);
  return row ?? null;
}

/** An organization's slug and realm (null when there is none). */
export function unsafeFindOrganization(platform: Tx, orgId: string) {
  return platform.organization.findUnique({ where: { id: orgId }, select: { id: true, slug: true, realm: { select: { id: true } } } });
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
      _count: { select: { disks: true, networks: true, driverDomains: true } },
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
