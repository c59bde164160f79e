import type { AuditRecordContent } from "../audit-chain/canonical";
import type { Tx } from "../db/client";
import { Prisma } from "../generated/prisma/client";
import { auditFilterSql, type AuditFilter } from "./audit-filter";

/**
 * The audit trail as people read it (issue 13): one row per action. A root event (no parent_id)
 * carries its phases (the rows that name it as parent_id: a lifecycle action's authorization is
 * followed by its outcome, applied or failed), read with it in the same statement through the
 * (realm_id, parent_id) index. Keyset pages on the root's id, newest first: `before` an id
 * (older) or `after` one (newer).
 *
 * The filter's actor, action, target and time apply to the root; decision and layer match the
 * root or any of its phases (a start the hypervisor refused is a denial, though authorized).
 */

export type TrailPhase = { id: string; phase: string | null; decision: "allow" | "deny"; layer: string; reason: string; createdAt: Date; details: unknown };

/** An action's root event as the trail shows it: the record, and its phases. */
export type TrailRow = AuditRecordContent & {
  id: bigint;
  phase: string | null;
  phases: TrailPhase[];
  /** Operators only (the platform role): the realm that owned a foreign target. */
  targetRealmId?: string | null;
};

export type TrailPageRequest = { before?: bigint; after?: bigint; limit: number };

/** limit + 1 rows (the extra one says whether more follow in that direction), newest first. */
export type TrailRows = { rows: TrailRow[]; direction: "older" | "newer" };

/** The trail page's statement (exported for the index test: audit-trail-plan.int.test.ts). */
export function trailQuery(filter: AuditFilter, page: TrailPageRequest, withTargetRealm: boolean): Prisma.Sql {
  const { decision, layer, ...rowFilter } = filter;
  const newer = page.after !== undefined;
  const cursorOn = (column: string) =>
    newer ? Prisma.sql`${Prisma.raw(column)} > ${page.after}::bigint` : page.before !== undefined ? Prisma.sql`${Prisma.raw(column)} < ${page.before}::bigint` : Prisma.sql`TRUE`;
  const cursor = cursorOn(`e."id"`);
  let phaseFilter = Prisma.sql`TRUE`;
  if (decision || layer) {
    // An action matches by its root or by any of its phases (a start the hypervisor refused is
    // a denial). Two ordered index walks (migration audit_trail_filters: roots by realm and
    // decision or layer, phases by realm and decision or layer): the newest matching roots, and
    // the roots of the newest matching phases, each limited to the page; the page is the newest
    // of both. Never a walk of every event of the realm testing each against the filter.
    const order = newer ? Prisma.sql`ASC` : Prisma.sql`DESC`;
    // A phase is in its root's realm: the root is read only for the other filters (actor, action, target, time, against).
    const { realmId: _realm, ...rootFilter } = rowFilter;
    const hasRootFilter = Object.values(rootFilter).some((v) => v !== undefined && v !== "");
    const realm = rowFilter.realmId === undefined ? Prisma.sql`TRUE` : rowFilter.realmId === null ? Prisma.sql`c."realm_id" IS NULL` : Prisma.sql`c."realm_id" = ${rowFilter.realmId}::uuid`;
    phaseFilter = Prisma.sql`e."id" IN (
      (SELECT r."id" FROM "audit_events" r WHERE r."parent_id" IS NULL AND ${auditFilterSql({ decision, layer }, "r")} AND ${auditFilterSql(rowFilter, "r")} AND ${cursorOn(`r."id"`)}
        ORDER BY r."id" ${order} LIMIT ${page.limit + 1})
      UNION ALL
      (SELECT DISTINCT c."parent_id" FROM "audit_events" c
        WHERE c."parent_id" IS NOT NULL AND ${realm} AND ${auditFilterSql({ decision, layer }, "c")} AND ${cursorOn(`c."parent_id"`)}
          AND ${hasRootFilter ? Prisma.sql`EXISTS (SELECT 1 FROM "audit_events" r WHERE r."id" = c."parent_id" AND ${auditFilterSql(rootFilter, "r")})` : Prisma.sql`TRUE`}
        ORDER BY c."parent_id" ${order} LIMIT ${page.limit + 1}))`;
  }
  return Prisma.sql`
    SELECT e."id", e."realm_id"::text AS "realmId", e."actor_id"::text AS "actorId", e."actor_token_id"::text AS "actorTokenId", e."action",
           e."target_type" AS "targetType", e."target_id" AS "targetId", e."decision"::text AS "decision", e."layer", e."reason",
           e."request_id" AS "requestId", e."details", e."created_at" AS "createdAt", e."phase",
           COALESCE((SELECT json_agg(json_build_object('id', c."id"::text, 'phase', c."phase", 'decision', c."decision", 'layer', c."layer",
                                                       'reason', c."reason", 'createdAt', c."created_at", 'details', c."details") ORDER BY c."id")
                     FROM "audit_events" c WHERE c."realm_id" = e."realm_id" AND c."parent_id" = e."id"), '[]'::json) AS "phases"
           ${withTargetRealm ? Prisma.sql`, tr."target_realm_id"::text AS "targetRealmId"` : Prisma.empty}
    FROM "audit_events" e
    ${withTargetRealm ? Prisma.sql`LEFT JOIN "realmgate_private"."audit_target_realms" tr ON tr."event_id" = e."id"` : Prisma.empty}
    WHERE e."parent_id" IS NULL AND ${auditFilterSql(rowFilter, "e")} AND ${phaseFilter} AND ${cursor}
    ORDER BY e."id" ${newer ? Prisma.sql`ASC` : Prisma.sql`DESC`}
    LIMIT ${page.limit + 1}`;
}

type RawPhase = Omit<TrailPhase, "createdAt"> & { createdAt: string };

async function run(db: Tx, filter: AuditFilter, page: TrailPageRequest, withTargetRealm: boolean): Promise<TrailRows> {
  const raw = await db.$queryRaw<(Omit<TrailRow, "phases"> & { phases: RawPhase[] })[]>(trailQuery(filter, page, withTargetRealm));
  const rows = raw.map((r) => ({ ...r, phases: r.phases.map((p) => ({ ...p, createdAt: new Date(p.createdAt) })) }));
  return { rows, direction: page.after !== undefined ? "newer" : "older" };
}

/** A page of one realm's trail, on the realm's transaction (row-level security; no target realm). */
export function listTrailPage(tx: Tx, realmId: string, filter: Omit<AuditFilter, "realmId" | "againstRealmId">, page: TrailPageRequest): Promise<TrailRows> {
  const { againstRealmId: _ignored, ...tenantFilter } = filter as AuditFilter;
  return run(tx, { ...tenantFilter, realmId }, page, false);
}

/** A page of the trail across realms (operators), with the realm that owned a foreign target. */
export function unsafeListTrailPage(platform: Tx, filter: AuditFilter, page: TrailPageRequest): Promise<TrailRows> {
  return run(platform, filter, page, true);
}

/** A reference to a named thing: an audit row's target, or an actor. */
export type NameRef = { type: string; id: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Which table names a target type. */
const NAMED: Record<string, "vm" | "disk" | "network" | "driver-domain" | "token" | "user" | "invitation" | "realm" | "organization"> = {
  vm: "vm",
  disk: "disk",
  network: "network",
  "driver-domain": "driver-domain",
  "api-token": "token",
  token: "token",
  member: "user",
  user: "user",
  account: "user",
  invitation: "invitation",
  realm: "realm",
  organization: "organization",
};

/**
 * Names of the page's targets, in one query (keyed by the ids on the page, never per row). On the
 * realm's transaction row-level security keeps it to the realm's own things (a foreign id named in
 * a tenant's row stays an id); on the platform client, everything. Key: `${type}:${id}`. A token
 * is named with its owner ("ci-deploy (alice@…)"), a member by email, a realm by its organization.
 */
export async function targetNames(db: Tx, refs: NameRef[]): Promise<Map<string, string>> {
  const ids: Record<string, Set<string>> = {};
  for (const ref of refs) {
    const kind = NAMED[ref.type];
    if (!kind || !UUID.test(ref.id)) continue;
    (ids[kind] ??= new Set()).add(ref.id.toLowerCase());
  }
  const list = (kind: string) => [...(ids[kind] ?? [])];
  const parts: Prisma.Sql[] = [];
  if (ids.vm) parts.push(Prisma.sql`SELECT 'vm' AS "kind", v."id"::text AS "id", v."name" AS "name" FROM "vms" v WHERE v."id" = ANY(${list("vm")}::uuid[])`);
  if (ids.disk) parts.push(Prisma.sql`SELECT 'disk' AS "kind", d."id"::text AS "id", d."name" AS "name" FROM "disks" d WHERE d."id" = ANY(${list("disk")}::uuid[])`);
  if (ids.network) parts.push(Prisma.sql`SELECT 'network' AS "kind", n."id"::text AS "id", n."name" AS "name" FROM "networks" n WHERE n."id" = ANY(${list("network")}::uuid[])`);
  if (ids["driver-domain"]) {
    parts.push(Prisma.sql`SELECT 'driver-domain' AS "kind", b."id"::text AS "id", b."name" AS "name" FROM "driver_domains" b WHERE b."id" = ANY(${list("driver-domain")}::uuid[])`);
  }
  if (ids.token) {
    parts.push(Prisma.sql`SELECT 'token' AS "kind", t."id"::text AS "id", t."name" || COALESCE(' (' || u."email" || ')', '') AS "name" FROM "api_tokens" t LEFT JOIN "users" u ON u."id" = t."user_id" WHERE t."id" = ANY(${list("token")}::uuid[])`);
  }
  if (ids.user) parts.push(Prisma.sql`SELECT 'user' AS "kind", u."id"::text AS "id", u."email" AS "name" FROM "users" u WHERE u."id" = ANY(${list("user")}::uuid[])`);
  if (ids.invitation) parts.push(Prisma.sql`SELECT 'invitation' AS "kind", i."id"::text AS "id", i."email" AS "name" FROM "invitations" i WHERE i."id" = ANY(${list("invitation")}::uuid[])`);
  if (ids.realm) parts.push(Prisma.sql`SELECT 'realm' AS "kind", r."id"::text AS "id", o."name" AS "name" FROM "realms" r JOIN "organizations" o ON o."id" = r."org_id" WHERE r."id" = ANY(${list("realm")}::uuid[])`);
  if (ids.organization) parts.push(Prisma.sql`SELECT 'organization' AS "kind", o."id"::text AS "id", o."name" AS "name" FROM "organizations" o WHERE o."id" = ANY(${list("organization")}::uuid[])`);
  if (parts.length === 0) return new Map();
  const rows = await db.$queryRaw<{ kind: string; id: string; name: string }[]>(Prisma.join(parts, " UNION ALL "));
  return new Map(rows.map((r) => [`${r.kind}:${r.id}`, r.name]));
}

/** The key targetNames answers a target under (undefined: a kind it does not name). */
export function nameKey(type: string, id: string): string | undefined {
  const kind = NAMED[type];
  return kind ? `${kind}:${id.toLowerCase()}` : undefined;
}

/** The page's actors: name, email and whether each is a platform operator (keyed by the page's actor ids only). */
export async function unsafeActorUsers(platform: Tx, userIds: string[]): Promise<Map<string, { name: string; email: string; isPlatformOperator: boolean }>> {
  if (userIds.length === 0) return new Map();
  const users = await platform.user.findMany({ where: { id: { in: [...new Set(userIds)] } }, select: { id: true, name: true, email: true, isPlatformOperator: true } });
  return new Map(users.map((u) => [u.id, { name: u.name, email: u.email, isPlatformOperator: u.isPlatformOperator }]));
}
