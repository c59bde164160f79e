import type { Tx } from "../db/client";
import { Prisma } from "../generated/prisma/client";
import { cursorRow, toPage, type Page, type PageRequest } from "./pagination";

/**
 * Operators' pickers (explain): users by name or email and VMs by name, across every realm,
 * by prefix. A prefix is an index range on the lower-cased text in byte order (migration
 * operator_search): `>= prefix AND < prefix || U+10FFFF`, the same plan whatever the prefix,
 * and the keyset (text, id) pages walk that index. Platform reads: operators' procedures only.
 */

const TOP = String.fromCodePoint(0x10ffff);
const range = (column: Prisma.Sql, prefix: string) =>
  Prisma.sql`${column} COLLATE "C" >= ${prefix}::text AND ${column} COLLATE "C" < ${prefix + TOP}::text`;

export type UserMatch = { id: string; name: string; email: string; isPlatformOperator: boolean };

/** Users whose email or name starts with `query` (case-insensitive), by email. */
export async function unsafeSearchUsers(platform: Tx, query: string, page: PageRequest): Promise<Page<UserMatch>> {
  const prefix = query.trim().toLowerCase();
  const after = await cursorRow(page.cursor, (id) => platform.user.findUnique({ where: { id }, select: { id: true, email: true } }));
  const keyset = after ? Prisma.sql`(lower(u."email") COLLATE "C", u."id") > (${after.email.toLowerCase()}::text COLLATE "C", ${after.id}::uuid)` : Prisma.sql`true`;
  // Two index ranges (email, name), each read on its own and merged, then the matches sorted by
  // email: the cost follows the number of matches, never the number of users (with an OR the
  // planner may walk the email index in order, filtering every user, to find a name match).
  const rows = await platform.$queryRaw<{ id: string; name: string; email: string; is_platform_operator: boolean }[]>`
    SELECT u."id"::text, u."name", u."email", u."is_platform_operator"
      FROM (SELECT "id", "name", "email", "is_platform_operator" FROM "users" WHERE ${range(Prisma.sql`lower("email")`, prefix)}
            UNION
            SELECT "id", "name", "email", "is_platform_operator" FROM "users" WHERE ${range(Prisma.sql`lower("name")`, prefix)}) u
     WHERE ${keyset}
     ORDER BY lower(u."email") COLLATE "C", u."id"
     LIMIT ${page.limit + 1}`;
  return toPage(
    rows.map((r) => ({ id: r.id, name: r.name, email: r.email, isPlatformOperator: r.is_platform_operator })),
    page.limit,
    (u) => u.id,
  );
}

export type VmMatch = { id: string; name: string; kind: "guest" | "management"; observedState: string; realmId: string; org: string; orgSlug: string; host: string | null };

/** Live VMs (not destroyed) whose name starts with `query` (case-insensitive), by name then id, with their realm's organization. */
export async function unsafeSearchVms(platform: Tx, query: string, page: PageRequest): Promise<Page<VmMatch>> {
  const prefix = query.trim().toLowerCase();
  const after = await cursorRow(page.cursor, (id) => platform.vm.findUnique({ where: { id }, select: { id: true, name: true } }));
  const keyset = after ? Prisma.sql`(lower(v."name") COLLATE "C", v."id") > (${after.name.toLowerCase()}::text COLLATE "C", ${after.id}::uuid)` : Prisma.sql`true`;
  const rows = await platform.$queryRaw<{ id: string; name: string; kind: VmMatch["kind"]; observed_state: string; realm_id: string; org: string; org_slug: string; host: string | null }[]>`
    SELECT v."id"::text, v."name", v."kind"::text, v."observed_state"::text, v."realm_id"::text, o."name" AS "org", o."slug" AS "org_slug", h."name" AS "host"
      FROM (SELECT * FROM "vms" v
             WHERE ${range(Prisma.sql`lower(v."name")`, prefix)} AND ${keyset} AND v."observed_state" <> 'destroyed'
             ORDER BY lower(v."name") COLLATE "C", v."id"
             LIMIT ${page.limit + 1}) v
      JOIN "realms" r ON r."id" = v."realm_id"
      JOIN "organizations" o ON o."id" = r."org_id"
      LEFT JOIN "hosts" h ON h."id" = v."host_id"
     ORDER BY lower(v."name") COLLATE "C", v."id"`;
  return toPage(
    rows.map((r) => ({ id: r.id, name: r.name, kind: r.kind, observedState: r.observed_state, realmId: r.realm_id, org: r.org, orgSlug: r.org_slug, host: r.host })),
    page.limit,
    (v) => v.id,
  );
}
