import { z } from "zod";
import { dateTime, pageInput, pageOf } from "../../../contracts/api";
import { id, idempotencyKey } from "../../../contracts/vm";
import {
  acceptProposal,
  auditedAgreementLookup,
  DEFAULT_AGREEMENT_DAYS,
  DEFAULT_AGREEMENT_PORT,
  declineProposal,
  getAgreementTest,
  listRealmAgreements,
  MAX_AGREEMENT_DAYS,
  proposeAgreement,
  requestAgreementTest,
  revokeAgreementBySide,
} from "../../../services/agreements";
import { realmAction, realmInput, router } from "../../trpc";
import { actorScope } from "../actor-scope";

/**
 * Cross-realm sharing agreements (issue 15 part 5): owners propose, accept, decline and revoke
 * (realm.agreements.manage: owners only); every member reads them; admins and owners ask test
 * sends (network.manage). An agreement is visible to its two realms only: another realm's
 * agreement id answers exactly like a missing one. The proposer names the other side by its
 * organization's public handle and the VM's name, and gets the same answer whether or not they
 * exist (services/agreements.ts).
 */

type Path = "/agreements" | "/agreements/{agreementId}/accept" | "/agreements/{agreementId}/decline" | "/agreements/{agreementId}/revoke" | "/agreements/{agreementId}/test-sends" | "/agreement-tests/{agreementTestId}";
const meta = (method: "GET" | "POST", path: Path, summary: string, description?: string) => ({
  openapi: { method, path, tags: ["Agreements"], summary, description },
});

const state = z.enum(["proposed", "active", "revoked", "expired", "declined"]);
const end = z.object({ vmId: z.uuid().nullable().meta({ description: "Shown to the VM's own realm only" }), name: z.string(), org: z.string() });
const agreementOutput = z
  .object({
    id: z.uuid(),
    direction: z.enum(["outgoing", "incoming"]),
    peer: z.string().meta({ description: "The other organization's handle" }),
    from: end,
    to: end,
    twoWay: z.boolean(),
    port: z.number().int(),
    state,
    expiresAt: dateTime,
    createdAt: dateTime,
    decidedAt: dateTime.nullable(),
    endedAt: dateTime.nullable(),
    endedBy: z.enum(["this realm", "the other realm"]).nullable(),
    channel: z
      .object({
        status: z.enum(["none", "waiting", "open", "closed"]),
        reason: z.string().nullable(),
        delivered: z.number().int(),
        refused: z.number().int(),
        firstUsedAt: dateTime.nullable(),
        syncedAt: dateTime.nullable(),
      })
      .meta({ description: "The Argo bridge on the host, as the worker last saw it: open, or waiting (with the reason: a VM not running, the VMs on different hosts), with its counters" }),
  })
  .meta({ id: "Agreement" });

const agreementIdInput = z.object({ agreementId: id, idempotencyKey: idempotencyKey.optional() }).strict();

export const agreementRouter = router({
  list: realmAction("realm.read")
    .meta(meta("GET", "/agreements", "The realm's sharing agreements", "Outgoing (proposed by this realm) and incoming (proposed to it), newest first, with the channel's status and counters. Pages with `cursor` (the previous page's `nextCursor`)."))
    .input(pageInput.default({ limit: 50 }))
    .output(pageOf(agreementOutput, "AgreementPage"))
    .query(({ ctx, input }) => listRealmAgreements(ctx.db, ctx.realm.id, input)),

  propose: realmInput(
    "realm.agreements.manage",
    z
      .object({
        fromVmId: id.meta({ description: "This realm's VM that may send" }),
        targetOrg: z.string({ error: "targetOrg is the other organization's handle" }).trim().min(2, "targetOrg is the other organization's handle").max(63, "targetOrg is at most 63 characters").regex(/^[a-z0-9][a-z0-9-]*$/i, "targetOrg is an organization handle (letters, digits, dashes)"),
        targetVmName: z.string({ error: "targetVmName is the name of the other realm's VM" }).trim().min(1, "targetVmName is the name of the other realm's VM").max(63, "targetVmName is at most 63 characters"),
        twoWay: z.boolean().default(false).meta({ description: "true: the other VM may send back too" }),
        port: z.number().int({ error: "a port is a whole number from 1 to 65535" }).min(1, "a port is a whole number from 1 to 65535").max(65535, "a port is a whole number from 1 to 65535").nullable().default(null).meta({ description: `The Argo port (default ${DEFAULT_AGREEMENT_PORT})` }),
        expiresInDays: z.number().int({ error: `expiresInDays is a whole number of days from 1 to ${MAX_AGREEMENT_DAYS}` }).min(1, `expiresInDays is from 1 to ${MAX_AGREEMENT_DAYS}`).max(MAX_AGREEMENT_DAYS, `expiresInDays is from 1 to ${MAX_AGREEMENT_DAYS}`).nullable().default(null).meta({ description: `Default ${DEFAULT_AGREEMENT_DAYS}` }),
        idempotencyKey: idempotencyKey.optional(),
      })
      .strict(),
  )
    .meta(meta("POST", "/agreements", "Propose a sharing agreement", "This realm's VM may send to the other organization's VM (by name) over Argo. The answer is the same whether or not that organization and VM exist; an owner of the other realm accepts it."))
    .output(z.object({ agreementId: z.uuid() }))
    .mutation(({ ctx, input }) => proposeAgreement(ctx.db, ctx.platformDb, actorScope(ctx), input)),

  accept: realmInput("realm.agreements.manage", agreementIdInput)
    .meta(meta("POST", "/agreements/{agreementId}/accept", "Accept a proposal made to this realm", "The named VM is resolved inside this realm; the worker then opens the channel on the host. Only the other realm's proposal can be accepted here."))
    .output(z.object({ agreementId: z.uuid(), state: z.literal("active") }))
    .mutation(({ ctx, input }) => auditedAgreementLookup(ctx, input.agreementId, "agreement.accept", () => acceptProposal(ctx.db, actorScope(ctx), input.agreementId))),

  decline: realmInput("realm.agreements.manage", agreementIdInput)
    .meta(meta("POST", "/agreements/{agreementId}/decline", "Decline a proposal made to this realm"))
    .output(z.object({ agreementId: z.uuid(), state: z.literal("declined") }))
    .mutation(({ ctx, input }) => auditedAgreementLookup(ctx, input.agreementId, "agreement.decline", () => declineProposal(ctx.db, actorScope(ctx), input.agreementId))),

  revoke: realmInput("realm.agreements.manage", agreementIdInput)
    .meta(meta("POST", "/agreements/{agreementId}/revoke", "Revoke an agreement (either side, at any moment)", "The worker closes the channel on the host at its next poll; queued messages are dropped and the next send is denied by FLASK."))
    .output(z.object({ agreementId: z.uuid(), state: z.literal("revoked") }))
    .mutation(({ ctx, input }) => auditedAgreementLookup(ctx, input.agreementId, "agreement.revoke", () => revokeAgreementBySide(ctx.db, actorScope(ctx), input.agreementId))),

  sendTest: realmInput("network.manage", z.object({ agreementId: id, reverse: z.boolean().default(false).meta({ description: "true: from the destination VM back to the source (refused by the hypervisor unless two-way)" }), idempotencyKey: idempotencyKey.optional() }).strict())
    .meta(meta("POST", "/agreements/{agreementId}/test-sends", "Send a test message over the agreement", "Run by the worker on the VMs' host through the agreement's Argo bridge; poll the test for the answer (delivered, or the hypervisor's refusal with AVC lines). Unanswered tests fail after 30 s."))
    .output(z.object({ agreementTestId: z.uuid() }))
    .mutation(({ ctx, input }) =>
      auditedAgreementLookup(ctx, input.agreementId, "agreement.test-send", async () => ({ agreementTestId: (await requestAgreementTest(ctx.db, actorScope(ctx), input.agreementId, input.reverse)).testId })),
    ),

  test: realmAction("realm.read")
    .input(z.object({ agreementTestId: id }).strict())
    .meta(meta("GET", "/agreement-tests/{agreementTestId}", "A test send and its answer"))
    .output(
      z
        .object({ id: z.uuid(), agreementId: z.uuid(), reverse: z.boolean(), status: z.enum(["pending", "done", "failed"]), delivered: z.boolean().nullable(), reason: z.string().nullable(), avc: z.array(z.string()), createdAt: dateTime, decidedAt: dateTime.nullable() })
        .meta({ id: "AgreementTest" }),
    )
    .query(async ({ ctx, input }) => {
      const t = await getAgreementTest(ctx.db, ctx.realm.id, input.agreementTestId);
      return { ...t, status: t.status as "pending" | "done" | "failed" };
    }),
});
