import { z } from "zod";
import { pageInput, pageOf } from "../../../contracts/api";
import { operatorAuditFilterInput, operatorFilterOf } from "../../../contracts/audit-filter";
import { verifyReportOutput } from "../../../contracts/audit-verify";
import { configuredCheckpointStore } from "../../../audit-chain/checkpoint";
import { auditKeys } from "../../../audit-chain/keys";
import type { Tx } from "../../../db/client";
import { recordDecision, unsafeListAlarms, unsafeListDenials } from "../../../repositories/audit";
import { verifyAuditTrail, writeAuditCheckpoint } from "../../../services/audit-integrity";
import { unsafeOrgNamesOfRealms } from "../../../repositories/realms";
import { unsafeUserNames } from "../../../repositories/users";
import { operatorProcedure } from "../../trpc";
import { operatorAuditRow, operatorRoute } from "./openapi";

const page = pageInput.default({ limit: 50 });
const auditPage = (id: string) => pageOf(operatorAuditRow, id);

/** Adds the organization and actor names operators read; ids as strings. */
async function withNames<T extends { id: bigint; realmId: string | null; actorId: string | null }>(
  platform: Tx,
  rows: T[],
) {
  const orgs = await unsafeOrgNamesOfRealms(
    platform,
    rows.map((r) => r.realmId).filter((x): x is string => x !== null),
  );
  const users = await unsafeUserNames(
    platform,
    rows.map((r) => r.actorId).filter((x): x is string => x !== null),
  );
  return rows.map((r) => ({
    ...r,
    id: r.id.toString(),
    org: r.realmId ? (orgs.get(r.realmId) ?? null) : null,
    actor: r.actorId ? (users.get(r.actorId)?.email ?? null) : null,
  }));
}

/** Every denial across realms, newest first: which layer, which rule, the AVC line. */
export const denials = operatorProcedure
  .meta(
    operatorRoute(
      "GET",
      "/operator/denials",
      "Denials across realms, newest first",
      "Which layer refused, by which rule, with the hypervisor's AVC lines. Pages with `cursor` (the previous page's `nextCursor`, an event id).",
    ),
  )
  .input(page)
  .output(auditPage("OperatorDenialPage"))
  .query(async ({ ctx, input }) => {
    const { items, nextCursor } = await unsafeListDenials(ctx.platformDb, input);
    return { items: await withNames(ctx.platformDb, items), nextCursor };
  });

/** Layer disagreements: the hypervisor refused what tRPC and the database let through. */
export const alarms = operatorProcedure
  .meta(
    operatorRoute(
      "GET",
      "/operator/alarms",
      "Policy-drift alarms, newest first",
      "The hypervisor refused what the upper layers allowed. Pages with `cursor` (the previous page's `nextCursor`, an event id).",
    ),
  )
  .input(page)
  .output(auditPage("OperatorAlarmPage"))
  .query(async ({ ctx, input }) => {
    const { items, nextCursor } = await unsafeListAlarms(ctx.platformDb, input);
    return { items: await withNames(ctx.platformDb, items), nextCursor };
  });

// ---------------------------------------------------------------------------------------------
// Tamper evidence (server/audit-chain): verify the chains against the signed checkpoints, sign
// a checkpoint now, and the public key anyone may verify with.

/** Verifies every chain (or one realm's) against the signed checkpoints, naming each chain's first bad record. */
export const verify = operatorProcedure
  .meta(
    operatorRoute(
      "GET",
      "/operator/audit/verify",
      "Verify the audit trail",
      "Checks record MACs, the hash chains and their tags against the signed checkpoints; names each chain's first bad record.",
    ),
  )
  .input(
    z
      .object({ realmId: z.uuid({ error: "realmId must be a valid id" }).optional() })
      .strict()
      .default({}),
  )
  .output(verifyReportOutput)
  .query(async ({ ctx, input }) => {
    const report = await verifyAuditTrail(ctx.platformDb, {
      realmId: input.realmId,
      store: configuredCheckpointStore(),
      keys: auditKeys(),
      publicKey: auditKeys().publicKey,
    });
    const orgs = await unsafeOrgNamesOfRealms(
      ctx.platformDb,
      report.chains.map((c) => c.realmId).filter((id): id is string => id !== null),
    );
    return {
      ...report,
      chains: report.chains.map((c) => ({ ...c, org: c.realmId ? (orgs.get(c.realmId) ?? null) : null })),
    };
  });

/** Signs the chain heads now and appends the checkpoint outside the database (audited). */
export const checkpoint = operatorProcedure
  .meta(
    operatorRoute(
      "POST",
      "/operator/audit/checkpoints",
      "Write an audit checkpoint now",
      "Signs every chain's head (Ed25519) and appends it to the checkpoint store.",
    ),
  )
  .input(z.object({}).strict().default({}))
  .output(z.object({ name: z.string(), createdAt: z.string(), chains: z.number().int() }))
  .mutation(async ({ ctx }) => {
    const written = await writeAuditCheckpoint(ctx.platformDb, auditKeys(), configuredCheckpointStore());
    await recordDecision(ctx.platformDb, {
      realmId: null,
      actorId: ctx.user.id,
      action: "audit.checkpoint",
      targetType: "audit-checkpoint",
      targetId: written!.name,
      decision: "allow",
      layer: "trpc",
      reason: `signed a checkpoint of ${written!.checkpoint.chains.length} audit chains`,
      requestId: ctx.requestId,
    });
    return { name: written!.name, createdAt: written!.checkpoint.createdAt, chains: written!.checkpoint.chains.length };
  });

/** The Ed25519 public key checkpoints are signed with: with it, anyone can verify a chain's digests and checkpoints offline. */
export const publicKey = operatorProcedure
  .meta(
    operatorRoute(
      "GET",
      "/operator/audit/public-key",
      "The audit checkpoints' public key",
      "Ed25519, 32 raw bytes in base64.",
    ),
  )
  .input(z.object({}).strict().default({}))
  .output(z.object({ algorithm: z.literal("Ed25519"), publicKey: z.string() }))
  .query(() => ({ algorithm: "Ed25519" as const, publicKey: auditKeys().publicKeyRaw.toString("base64") }));

/**
 * An export of the trail may start (operators: any realm's chain, the platform's, or every
 * chain): the filter, checked. Not a REST route of its own: GET /api/v1/operator/audit/export
 * calls it and then streams the file (api/rest-export.ts).
 */
export const exportTrail = operatorProcedure.input(operatorAuditFilterInput.optional()).query(({ input }) => {
  const filter = operatorFilterOf(input ?? operatorAuditFilterInput.parse({}));
  return { chain: filter.realmId === undefined ? ("all" as const) : filter.realmId, filter };
});
