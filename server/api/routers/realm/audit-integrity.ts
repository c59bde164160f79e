import { z } from "zod";
import { configuredCheckpointStore } from "../../../audit-chain/checkpoint";
import { auditKeys } from "../../../audit-chain/keys";
import { auditFilterInput } from "../../../contracts/audit-filter";
import { verifyReportOutput } from "../../../contracts/audit-verify";
import { verifyAuditTrail } from "../../../services/audit-integrity";
import { realmAction } from "../../trpc";

/**
 * The realm's own audit chain, for members who may read the trail (audit.read): verify it on the
 * server (`realmgate audit verify`), and authorize an export of it (`GET /api/v1/audit/export`,
 * streamed by server/api/rest-export.ts after this procedure said yes). The realm is the
 * caller's, from the procedure chain; no other realm's chain is read or named.
 */

/** Verifies the caller's realm's chain against the signed checkpoints (record MACs and tags too: the server holds the keys). */
export const auditVerify = realmAction("audit.read")
  .meta({
    openapi: {
      method: "GET",
      path: "/audit/verify",
      tags: ["Audit"],
      summary: "Verify the realm's audit chain",
      description:
        "Checks each record's MAC, the hash chain and its tags against the signed checkpoints, and names the first bad record. For a file, download `/audit/export` and verify it offline (`realmgate audit verify --file`).",
    },
  })
  .input(z.object({}).strict().default({}))
  .output(verifyReportOutput)
  .query(async ({ ctx }) => {
    const keys = auditKeys();
    const report = await verifyAuditTrail(ctx.platformDb, { realmId: ctx.realm.id, store: configuredCheckpointStore(), keys, publicKey: keys.publicKey });
    return {
      ...report,
      chains: report.chains.filter((c) => c.realmId === ctx.realm.id).map((c) => ({ ...c, org: ctx.org.name })),
    };
  });

/**
 * An export of the caller's realm's trail may start: the filter, checked. Not a REST route of its
 * own: GET /api/v1/audit/export calls it and then streams the file (api/rest-export.ts).
 */
export const auditExport = realmAction("audit.read")
  .input(auditFilterInput.optional())
  .query(({ ctx, input }) => ({ realmId: ctx.realm.id, filter: input ?? {} }));
