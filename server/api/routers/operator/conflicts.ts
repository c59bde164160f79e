import { z } from "zod";
import { dateTime, pageInput, pageOf } from "../../../contracts/api";
import { transaction } from "../../../db/client";
import { notFound } from "../../../errors";
import { recordDecision } from "../../../repositories/audit";
import { unsafeDeleteConflict, unsafeInsertConflict, unsafeListConflicts } from "../../../repositories/conflicts";
import { unsafeCountRealms } from "../../../repositories/realms";
import { realmLevel } from "../../../xsm";
import { operatorProcedure } from "../../trpc";
import { operatorRoute } from "./openapi";

/**
 * ACM Chinese Wall between realms, declared by operators: the two realms never share a physical
 * host. Placement and migration honour it at once; the worker pushes it to every host's ACM
 * module, which refuses a conflicting domain on its own.
 */

const ordered = (a: string, b: string) => (a < b ? { realmLow: a, realmHigh: b } : { realmLow: b, realmHigh: a });

const realmIds = {
  realmA: z.uuid({ error: "realmA must be a valid id" }),
  realmB: z.uuid({ error: "realmB must be a valid id" }),
};
const differs = (p: { realmA: string; realmB: string }) => p.realmA !== p.realmB;
const differsMessage = { message: "realmB must differ from realmA", path: ["realmB"] };

export const add = operatorProcedure
  .meta(operatorRoute("POST", "/operator/conflicts", "Declare two realms in conflict", "They never share a physical host again (ACM Chinese Wall)."))
  .input(
    z
      .object({ ...realmIds, reason: z.string().trim().min(5, "reason must say why, in at least 5 characters").max(500) })
      .strict()
      .refine(differs, differsMessage),
  )
  .output(z.object({ added: z.literal(true) }))
  .mutation(({ ctx, input }) =>
    transaction(ctx.platformDb, async (tx) => {
      if ((await unsafeCountRealms(tx, [input.realmA, input.realmB])) !== 2) throw notFound("realm");
      await unsafeInsertConflict(tx, ordered(input.realmA, input.realmB), input.reason, ctx.user.id);
      await recordDecision(tx, {
        realmId: null,
        actorId: ctx.user.id,
        action: "acm.conflict.add",
        targetType: "realm-pair",
        targetId: `${input.realmA}/${input.realmB}`,
        decision: "allow",
        layer: "trpc",
        reason: input.reason,
        requestId: ctx.requestId,
      });
      return { added: true as const };
    }),
  );

export const remove = operatorProcedure
  .meta(operatorRoute("DELETE", "/operator/conflicts/{realmA}/{realmB}", "Remove a conflict set"))
  .input(z.object(realmIds).strict().refine(differs, differsMessage))
  .output(z.object({ removed: z.literal(true) }))
  .mutation(({ ctx, input }) =>
    transaction(ctx.platformDb, async (tx) => {
      if (!(await unsafeDeleteConflict(tx, ordered(input.realmA, input.realmB)))) throw notFound("conflict set");
      await recordDecision(tx, {
        realmId: null,
        actorId: ctx.user.id,
        action: "acm.conflict.remove",
        targetType: "realm-pair",
        targetId: `${input.realmA}/${input.realmB}`,
        decision: "allow",
        layer: "trpc",
        reason: "conflict set removed",
        requestId: ctx.requestId,
      });
      return { removed: true as const };
    }),
  );

const side = z.object({ org: z.string(), category: z.string() });

export const list = operatorProcedure
  .meta(
    operatorRoute(
      "GET",
      "/operator/conflicts",
      "Conflict sets (realms that never share a host)",
      "Newest first. Pages with `cursor` (the previous page's `nextCursor`: `realmA/realmB` of the last set).",
    ),
  )
  .input(pageInput.default({ limit: 50 }))
  .output(pageOf(z.object({ realmA: z.uuid(), realmB: z.uuid(), reason: z.string(), createdAt: dateTime, a: side, b: side }).meta({ id: "ConflictSet" }), "ConflictSetPage"))
  .query(async ({ ctx, input }) => {
    const page = await unsafeListConflicts(ctx.platformDb, input);
    return {
      items: page.items.map((c) => ({
        realmA: c.realmLow,
        realmB: c.realmHigh,
        reason: c.reason,
        createdAt: c.createdAt,
        a: { org: c.low.org.name, category: realmLevel(c.low) },
        b: { org: c.high.org.name, category: realmLevel(c.high) },
      })),
      nextCursor: page.nextCursor,
    };
  });
