import { Prisma } from "../generated/prisma/client";

/**
 * The audit trail's filters (issue 13), shared by the trail pages (repositories/audit-trail.ts)
 * and the exports: one WHERE fragment, parameterised, over one audit_events row (`alias`).
 *
 * - realmId: undefined = every realm (operators); null = the platform's own events; else one realm.
 * - actor: a user or API token id, "system" (no actor), or words matched against the actor's
 *   email or name and the token's name (for the tenant role, only its organization's members and
 *   its realm's tokens are visible: row-level security).
 * - action: an action code ("vm.start", and its sub-actions) or a family ("vm" matches vm.*).
 * - target: a target id, or words matched against the names of VMs, disks, networks, API tokens,
 *   members (email) and invitations (email).
 * - decision, layer: equality. from / to: created_at in [from, to).
 * - againstRealmId (operators only, platform role): denials whose target belonged to that realm
 *   (realmgate_private.audit_target_realms, which the tenant role cannot read).
 */
export type AuditFilter = {
  realmId?: string | null;
  actor?: string;
  action?: string;
  target?: string;
  decision?: "allow" | "deny";
  layer?: string;
  from?: Date;
  to?: Date;
  againstRealmId?: string;
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `%words%` for ILIKE, with LIKE's wildcards taken literally. */
export function likePattern(words: string): string {
  return `%${words.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** The filter as a WHERE fragment (without WHERE) over the audit_events row `alias` (default "e"); TRUE when empty. */
export function auditFilterSql(filter: AuditFilter, alias = "e"): Prisma.Sql {
  const col = (name: string) => Prisma.raw(`"${alias}"."${name}"`);
  const parts: Prisma.Sql[] = [];
  if (filter.realmId === null) parts.push(Prisma.sql`${col("realm_id")} IS NULL`);
  else if (filter.realmId !== undefined) parts.push(Prisma.sql`${col("realm_id")} = ${filter.realmId}::uuid`);
  const actor = filter.actor?.trim();
  if (actor) {
    if (UUID.test(actor)) parts.push(Prisma.sql`(${col("actor_id")} = ${actor}::uuid OR ${col("actor_token_id")} = ${actor}::uuid)`);
    else if (actor.toLowerCase() === "system") parts.push(Prisma.sql`${col("actor_id")} IS NULL`);
    else {
      const like = likePattern(actor);
      parts.push(Prisma.sql`(${col("actor_id")} IN (SELECT u."id" FROM "users" u WHERE u."email" ILIKE ${like} OR u."name" ILIKE ${like})
        OR ${col("actor_token_id")} IN (SELECT t."id" FROM "api_tokens" t WHERE t."name" ILIKE ${like}))`);
    }
  }
  const action = filter.action?.trim();
  if (action) {
    const family = `${action.replace(/[\\%_]/g, (c) => `\\${c}`)}.%`;
    // A word without a dot is a family ("vm", "alarm"): LIKE alone, which the partial index on
    // alarm.% serves; an action code is itself or its sub-actions.
    parts.push(action.includes(".") ? Prisma.sql`(${col("action")} = ${action} OR ${col("action")} LIKE ${family})` : Prisma.sql`${col("action")} LIKE ${family}`);
  }
  const target = filter.target?.trim();
  if (target) {
    const like = likePattern(target);
    parts.push(Prisma.sql`(${col("target_id")} = ${target} OR ${col("target_id")} IN (
        SELECT v."id"::text FROM "vms" v WHERE v."name" ILIKE ${like}
        UNION ALL SELECT d."id"::text FROM "disks" d WHERE d."name" ILIKE ${like}
        UNION ALL SELECT n."id"::text FROM "networks" n WHERE n."name" ILIKE ${like}
        UNION ALL SELECT t."id"::text FROM "api_tokens" t WHERE t."name" ILIKE ${like}
        UNION ALL SELECT u."id"::text FROM "users" u WHERE u."email" ILIKE ${like}
        UNION ALL SELECT i."id"::text FROM "invitations" i WHERE i."email" ILIKE ${like}))`);
  }
  if (filter.decision) parts.push(Prisma.sql`${col("decision")} = ${filter.decision}::"Decision"`);
  const layer = filter.layer?.trim();
  if (layer) parts.push(Prisma.sql`${col("layer")} = ${layer}`);
  if (filter.from) parts.push(Prisma.sql`${col("created_at")} >= ${filter.from}::timestamptz`);
  if (filter.to) parts.push(Prisma.sql`${col("created_at")} < ${filter.to}::timestamptz`);
  if (filter.againstRealmId) {
    parts.push(Prisma.sql`EXISTS (SELECT 1 FROM "realmgate_private"."audit_target_realms" tr WHERE tr."event_id" = ${col("id")} AND tr."target_realm_id" = ${filter.againstRealmId}::uuid)`);
  }
  return parts.length === 0 ? Prisma.sql`TRUE` : Prisma.join(parts, " AND ");
}
