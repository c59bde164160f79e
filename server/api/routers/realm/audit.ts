import { auditEventOutput, pageInput, pageOf } from "../../../contracts/api";
import { realmAuditPage } from "../../../services/audit-trail";
import { realmAction } from "../../trpc";

/** The realm's own audit trail (row-level security keeps it to this realm), newest first, by page. */
export const audit = realmAction("audit.read")
  .meta({
    openapi: {
      method: "GET",
      path: "/audit",
      tags: ["Audit"],
      summary: "The realm's audit trail, newest first",
      description: "Every decision about the realm, operators' break-glass included; `actor` says who in words (a member, an API token and its member, or system). Pages with `cursor` (the previous page's `nextCursor`).",
    },
  })
  .input(pageInput.default({ limit: 50 }))
  .output(pageOf(auditEventOutput, "AuditPage"))
  .query(({ ctx, input }) => realmAuditPage(ctx.db, ctx.platformDb, { realmId: ctx.realm.id, orgId: ctx.org.id }, input));
