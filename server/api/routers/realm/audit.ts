import { z } from "zod";
import { auditFilterFields, auditTrailPage, trailPageFields } from "../../../contracts/audit-filter";
import { realmAuditPage } from "../../../services/audit-trail";
import { realmAction } from "../../trpc";

/**
 * The realm's own audit trail (row-level security keeps it to this realm), newest first, by page:
 * one row per action with its phases, names and words; filtered by actor, action, target,
 * decision, layer and time. Needs audit.read (owners and admins by default).
 */
export const audit = realmAction("audit.read")
  .meta({
    openapi: {
      method: "GET",
      path: "/audit",
      tags: ["Audit"],
      summary: "The realm's audit trail, newest first",
      description:
        "One row per action: its phases (authorized → applied or failed), `actor` in words (a member, an API token and its member, an operator under break-glass, or system), the action and reason in words with the raw rule and AVC lines. Filters: actor, action, target, decision, layer, from, to. Pages with `cursor`/`before` (the previous page's `nextCursor`: older) or `after` (`prevCursor`: newer).",
    },
  })
  .input(z.object({ ...trailPageFields, ...auditFilterFields }).strict().default({ limit: 50 }))
  .output(auditTrailPage)
  .query(({ ctx, input }) => {
    const { direction: _ignored, ...rest } = input;
    return realmAuditPage(ctx.db, ctx.platformDb, { realmId: ctx.realm.id, orgId: ctx.org.id }, rest);
  });
