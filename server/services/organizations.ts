import { randomUUID } from "node:crypto";
import { transaction, type Db, type Tx } from "../db/client";
import { DomainError } from "../errors";
import { recordDecision } from "../repositories/audit";
import { CategoryCollision, unsafeCountRealms, unsafeFreeCategoryPair, unsafeInsertOrganization } from "../repositories/realms";
import { drawPair, pairCount, type CategoryRange } from "./categories";
import { requestVmCreate, type Actor } from "./lifecycle";

/**
 * Creating an organization creates its realm: a unique category pair (the database's unique
 * index decides collisions, so concurrent creations are safe) and the realm's management VM.
 * A platform action: `db` is the platform client.
 */

const MAX_DRAWS = 64;
/** Random draws before asking the database for a free pair (a nearly full range). */
const RANDOM_DRAWS = 8;

export async function createOrganization(
  db: Db,
  args: {
    name: string;
    slug: string;
    ownerUserId: string;
    range: CategoryRange;
    managementTemplateId: string;
    actor: Actor;
    requireOnlineHost?: boolean;
  },
): Promise<{ orgId: string; realmId: string; category: { categoryLow: number; categoryHigh: number } }> {
  const orgId = randomUUID();
  const realmId = randomUUID();
  for (let draw = 0; draw < MAX_DRAWS; draw++) {
    const category = draw < RANDOM_DRAWS ? drawPair(args.range) : await unsafeFreeCategoryPair(db, args.range);
    if (!category) throw exhausted(await unsafeCountRealms(db));
    try {
      await transaction(
        db,
        async (tx: Tx) => {
          const taken = await unsafeCountRealms(tx);
          if (taken >= pairCount(args.range)) throw exhausted(taken);
          await unsafeInsertOrganization(tx, { orgId, realmId, name: args.name, slug: args.slug, ownerUserId: args.ownerUserId, category });
          await recordDecision(tx, {
            realmId,
            actorId: args.actor.userId,
            action: "realm.create",
            targetType: "realm",
            targetId: realmId,
            decision: "allow",
            layer: "trpc",
            reason: `allocated s0:c${category.categoryLow},c${category.categoryHigh}`,
            requestId: args.actor.requestId,
          });
          // The realm and its management VM exist together or not at all.
          await requestVmCreate(tx, tx, {
            realmId,
            name: "realm-mgmt",
            templateId: args.managementTemplateId,
            kind: "management",
            actor: args.actor,
            rule: "realm bootstrap",
            requireOnlineHost: args.requireOnlineHost ?? false,
          });
        },
        // Creations queue on the placement lock; give them room under load.
        { maxWait: 15_000, timeout: 30_000 },
      );
      return { orgId, realmId, category };
    } catch (error) {
      if (error instanceof CategoryCollision) continue; // redraw
      throw error;
    }
  }
  throw new DomainError("unavailable", `could not allocate a free category pair after ${MAX_DRAWS} draws`);
}

function exhausted(taken: number): DomainError {
  return new DomainError("precondition_failed", `the category range is exhausted (${taken} realms)`);
}
