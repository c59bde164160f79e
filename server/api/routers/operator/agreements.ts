import { z } from "zod";
import { dateTime, pageInput, pageOf } from "../../../contracts/api";
import { unsafeAgreementBetween } from "../../../repositories/agreements";
import { unsafeFindVmWithRealm } from "../../../repositories/vms";
import { unsafeListAgreementsForOperators } from "../../../services/agreements";
import { explainArgoSend } from "../../../services/explain";
import { operatorProcedure } from "../../trpc";
import { operatorRoute } from "./openapi";

/**
 * Sharing agreements for operators (issue 15 part 5): every agreement with both parties, its
 * state and channel; and "may VM x send to VM y over Argo?" at the hypervisor, naming the
 * agreement that is the reason an otherwise cross-realm send is allowed, or FLASK's denial.
 */

const end = z.object({ vmId: z.uuid().nullable(), name: z.string(), org: z.string() });
const row = z
  .object({
    id: z.uuid(),
    from: end,
    to: end,
    twoWay: z.boolean(),
    port: z.number().int(),
    state: z.enum(["proposed", "active", "revoked", "expired", "declined"]),
    expiresAt: dateTime,
    createdAt: dateTime,
    channel: z.object({ status: z.enum(["none", "waiting", "open", "closed"]), reason: z.string().nullable(), delivered: z.number().int(), refused: z.number().int() }),
  })
  .meta({ id: "OperatorAgreement" });

export const list = operatorProcedure
  .meta(operatorRoute("GET", "/operator/agreements", "Every sharing agreement", "Newest first, both parties named, with the channel's status and counters. Pages with `cursor` (the previous page's `nextCursor`)."))
  .input(pageInput.default({ limit: 50 }))
  .output(pageOf(row, "OperatorAgreementPage"))
  .query(async ({ ctx, input }) => {
    const page = await unsafeListAgreementsForOperators(ctx.platformDb, input);
    return {
      items: page.items.map((a) => ({ id: a.id, from: a.from, to: a.to, twoWay: a.twoWay, port: a.port, state: a.state, expiresAt: a.expiresAt, createdAt: a.createdAt, channel: { status: a.channel.status, reason: a.channel.reason, delivered: a.channel.delivered, refused: a.channel.refused } })),
      nextCursor: page.nextCursor,
    };
  });

export const explainArgo = operatorProcedure
  .meta(operatorRoute("GET", "/operator/explain/argo", "May VM x send to VM y over Argo, and why?", "The host's FLASK decision: the same realm, an active sharing agreement's bridge (named as the reason), or MCS's denial with the AVC line."))
  .input(z.object({ fromVmId: z.uuid({ error: "fromVmId must be a valid id" }), toVmId: z.uuid({ error: "toVmId must be a valid id" }) }).strict())
  .output(
    z
      .object({
        answer: z.string(),
        allowed: z.boolean(),
        reason: z.string(),
        avc: z.array(z.string()),
        agreement: z.object({ id: z.uuid(), from: z.string(), to: z.string(), twoWay: z.boolean(), port: z.number().int(), expiresAt: dateTime }).nullable(),
      })
      .meta({ id: "ArgoExplanation" }),
  )
  .query(async ({ ctx, input }) => {
    const [x, y] = await Promise.all([unsafeFindVmWithRealm(ctx.platformDb, input.fromVmId), unsafeFindVmWithRealm(ctx.platformDb, input.toVmId)]);
    if (!x || !y) return { answer: "no such VM", allowed: false, reason: !x ? "fromVmId names no VM" : "toVmId names no VM", avc: [], agreement: null };
    const a = x.realmId === y.realmId ? null : await unsafeAgreementBetween(ctx.platformDb, x.id, y.id);
    const agreement = a && { id: a.id, from: `${a.sourceOrg}/${a.fromVmName}`, to: `${a.targetOrg}/${a.targetVmName}`, twoWay: a.twoWay, port: a.port, expiresAt: a.expiresAt };
    const v = explainArgoSend({ kind: x.kind, realm: x.realm }, { kind: y.kind, realm: y.realm }, agreement && a.expiresAt > new Date() ? agreement : null);
    return {
      answer: `${x.name} (${x.realm.org.name}) ${v.allowed ? "may" : "may not"} send to ${y.name} (${y.realm.org.name}) over Argo`,
      allowed: v.allowed,
      reason: v.reason,
      avc: v.avc ?? [],
      agreement: v.agreement,
    };
  });
