import { randomUUID } from "node:crypto";
import type { Db } from "../db/client";
import { Prisma } from "../generated/prisma/client";
import { DomainError } from "../api/errors";
import { recordDecision } from "../repositories/audit";
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

type Pair = { categoryLow: number; categoryHigh: number };

/** A random pair nobody holds, chosen by the database; null when the range is exhausted. */
async function freePair(db: Db, range: CategoryRange): Promise<Pair | null> {
  const rows = await db.$queryRaw<{ low: number; high: number }[]>`
    SELECT a AS low, b AS high
    FROM generate_series(${range.min}::int, ${range.max}::int) a, generate_series(${range.min}::int, ${range.max}::int) b
    WHERE a < b AND NOT EXISTS (SELECT 1 FROM realms r WHERE r.category_low = a AND r.category_high = b)
    ORDER BY random() LIMIT 1`;
  return rows[0] ? { categoryLow: rows[0].low, categoryHigh: rows[0].high } : null;
}

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
    const category = draw < RANDOM_DRAWS ? drawPair(args.range) : await freePair(db, args.range);
    if (!category) throw exhausted(await db.realm.count());
    try {
      await db.$transaction(
        async (tx) => {
          const taken = await tx.realm.count();
          if (taken >= pairCount(args.range)) throw exhausted(taken);
          await tx.organization.create({ data: { id: orgId, name: args.name, slug: args.slug } });
          await tx.membership.create({ data: { orgId, userId: args.ownerUserId, role: "owner" } });
          await tx.realm.create({ data: { id: realmId, orgId, ...category } });
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
      const target =
        error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002" ? error.meta : null;
      if (target && JSON.stringify(target).includes("category")) continue; // collision: redraw
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
        throw new DomainError("bad_input", "slug: an organization with this slug already exists", { field: "slug" });
      }
      throw error;
    }
  }
  throw new DomainError("unavailable", `could not allocate a free category pair after ${MAX_DRAWS} draws`);
}

function exhausted(taken: number): DomainError {
  return new DomainError("precondition_failed", `the category range is exhausted (${taken} realms)`);
}
