import { z } from "zod";
import { operatorAuditFilterFields, operatorFilterOf, operatorTrailPage, trailPageFields } from "../../../contracts/audit-filter";
import { operatorAuditPage } from "../../../services/audit-trail";
import { operatorProcedure } from "../../trpc";
import { operatorRoute } from "./openapi";

/**
 * The audit trail across realms for operators (the audit and denials views): one row per action
 * with its phases, every filter of the realm trail plus one realm (`realmId`, or "platform") and
 * "attempts against realm X" (`againstRealmId`: denials whose target belonged to X, with both
 * sides named). Keyset pages like the realm trail.
 */
export const trail = operatorProcedure
  .meta(
    operatorRoute(
      "GET",
      "/operator/audit/trail",
      "The audit trail across realms, newest first",
      "One row per action with its phases; filters: realmId, againstRealmId, actor, action, target, decision, layer, from, to. Denials caused by a foreign id name the realm that owns the target.",
    ),
  )
  .input(z.object({ ...trailPageFields, ...operatorAuditFilterFields }).strict().default({ limit: 50 }))
  .output(operatorTrailPage)
  .query(({ ctx, input }) => {
    const { direction: _ignored, cursor, before, after, limit, ...filter } = input;
    return operatorAuditPage(ctx.platformDb, { cursor, before, after, limit, ...operatorFilterOf(filter) });
  });
