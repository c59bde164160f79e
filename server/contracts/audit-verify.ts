import { z } from "zod";

/**
 * What a verification of the audit chains answers (server/audit-chain/verify.ts VerifyReport),
 * for operators (operator.audit.verify: every chain, or one) and for a realm's members
 * (realm.auditVerify: their realm's chain alone). `realmgate audit verify` prints it.
 */

const firstBad = z
  .object({
    seq: z
      .string()
      .nullable()
      .meta({ description: "The chain position of the first bad record; null for an event outside the chain" }),
    eventId: z.string().nullable(),
    kind: z.enum(["edited", "deleted", "inserted", "swapped", "truncated", "rewritten", "unsealed", "malformed"]),
    detail: z.string().meta({ description: "What is wrong, in plain words" }),
  })
  .meta({ id: "AuditFirstBadRecord" });

export const verifyReportOutput = z
  .object({
    ok: z.boolean(),
    checkedMacs: z.boolean(),
    checkedTags: z.boolean(),
    note: z.string(),
    checkpoints: z.object({
      valid: z.number().int(),
      invalid: z.array(z.object({ name: z.string(), reason: z.string() })),
    }),
    chains: z.array(
      z.object({
        realmId: z.uuid().nullable().meta({ description: "null: the platform's own chain" }),
        org: z.string().nullable().meta({ description: "The realm's organization; null: the platform's own chain" }),
        ok: z.boolean(),
        recordsVerified: z.number().int(),
        legacyRecords: z.number().int().meta({ description: "Records written before record MACs existed" }),
        headSeq: z.string(),
        checkpointSeq: z.string().nullable(),
        firstBad: firstBad.nullable(),
      }),
    ),
    targetRealms: z
      .object({
        checked: z.number().int(),
        legacy: z.number().int().meta({ description: "Rows written before target realms were sealed (not checked)" }),
        problems: z.array(z.object({ eventId: z.string(), kind: z.enum(["deleted", "edited", "inserted"]), detail: z.string() })),
      })
      .optional()
      .meta({ description: "Denials caused by a foreign id: their target-realm records checked against the seal in each event (with the audit secret only)" }),
  })
  .meta({ id: "AuditVerifyReport" });
