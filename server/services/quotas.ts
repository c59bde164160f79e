import { transaction, type Db, type Tx } from "../db/client";
import { DomainError, notFound } from "../errors";
import { decideQuota, isOverride, QUOTA_RESOURCES, type QuotaAmounts, type QuotaSubject } from "../policy/quotas";
import { recordDecision } from "../repositories/audit";
import {
  findQuota,
  reserveQuota,
  toSnapshot,
  unsafeFindQuotaDefaults,
  unsafeListQuotas,
  unsafeLockQuota,
  unsafeSetQuotaDefaults,
  unsafeSetQuotaLimits,
} from "../repositories/quotas";
import type { PageRequest } from "../repositories/pagination";

export { parseQuotaSpec, DEFAULT_QUOTA, type QuotaAmounts } from "../policy/quotas";

/**
 * Realm quotas: reserving capacity for a create, operators' limits (every change audited in the
 * realm's trail with its reason) and the defaults for new realms. A reservation runs in the
 * create's own transaction: it commits with the new row or rolls back with it. Releases are
 * the database's (migration quotas): when a VM row reaches `destroyed` or a disk or network row
 * is deleted, whichever code path does it.
 */

/**
 * Reserves `need` for a new VM, disk or network, or refuses in words with the quota, the usage
 * and the limit ("Acme Corp uses 30 of 32 vCPUs; this VM needs 4"), on the form field it is about.
 */
export async function reserve(tx: Tx, realmId: string, subject: QuotaSubject, need: QuotaAmounts): Promise<void> {
  if (await reserveQuota(tx, realmId, need)) return;
  const row = await findQuota(tx, realmId);
  const decision = decideQuota(row?.realm.org.name ?? "This organization", row ? toSnapshot(row) : null, subject, need);
  // The UPDATE saw the committed usage under the row lock; this read sees the same row (still
  // locked by us or by nobody), so the decision names what refused it.
  if (decision.allowed) throw new DomainError("conflict", "the realm's quota changed while this request ran; try again");
  throw new DomainError("precondition_failed", decision.message, {
    ...(decision.field ? { field: decision.field } : {}),
    quota: decision.resource,
    used: decision.used,
    limit: decision.limit,
    need: decision.need,
  });
}

/** The caller's realm: its limits and usage. */
export async function realmQuotaUsage(tx: Tx, realmId: string) {
  const row = await findQuota(tx, realmId);
  if (!row) throw notFound("quota");
  return { ...toSnapshot(row), updatedAt: row.updatedAt };
}

/** A page of realms' limits and usage, and the defaults new realms get. */
export async function unsafeListQuotaUsage(platform: Db, page: PageRequest) {
  const [realms, defaults] = await Promise.all([unsafeListQuotas(platform, page), unsafeFindQuotaDefaults(platform)]);
  return {
    defaults,
    items: realms.items.map((r) => ({
      realmId: r.id,
      org: r.org,
      ...(r.quota ? { ...toSnapshot(r.quota), updatedAt: r.quota.updatedAt } : { limits: null, used: null, updatedAt: null }),
    })),
    nextCursor: realms.nextCursor,
  };
}

/**
 * An operator sets a realm's limits (the ones given; the rest stay). A limit below current usage
 * is allowed: nothing is taken away, the realm just cannot create more until it is under again.
 * A limit above the configured defaults is an override: audited as such. Either way the realm's
 * trail records the operator, the reason and the limits before and after.
 */
export async function setRealmQuota(
  platformDb: Db,
  args: { realmId: string; limits: Partial<QuotaAmounts>; reason: string; actor: { userId: string; requestId: string } },
) {
  return transaction(platformDb, async (tx) => {
    const current = await unsafeLockQuota(tx, args.realmId);
    if (!current) throw notFound("realm");
    const before = toSnapshot(current).limits;
    const after = { ...before, ...args.limits };
    const defaults = (await unsafeFindQuotaDefaults(tx)) ?? before;
    const override = isOverride(after, defaults);
    await unsafeSetQuotaLimits(tx, args.realmId, after);
    const changed = QUOTA_RESOURCES.filter((r) => before[r] !== after[r]);
    await recordDecision(tx, {
      realmId: args.realmId,
      actorId: args.actor.userId,
      action: override ? "quota.override" : "quota.set",
      targetType: "quota",
      targetId: args.realmId,
      decision: "allow",
      layer: "trpc",
      reason: args.reason,
      requestId: args.actor.requestId,
      details: { organization: current.orgName, before, after, changed, defaults, override },
    });
    return { realmId: args.realmId, limits: after, used: toSnapshot(current).used, override };
  });
}

/** Writes the configured defaults for new realms (the launcher, at every start). */
export async function applyQuotaDefaults(platformDb: Db, defaults: QuotaAmounts): Promise<void> {
  await unsafeSetQuotaDefaults(platformDb, defaults);
}
