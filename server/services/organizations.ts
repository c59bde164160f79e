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
 */

const MAX_DRAWS = 64;

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
    const category = drawPair(args.range);
    try {
      await db.$transaction(async (tx) => {
        const taken = await tx.realm.count();
        if (taken >= pairCount(args.range)) {
          throw new DomainError("precondition_failed", `the category range is exhausted (${taken} realms)`);
        }
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
      });
      await requestVmCreate(db, {
        realmId,
        name: "realm-mgmt",
        templateId: args.managementTemplateId,
        kind: "management",
        actor: args.actor,
        rule: "realm bootstrap",
        requireOnlineHost: args.requireOnlineHost ?? false,
      });
      return { orgId, realmId, category };
    } catch (error) {
      const target = error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002" ? error.meta : null;
      if (target && JSON.stringify(target).includes("category")) continue; // collision: redraw
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
        throw new DomainError("bad_input", "slug: an organization with this slug already exists", { field: "slug" });
      }
      throw error;
    }
  }
  throw new DomainError("unavailable", `could not allocate a free category pair after ${MAX_DRAWS} draws`);
}
