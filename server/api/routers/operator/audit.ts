import { z } from "zod";
import type { Tx } from "../../../db/client";
import { unsafeListAlarms, unsafeListDenials } from "../../../repositories/audit";
import { unsafeOrgNamesOfRealms } from "../../../repositories/realms";
import { unsafeUserNames } from "../../../repositories/users";
import { operatorProcedure } from "../../trpc";
import { operatorAuditRow, operatorRoute } from "./openapi";

const page = z.object({ limit: z.number().int().min(1).max(200).default(50) }).strict().default({ limit: 50 });

/** Adds the organization and actor names operators read; ids as strings. */
async function withNames<T extends { id: bigint; realmId: string | null; actorId: string | null }>(platform: Tx, rows: T[]) {
  const orgs = await unsafeOrgNamesOfRealms(platform, rows.map((r) => r.realmId).filter((x): x is string => x !== null));
  const users = await unsafeUserNames(platform, rows.map((r) => r.actorId).filter((x): x is string => x !== null));
  return rows.map((r) => ({
    ...r,
    id: r.id.toString(),
    org: r.realmId ? (orgs.get(r.realmId) ?? null) : null,
    actor: r.actorId ? (users.get(r.actorId)?.email ?? null) : null,
  }));
}

/** Every denial across realms, newest first: which layer, which rule, the AVC line. */
export const denials = operatorProcedure
  .meta(operatorRoute("GET", "/operator/denials", "Denials across realms, newest first", "Which layer refused, by which rule, with the hypervisor's AVC lines."))
  .input(page)
  .output(z.array(operatorAuditRow))
  .query(async ({ ctx, input }) => withNames(ctx.platformDb, await unsafeListDenials(ctx.platformDb, input.limit)));

/** Layer disagreements: the hypervisor refused what tRPC and the database let through. */
export const alarms = operatorProcedure
  .meta(operatorRoute("GET", "/operator/alarms", "Policy-drift alarms, newest first", "The hypervisor refused what the upper layers allowed."))
  .input(page)
  .output(z.array(operatorAuditRow))
  .query(async ({ ctx, input }) => withNames(ctx.platformDb, await unsafeListAlarms(ctx.platformDb, input.limit)));
