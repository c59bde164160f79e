import { randomUUID } from "node:crypto";
import { transaction, type Db, type Tx } from "../db/client";
import { DomainError } from "../errors";
import { recordDecision } from "../repositories/audit";
import { unsafeConflictingRealms } from "../repositories/conflicts";
import { notifyRealm } from "../repositories/events";
import { isHostTakenAtCommit, lockPlacement, placeAtCommitCall, unsafeListHostCapacity } from "../repositories/hosts";
import { findOpenOperationForVm } from "../repositories/operations";
import {
  CategoryCollision,
  unsafeCountRealms,
  unsafeFreeCategoryPair,
  unsafeInsertOrganization,
  unsafeLockRealmOfOrg,
  unsafeSetRealmStatus,
} from "../repositories/realms";
import { findManagementVm, findVmPlacement, setVmState } from "../repositories/vms";
import { findTemplate, MANAGEMENT_TEMPLATE_NAME, unsafeFindTemplateByName } from "../repositories/templates";
import { drawPair, parseRange, type CategoryRange } from "./categories";
import { enqueue, placementRefused, type Actor } from "./lifecycle";
import { choosePlacement } from "./placement";

/**
 * Creating an organization creates its realm: a unique category pair (the database's unique
 * index decides collisions, so concurrent creations are safe; a retired pair counts as taken)
 * and the realm's management VM, in one transaction: never a realm without a category or a
 * category without a realm. The realm is `provisioning` until its management domain runs; the
 * worker settles it (onManagementVmSettled). A platform action: `db` is the platform client.
 */

/** Lower-case letters, digits and hyphens; starts with a letter, ends with a letter or digit; 3-40 characters. */
export const SLUG_PATTERN = /^[a-z][a-z0-9-]{1,38}[a-z0-9]$/;

/** Field errors for an operator's input, named for the field (checked before any transaction). */
export function validateOrganizationInput(input: { name: string; slug: string }): void {
  const name = input.name.trim();
  if (name.length === 0 || name.length > 80) throw new DomainError("bad_input", "name: give a display name of 1 to 80 characters", { field: "name" });
  if (!SLUG_PATTERN.test(input.slug)) {
    throw new DomainError(
      "bad_input",
      "slug: use 3 to 40 lower-case letters, digits and hyphens, starting with a letter and not ending with a hyphen",
      { field: "slug" },
    );
  }
}

const MAX_DRAWS = 64;
/** Random draws before asking the database for a free pair (a nearly full range). */
const RANDOM_DRAWS = 8;
/** A new realm is in no conflict set yet (a wall names two existing realms): no wall to keep. */
const NO_WALLS: ReadonlySet<string> = new Set();

/** Attempts when a concurrent placement fills the chosen host first (each reads the fleet again). */
const MAX_PLACEMENTS = 8;

/**
 * Placement reads the fleet as committed (outside the transaction), then one transaction per
 * attempt of two statements (issue 12: organizations accepted per second): the organization,
 * realm, allocation record and management VM, without a host but with the chosen host named
 * for the COMMIT (placeAtCommitCall), in one; the VM's create operation with the outbox row,
 * audit record and notification in the other. As the transaction commits, the database takes
 * the host's lock, judges the host again with what every placement before committed, and places
 * the VM or refuses the COMMIT (this creation then reads the fleet again). Only creations placed
 * on the same host take turns, each for its COMMIT alone, where every creation used to wait for
 * every other one from its capacity read to its COMMIT. Exhaustion is found by the free-pair
 * search coming back empty, not by counting realms on every creation.
 */
export async function createOrganization(
  db: Db,
  args: {
    name: string;
    slug: string;
    /** The first owner's membership; operators onboard without one and invite the owner later. */
    ownerUserId?: string | null;
    range: CategoryRange;
    managementTemplateId: string;
    /** The management template's size, when the caller read it already (else it is read here). */
    managementSize?: { vcpus: number; memoryMb: number };
    actor: Actor;
    requireOnlineHost?: boolean;
  },
): Promise<{ orgId: string; realmId: string; category: { categoryLow: number; categoryHigh: number } }> {
  const template = args.managementSize ?? (await findTemplate(db, args.managementTemplateId));
  if (!template) throw new DomainError("bad_input", "templateId: no such template", { field: "templateId" });
  const need = { vcpus: template.vcpus, memoryMb: template.memoryMb, conflictsWith: NO_WALLS };
  const requireOnline = args.requireOnlineHost ?? false;
  const orgId = randomUUID();
  const realmId = randomUUID();
  const vmId = randomUUID();
  let placements = 0;
  for (let draw = 0; draw < MAX_DRAWS; ) {
    const category = draw < RANDOM_DRAWS ? drawPair(args.range) : await unsafeFreeCategoryPair(db, args.range);
    if (!category) throw exhausted(await unsafeCountRealms(db));
    // Decided on the fleet as committed now; judged again, under the host's lock, at COMMIT.
    const placement = choosePlacement(await unsafeListHostCapacity(db), need, { requireOnline });
    if (!placement.ok) throw placementRefused("cannot place the VM", placement);
    try {
      await transaction(
        db,
        async (tx: Tx) => {
          // The realm and its management VM exist together or not at all.
          await unsafeInsertOrganization(tx, {
            orgId,
            realmId,
            name: args.name,
            slug: args.slug,
            ownerUserId: args.ownerUserId,
            category,
            audit: {
              realmId,
              actorId: args.actor.userId,
              action: "realm.create",
              targetType: "realm",
              targetId: realmId,
              decision: "allow",
              layer: "trpc",
              reason: `allocated s0:c${category.categoryLow},c${category.categoryHigh}`,
              requestId: args.actor.requestId,
            },
            managementVm: { id: vmId, name: "realm-mgmt", templateId: args.managementTemplateId, vcpus: need.vcpus, memoryMb: need.memoryMb },
            placement: placeAtCommitCall({ vmId, hostId: placement.hostId, requireOnline }),
          });
          await enqueue(tx, {
            realmId,
            subjectRealmId: realmId,
            vmId,
            action: "create",
            actor: args.actor,
            reason: `realm bootstrap; placed on ${placement.hostName}`,
          });
        },
        { timeout: 30_000 },
      );
      return { orgId, realmId, category };
    } catch (error) {
      if (error instanceof CategoryCollision) {
        draw++;
        continue;
      }
      // The chosen host was filled by concurrent placements before this one committed.
      if (isHostTakenAtCommit(error) && ++placements < MAX_PLACEMENTS) continue; // the fleet is read again
      if (isHostTakenAtCommit(error)) throw new DomainError("unavailable", "cannot place the VM: every host chosen was filled by concurrent placements; try again");
      throw error;
    }
  }
  throw new DomainError("unavailable", `could not allocate a free category pair after ${MAX_DRAWS} draws`);
}

function exhausted(taken: number): DomainError {
  return new DomainError("precondition_failed", `the category range is exhausted (${taken} realms)`);
}

/**
 * The worker's hook when an operation on a realm's management VM settles (same transaction as
 * the settlement): its start succeeding makes the realm `ready`; its create or start failing
 * makes a provisioning realm `failed` with the reason, for an operator to retry. Compare-and-set
 * on the status, so a late settlement never undoes a decommissioning.
 */
export async function onManagementVmSettled(
  tx: Tx,
  args: { realmId: string; action: string; succeeded: boolean; reason: string; operationId: string },
): Promise<void> {
  let moved = false;
  if (args.action === "start" && args.succeeded) {
    moved = await unsafeSetRealmStatus(tx, args.realmId, { from: ["provisioning", "failed"], to: "ready" });
  } else if ((args.action === "create" || args.action === "start") && !args.succeeded) {
    moved = await unsafeSetRealmStatus(tx, args.realmId, {
      from: ["provisioning"],
      to: "failed",
      reason: `management VM ${args.action} failed: ${args.reason}`,
    });
  }
  if (!moved) return;
  await recordDecision(tx, {
    realmId: args.realmId,
    actorId: null,
    action: args.succeeded ? "realm.ready" : "realm.failed",
    targetType: "realm",
    targetId: args.realmId,
    decision: "allow",
    layer: "worker",
    reason: args.succeeded ? "the management domain runs" : `management VM ${args.action} failed: ${args.reason}`,
    requestId: args.operationId,
  });
}

/**
 * An operator retries a failed onboarding: the management VM is placed again and created (its
 * create failed: no domain exists) or started again (its start failed), through the outbox like
 * any operation. The realm is `provisioning` again until the worker settles it.
 */
export async function retryProvisioning(db: Db, args: { orgId: string; actor: Actor }): Promise<{ operationId: string }> {
  return transaction(db, async (tx: Tx) => {
    const realm = await unsafeLockRealmOfOrg(tx, args.orgId);
    if (!realm) throw new DomainError("not_found", "organization not found");
    if (realm.status !== "failed") throw new DomainError("precondition_failed", `only a failed onboarding can be retried (this one is ${realm.status})`);
    const vm = await findManagementVm(tx, realm.id);
    if (!vm) throw new DomainError("precondition_failed", "the realm has no management VM");
    const open = await findOpenOperationForVm(tx, realm.id, vm.id);
    if (open) throw new DomainError("conflict", `another operation is in flight on the management VM: ${open.action} (${open.id})`);
    let operationId: string;
    if (vm.observedState === "stopped") {
      await setVmState(tx, realm.id, vm.id, { observedState: "starting", desiredState: "running", stateReason: null });
      operationId = await enqueue(tx, {
        realmId: realm.id,
        subjectRealmId: realm.id,
        vmId: vm.id,
        action: "start",
        fromState: "stopped",
        actor: args.actor,
        reason: "operator retried the realm's onboarding; its management domain runs once built",
      });
    } else if (vm.observedState === "failed" || vm.observedState === "creating") {
      // Its create failed and had no effect on any host: place it again (the host may be the
      // reason it failed) and build it anew.
      const need = (await findVmPlacement(tx, realm.id, vm.id))!;
      await lockPlacement(tx);
      const conflictsWith = await unsafeConflictingRealms(tx, realm.id);
      const placement = choosePlacement(await unsafeListHostCapacity(tx, conflictsWith), { vcpus: need.vcpus, memoryMb: need.memoryMb, conflictsWith });
      if (!placement.ok) throw new DomainError("precondition_failed", `cannot place the management VM: ${placement.reason}`);
      await setVmState(tx, realm.id, vm.id, { observedState: "creating", desiredState: "stopped", hostId: placement.hostId, domid: null, stateReason: null });
      operationId = await enqueue(tx, {
        realmId: realm.id,
        subjectRealmId: realm.id,
        vmId: vm.id,
        action: "create",
        actor: args.actor,
        reason: `operator retried the realm's onboarding; placed on ${placement.hostName}`,
      });
    } else {
      throw new DomainError("precondition_failed", `the management VM is ${vm.observedState}: nothing to retry`);
    }
    await unsafeSetRealmStatus(tx, realm.id, { from: ["failed"], to: "provisioning" });
    await recordDecision(tx, {
      realmId: realm.id,
      actorId: args.actor.userId,
      action: "realm.retry",
      targetType: "realm",
      targetId: realm.id,
      decision: "allow",
      layer: "trpc",
      reason: "operator retried the onboarding",
      requestId: args.actor.requestId,
      details: { operationId },
    });
    await notifyRealm(tx, { realmId: realm.id, kind: "vm", vmId: vm.id, operationId });
    return { operationId };
  });
}

/** The template every realm's management VM is built from (the seed installs it). */
export { MANAGEMENT_TEMPLATE_NAME };

/**
 * An operator onboards an organization: no owner yet (the operator invites one once it is
 * ready). Field errors come before any write; the category range is the platform's
 * (REALMGATE_CATEGORY_RANGE, as the launcher reads it).
 */
export async function onboardOrganization(
  db: Db,
  args: { name: string; slug: string; actor: Actor & { userId: string }; range?: CategoryRange },
): Promise<{ orgId: string; realmId: string; category: { categoryLow: number; categoryHigh: number } }> {
  validateOrganizationInput(args);
  const template = await unsafeFindTemplateByName(db, MANAGEMENT_TEMPLATE_NAME);
  if (!template) throw new DomainError("precondition_failed", `the management VM template '${MANAGEMENT_TEMPLATE_NAME}' is not installed`);
  return createOrganization(db, {
    name: args.name.trim(),
    slug: args.slug,
    range: args.range ?? parseRange(process.env.REALMGATE_CATEGORY_RANGE),
    managementTemplateId: template.id,
    managementSize: template,
    actor: args.actor,
    // Placed on an online host only: an operator watches it boot now.
    requireOnlineHost: true,
  });
}
