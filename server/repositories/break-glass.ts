import { DomainError } from "../errors";
import type { Tx } from "../db/client";
import { notifyAccessChanged } from "./access";
import { afterCreated, cursorRow, toPage, type PageRequest } from "./pagination";

/** Break-glass grants. Read on the platform client during identity resolution (before a realm is set). */

export function unsafeFindActiveBreakGlass(platform: Tx, operatorId: string, now = new Date()) {
  return platform.breakGlassGrant.findFirst({
    where: { operatorId, revokedAt: null, expiresAt: { gt: now } },
    orderBy: { createdAt: "desc" },
    select: {
      id: true,
      role: true,
      reason: true,
      expiresAt: true,
      realm: {
        select: {
          id: true,
          categoryLow: true,
          categoryHigh: true,
          createdAt: true,
          org: { select: { id: true, slug: true, name: true } },
        },
      },
    },
  });
}

/**
 * A page of every grant, newest first (by id within an instant), with its operator and realm
 * (operators). The page is chosen first, then its operators and organizations are read by id.
 */
export async function unsafeListBreakGlass(platform: Tx, page: PageRequest) {
  const after = await cursorRow(page.cursor, (id) => platform.breakGlassGrant.findUnique({ where: { id }, select: { id: true, createdAt: true } }));
  const rows = await platform.breakGlassGrant.findMany({
    where: afterCreated(after, "desc"),
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: page.limit + 1,
    select: { id: true, realmId: true, operatorId: true, reason: true, role: true, expiresAt: true, revokedAt: true, createdAt: true },
  });
  const { items, nextCursor } = toPage(rows, page.limit, (g) => g.id);
  const operators = await platform.user.findMany({ where: { id: { in: [...new Set(items.map((g) => g.operatorId))] } }, select: { id: true, name: true, email: true } });
  const realms = await platform.realm.findMany({ where: { id: { in: [...new Set(items.map((g) => g.realmId))] } }, select: { id: true, orgId: true } });
  const orgs = await platform.organization.findMany({ where: { id: { in: realms.map((r) => r.orgId) } }, select: { id: true, name: true, slug: true } });
  const operatorById = new Map(operators.map(({ id, ...user }) => [id, user]));
  const orgById = new Map(orgs.map(({ id, ...org }) => [id, org]));
  const orgOfRealm = new Map(realms.map((r) => [r.id, orgById.get(r.orgId)!]));
  return {
    items: items.map(({ realmId, operatorId, ...g }) => ({ ...g, operator: operatorById.get(operatorId)!, realm: { id: realmId, org: orgOfRealm.get(realmId)! } })),
    nextCursor,
  };
}

/**
 * The database holds an operator to one active grant (an exclusion constraint over the grants'
 * windows), so concurrent requests cannot both succeed: the loser gets a conflict.
 */
export async function unsafeInsertBreakGlass(platform: Tx, grant: { id: string; realmId: string; operatorId: string; reason: string; expiresAt: Date }): Promise<void> {
  try {
    await platform.breakGlassGrant.create({ data: grant });
  } catch (error) {
    if (errorText(error).includes(ONE_ACTIVE_CONSTRAINT)) throw new DomainError("conflict", "you already hold an active break-glass grant; revoke it first");
    throw error;
  }
}

const ONE_ACTIVE_CONSTRAINT = "break_glass_grants_one_active_per_operator";

function errorText(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return `${error.message} ${JSON.stringify((error as { meta?: unknown }).meta ?? null)} ${error.cause ? errorText(error.cause) : ""}`;
}

/** A grant not yet revoked (expired or not). */
export function unsafeFindUnrevokedBreakGlass(platform: Tx, grantId: string) {
  return platform.breakGlassGrant.findFirst({ where: { id: grantId, revokedAt: null }, select: { id: true, realmId: true } });
}

/** Revokes the grant and tells the operator's open live-update streams (same transaction). */
export async function unsafeRevokeBreakGlass(platform: Tx, grant: { id: string; realmId: string }): Promise<void> {
  const revoked = await platform.breakGlassGrant.update({
    where: { realmId_id: { realmId: grant.realmId, id: grant.id } },
    data: { revokedAt: new Date() },
    select: { operatorId: true },
  });
  await notifyAccessChanged(platform, revoked.operatorId);
}
