import { z } from "zod";
import { listAuditForRealm } from "../../../repositories/audit";
import { realmAction } from "../../trpc";

/** The realm's own audit trail (row-level security keeps it to this realm). */
export const audit = realmAction("audit.read")
  .input(z.object({ limit: z.number().int().min(1).max(200).default(50) }).strict().default({ limit: 50 }))
  .query(async ({ ctx, input }) =>
    (await listAuditForRealm(ctx.db, ctx.realm.id, input.limit)).map((r) => ({ ...r, id: r.id.toString() })),
  );
