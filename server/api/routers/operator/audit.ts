import { z } from "zod";
import type { Db } from "../../../db/client";
import { operatorProcedure } from "../../trpc";

const page = z.object({ limit: z.number().int().min(1).max(200).default(50) }).strict().default({ limit: 50 });

const auditSelect = {
  id: true,
  realmId: true,
  actorId: true,
  action: true,
  targetType: true,
  targetId: true,
  decision: true,
  layer: true,
  reason: true,
  requestId: true,
  details: true,
  createdAt: true,
} as const;

/** Adds the organization and actor names operators read; ids as strings. */
async function withNames<T extends { id: bigint; realmId: string | null; actorId: string | null }>(ctx: { platformDb: Db }, rows: T[]) {
  const realms = await ctx.platformDb.realm.findMany({
    where: { id: { in: rows.map((r) => r.realmId).filter((x): x is string => x !== null) } },
    select: { id: true, org: { select: { name: true } } },
  });
  const users = await ctx.platformDb.user.findMany({
    where: { id: { in: rows.map((r) => r.actorId).filter((x): x is string => x !== null) } },
    select: { id: true, email: true },
  });
  const realmName = new Map(realms.map((r) => [r.id, r.org.name]));
  const email = new Map(users.map((u) => [u.id, u.email]));
  return rows.map((r) => ({
    ...r,
    id: r.id.toString(),
    org: r.realmId ? (realmName.get(r.realmId) ?? null) : null,
    actor: r.actorId ? (email.get(r.actorId) ?? null) : null,
  }));
}

/** Every denial across realms, newest first: which layer, which rule, the AVC line. */
export const denials = operatorProcedure.input(page).query(async ({ ctx, input }) =>
  withNames(ctx, await ctx.platformDb.auditEvent.findMany({ where: { decision: "deny" }, orderBy: { id: "desc" }, take: input.limit, select: auditSelect })),
);

/** Layer disagreements: the hypervisor refused what tRPC and the database let through. */
export const alarms = operatorProcedure.input(page).query(async ({ ctx, input }) =>
  withNames(ctx, await ctx.platformDb.auditEvent.findMany({ where: { action: { startsWith: "alarm." } }, orderBy: { id: "desc" }, take: input.limit, select: auditSelect })),
);
