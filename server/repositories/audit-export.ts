import { transaction, withRealm, type Db, type Tx } from "../db/client";
import { Prisma } from "../generated/prisma/client";
import { auditFilterSql, type AuditFilter } from "./audit-filter";

/**
 * The audit export's reads (services/audit-export.ts streams them): one chain's sealed records
 * with their chain data, in seq order, a keyset page at a time, so an export of any length holds
 * one page in memory and no transaction stays open while a slow client reads (each page is its
 * own short transaction; the chain is append-only, so pages read at different moments still make
 * one consistent prefix of it).
 *
 * A member's export reads through the tenant role inside its realm (row-level security: another
 * realm's rows do not exist for it); an operator's through the platform role (unsafe…). Only the
 * columns the record MAC and the chain digest cover are read: never the operators-only target
 * realm (realmgate_private.audit_target_realms).
 *
 * Each page is planned for its own values (plan_cache_mode = force_custom_plan, for the page's
 * transaction only): the driver prepares statements by name, and after five executions
 * PostgreSQL may switch to a generic plan, which for this query (where in the chain the page
 * starts, which chain) sorted the whole remaining chain: seconds per page instead of
 * milliseconds.
 */

/** One chain entry with its record, as text (hex for bytes, epoch ms for time, details as JSON text). */
export type ExportRow = {
  seq: string;
  event_id: string;
  /** The previous entry's digest (hex); 64 zeros at seq 1; null when that entry is missing. */
  prev: string | null;
  digest: string;
  tag: string;
  /** false: the chain row seals an event no longer in audit_events (the record columns are null). */
  present: boolean;
  realm_id: string | null;
  actor_id: string | null;
  actor_token_id: string | null;
  action: string | null;
  target_type: string | null;
  target_id: string | null;
  decision: "allow" | "deny" | null;
  layer: string | null;
  reason: string | null;
  request_id: string | null;
  details: string | null;
  created_ms: string | null;
  mac: string | null;
  parent_id: string | null;
  phase: string | null;
};

const GENESIS_HEX = "0".repeat(64);

/** One page of a chain (realmId null: the platform's), after `afterSeq`, narrowed by the filter (its realmId is ignored: the chain decides). */
function pageSql(chain: string | null, filter: AuditFilter, afterSeq: bigint, limit: number): Prisma.Sql {
  const where = filtered(filter) ? auditFilterSql({ ...filter, realmId: undefined }, "e") : Prisma.sql`TRUE`;
  const sameChain = (alias: string) => (chain === null ? Prisma.sql`${Prisma.raw(alias)}."realm_id" IS NULL` : Prisma.sql`${Prisma.raw(alias)}."realm_id" = ${chain}::uuid`);
  // The page walks the index (realm_id, seq) in order and stops after `limit` rows (ORDER BY
  // names the index's columns, so no plan sorts the whole chain); the previous entry's digest
  // is one index lookup per row of the page.
  return Prisma.sql`
    SELECT x."seq"::text AS "seq", x."event_id"::text AS "event_id",
           CASE WHEN x."seq" = 1 THEN ${GENESIS_HEX}
                ELSE (SELECT encode(p."digest", 'hex') FROM "audit_chain" p WHERE ${sameChain("p")} AND p."seq" = x."seq" - 1) END AS "prev",
           encode(x."digest", 'hex') AS "digest", encode(x."tag", 'hex') AS "tag", x."present",
           x."realm_id", x."actor_id", x."actor_token_id", x."action", x."target_type", x."target_id", x."decision", x."layer", x."reason", x."request_id",
           x."details", x."created_ms", encode(x."mac", 'hex') AS "mac", x."parent_id", x."phase"
    FROM (
      SELECT c."realm_id" AS "chain", c."seq", c."event_id", c."digest", c."tag", e."id" IS NOT NULL AS "present",
             e."realm_id"::text AS "realm_id", e."actor_id"::text AS "actor_id", e."actor_token_id"::text AS "actor_token_id",
             e."action", e."target_type", e."target_id", e."decision"::text AS "decision", e."layer", e."reason", e."request_id",
             e."details"::text AS "details", ((extract(epoch FROM e."created_at") * 1000)::bigint)::text AS "created_ms",
             e."mac", e."parent_id"::text AS "parent_id", e."phase"
      FROM "audit_chain" c
      LEFT JOIN "audit_events" e ON e."id" = c."event_id"
      WHERE ${sameChain("c")} AND c."seq" > ${afterSeq.toString()}::bigint AND ${where}
      ORDER BY c."realm_id", c."seq"
      LIMIT ${limit}
    ) x
    ORDER BY x."seq"`;
}

/** Whether a filter narrows the records (realmId aside: it picks the chain). */
export function filtered(filter: AuditFilter): boolean {
  return Object.entries(filter).some(([key, value]) => key !== "realmId" && value !== undefined);
}

/** A page of the caller's realm's chain, read as the tenant role inside the realm. */
export function readRealmExportPage(tenant: Db, realmId: string, filter: Omit<AuditFilter, "againstRealmId" | "realmId">, afterSeq: bigint, limit: number): Promise<ExportRow[]> {
  return withRealm(tenant, realmId, async (tx) => {
    await tx.$executeRaw`SET LOCAL plan_cache_mode = force_custom_plan`;
    return tx.$queryRaw<ExportRow[]>(pageSql(realmId, filter, afterSeq, limit));
  });
}

/** A page of any chain (null: the platform's), read as the platform role. */
export function unsafeReadExportPage(platform: Db, chain: string | null, filter: AuditFilter, afterSeq: bigint, limit: number): Promise<ExportRow[]> {
  return transaction(platform, async (tx) => {
    await tx.$executeRaw`SET LOCAL plan_cache_mode = force_custom_plan`;
    return tx.$queryRaw<ExportRow[]>(pageSql(chain, filter, afterSeq, limit));
  });
}

/** Every chain that has a sealed record: null (the platform's) first, then realm ids in order. */
export async function unsafeExportChains(platform: Tx): Promise<(string | null)[]> {
  const rows = await platform.$queryRaw<{ realm_id: string | null }[]>`
    SELECT NULLIF("chain_key", '00000000-0000-0000-0000-000000000000'::uuid)::text AS "realm_id"
    FROM "audit_chain_heads" WHERE "seq" > 0 ORDER BY "chain_key"`;
  return rows.map((r) => r.realm_id);
}

/** Events up to this id were written before record MACs (migration audit_chain): a number, no tenant data. */
export async function unsafeExportLegacyWatermark(platform: Tx): Promise<string> {
  const [row] = await platform.$queryRaw<{ watermark: string }[]>`SELECT "realmgate_audit_legacy_watermark"()::text AS "watermark"`;
  return row!.watermark;
}
