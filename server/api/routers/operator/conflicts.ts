import { z } from "zod";
import { dateTime, pageInput, pageOf } from "../../../contracts/api";
import { transaction } from "../../../db/client";
import { unsafeListConflicts } from "../../../repositories/conflicts";
import { unsafeCoLocatedVms, unsafeListViolatedWalls, type CoLocatedVm } from "../../../repositories/wall-violations";
import { addWall, previewWall, removeWall } from "../../../services/chinese-wall";
import type { WallMove } from "../../../services/wall-plan";
import { realmLevel } from "../../../xsm";
import { operatorProcedure } from "../../trpc";
import { operatorRoute } from "./openapi";

/**
 * ACM Chinese Wall between realms, declared by operators: the two realms never share a physical
 * host. Placement and migration honour it at once; the worker pushes it to every host's ACM
 * module, which refuses a conflicting domain on its own. A wall the fleet violates now is
 * refused with the co-located VMs and a plan, unless the operator carries out the plan or adds
 * it as pending (services/chinese-wall.ts).
 */

const realmIds = {
  realmA: z.uuid({ error: "realmA must be a valid id" }),
  realmB: z.uuid({ error: "realmB must be a valid id" }),
};
const differs = (p: { realmA: string; realmB: string }) => p.realmA !== p.realmB;
const differsMessage = { message: "realmB must differ from realmA", path: ["realmB"] };

const coLocatedVm = z
  .object({ realmId: z.uuid(), org: z.string(), vmId: z.uuid(), name: z.string(), kind: z.enum(["guest", "management"]), host: z.string(), observedState: z.string() })
  .meta({ id: "CoLocatedVm" });
const move = z
  .object({ vmId: z.uuid(), vm: z.string(), realmId: z.uuid(), org: z.string(), kind: z.enum(["guest", "management"]), fromHost: z.string(), toHost: z.string() })
  .meta({ id: "WallMove" });
const presentVm = (v: CoLocatedVm) => ({ realmId: v.realmId, org: v.org, vmId: v.vmId, name: v.name, kind: v.kind, host: v.host, observedState: v.observedState });
const presentMove = (m: WallMove) => ({ vmId: m.vmId, vm: m.vm, realmId: m.realmId, org: m.org, kind: m.kind, fromHost: m.fromHost, toHost: m.toHost });

export const add = operatorProcedure
  .meta(
    operatorRoute(
      "POST",
      "/operator/conflicts",
      "Declare two realms in conflict",
      "They never share a physical host again (ACM Chinese Wall). If they share one now the wall is refused (412, naming the co-located VMs and the plan) unless `onViolation` is `migrate` (queue the plan's migrations) or `pending` (store it; the violation is an alarm until it is gone).",
    ),
  )
  .input(
    z
      .object({
        ...realmIds,
        reason: z.string().trim().min(5, "reason must say why, in at least 5 characters").max(500),
        onViolation: z.enum(["refuse", "pending", "migrate"], { error: "onViolation must be refuse, pending or migrate" }).default("refuse"),
      })
      .strict()
      .refine(differs, differsMessage),
  )
  .output(
    z.object({
      added: z.literal(true),
      pending: z.boolean().meta({ description: "Stored although the realms share a host now" }),
      coLocated: z.array(coLocatedVm),
      migrations: z.array(move.extend({ operationId: z.uuid() })),
    }),
  )
  .mutation(async ({ ctx, input }) => {
    const added = await transaction(ctx.platformDb, (tx) => addWall(tx, input, { userId: ctx.user.id, requestId: ctx.requestId }));
    return {
      added: added.added,
      pending: added.pending,
      coLocated: added.coLocated.map(presentVm),
      migrations: added.migrations.map((m) => ({ ...presentMove(m), operationId: m.operationId })),
    };
  });

export const plan = operatorProcedure
  .meta(
    operatorRoute(
      "GET",
      "/operator/conflicts/plan",
      "What a wall between two realms would meet now",
      "The VMs of the two realms that share a host now, and the migrations that would satisfy the wall (capacity and every other wall respected), or why none exists.",
    ),
  )
  .input(z.object(realmIds).strict().refine(differs, differsMessage))
  .output(
    z
      .object({
        coLocated: z.array(coLocatedVm),
        plan: z.object({ possible: z.boolean(), reason: z.string().nullable(), moves: z.array(move) }),
      })
      .meta({ id: "WallPlan" }),
  )
  .query(async ({ ctx, input }) => {
    const preview = await previewWall(ctx.platformDb, input.realmA, input.realmB);
    return {
      coLocated: preview.coLocated.map(presentVm),
      plan: preview.plan.ok ? { possible: true, reason: null, moves: preview.plan.moves.map(presentMove) } : { possible: false, reason: preview.plan.reason, moves: [] },
    };
  });

export const violations = operatorProcedure
  .meta(
    operatorRoute(
      "GET",
      "/operator/conflicts/violations",
      "Walls violated now (alarms)",
      "Each wall whose two realms share a host now, with the co-located VMs. By realm pair; pages with `cursor` (the previous page's `nextCursor`).",
    ),
  )
  .input(pageInput.default({ limit: 50 }))
  .output(
    pageOf(
      z.object({ realmA: z.uuid(), realmB: z.uuid(), a: z.string(), b: z.string(), reason: z.string(), createdAt: dateTime, coLocated: z.array(coLocatedVm) }).meta({ id: "WallViolation" }),
      "WallViolationPage",
    ),
  )
  .query(async ({ ctx, input }) => {
    const page = await unsafeListViolatedWalls(ctx.platformDb, input);
    const items = [];
    for (const w of page.items) {
      const coLocated = await unsafeCoLocatedVms(ctx.platformDb, w.realmLow, w.realmHigh);
      items.push({ realmA: w.realmLow, realmB: w.realmHigh, a: w.low, b: w.high, reason: w.reason, createdAt: w.createdAt, coLocated: coLocated.map(presentVm) });
    }
    return { items, nextCursor: page.nextCursor };
  });

export const remove = operatorProcedure
  .meta(operatorRoute("DELETE", "/operator/conflicts/{realmA}/{realmB}", "Remove a conflict set", "Needs a `reason` (at least 10 characters), recorded in the platform's trail."))
  .input(
    z
      .object({ ...realmIds, reason: z.string().trim().min(10, "reason must say why, in at least 10 characters").max(500, "reason must be at most 500 characters") })
      .strict()
      .refine(differs, differsMessage),
  )
  .output(z.object({ removed: z.literal(true) }))
  .mutation(async ({ ctx, input }) => {
    await transaction(ctx.platformDb, (tx) => removeWall(tx, input, { userId: ctx.user.id, requestId: ctx.requestId }));
    return { removed: true as const };
  });

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
