import { transaction, type Db, type Tx } from "../db/client";
import { DomainError } from "../errors";
import { decideTransition } from "../policy/lifecycle";
import { recordDecision } from "../repositories/audit";
import { unsafeRevokeBreakGlass } from "../repositories/break-glass";
import { unsafeRemoveRealmDriverDomains } from "../repositories/driver-domains";
import { notifyRealm } from "../repositories/events";
import { unsafeDeleteMembership } from "../repositories/memberships";
import {
  unsafeDeleteRealmDevices,
  unsafeListDecommissioningRealms,
  unsafeLockRealmOfOrg,
  unsafeMarkVmGone,
  unsafeRealmTeardownState,
  unsafeSetRealmStatus,
  unsafeTryLockRealm,
} from "../repositories/realms";
import { unsafeRetireCategory } from "../repositories/retired-categories";
import { setVmState } from "../repositories/vms";
import { enqueue, type Actor } from "./lifecycle";

/**
 * Offboarding an organization: a platform operator's decision, then a worker-driven state machine.
 *
 * Threat: a tenant that keeps running (or keeps access) after its contract ended, and a category
 * pair handed to a new tenant while labels of the old one may still exist somewhere (a disk
 * image, an audit export, a host's memory). So the request ends every member's access at once
 * (memberships deleted and break-glass grants revoked in the same transaction, each with the
 * access NOTIFY that closes open live-update streams) and marks the realm `decommissioning`;
 * from then on `advanceDecommissioning` (the worker's loop) destroys each VM through the outbox
 * (guests first, the management domain last), releases disks and networks, and only when nothing
 * remains marks the realm `decommissioned` and records its pair in retired_categories. Every step
 * is idempotent and derived from the database, so a worker or web process killed half-way
 * leaves a realm the next pass resumes. The realm row and its audit trail are kept.
 */

export async function requestDecommission(
  db: Db,
  args: { orgId: string; confirmSlug: string; actor: Actor & { userId: string } },
): Promise<{ realmId: string; membersRemoved: number }> {
  return transaction(db, async (tx: Tx) => {
    const realm = await unsafeLockRealmOfOrg(tx, args.orgId);
    if (!realm) throw new DomainError("not_found", "organization not found");
    if (args.confirmSlug !== realm.slug) {
      throw new DomainError("bad_input", "confirmSlug: type the organization's slug exactly to confirm", {
        field: "confirmSlug",
      });
    }
    if (realm.status === "decommissioning" || realm.status === "decommissioned") {
      throw new DomainError("precondition_failed", `the organization is already ${realm.status}`);
    }
    await unsafeSetRealmStatus(tx, realm.id, {
      from: [realm.status],
      to: "decommissioning",
      reason: "decommissioned by a platform operator",
    });
    const membersRemoved = await endAccess(tx, realm.id);
    await recordDecision(tx, {
      realmId: realm.id,
      actorId: args.actor.userId,
      action: "realm.decommission",
      targetType: "realm",
      targetId: realm.id,
      decision: "allow",
      layer: "trpc",
      reason: `operator decommissioned the organization (${membersRemoved} members' access ended)`,
      requestId: args.actor.requestId,
    });
    return { realmId: realm.id, membersRemoved };
  });
}

/** Deletes every membership and revokes every live break-glass grant on the realm; each notifies. */
async function endAccess(tx: Tx, realmId: string): Promise<number> {
  const state = (await unsafeRealmTeardownState(tx, realmId))!;
  let removed = 0;
  for (const userId of state.memberUserIds) {
    if (await unsafeDeleteMembership(tx, { orgId: state.orgId, userId })) removed++;
  }
  for (const grant of state.breakGlass) await unsafeRevokeBreakGlass(tx, { id: grant.id, realmId });
  return removed;
}

export type DecommissionStep = "waiting" | "destroying" | "released" | "decommissioned" | "gone";

/**
 * One idempotent pass over a decommissioning realm: what it still holds decides the next step.
 * Runs in one transaction with the realm locked, so two workers never both act on it.
 */
export async function advanceDecommissioning(db: Db, realmId: string): Promise<DecommissionStep> {
  return transaction(db, async (tx: Tx) => {
    // Another worker holding the realm is moving it forward already: skip it this pass.
    const status = await unsafeTryLockRealm(tx, realmId);
    if (status !== "decommissioning") return status === null ? "waiting" : "gone";
    const state = (await unsafeRealmTeardownState(tx, realmId))!;
    // Access that reappeared since the request (a grant or membership added in a race) ends too.
    if (state.memberUserIds.length > 0 || state.breakGlass.length > 0) await endAccess(tx, realmId);

    // Guests first; the realm's management domain (its authority on the hosts) goes last.
    const guests = state.vms.filter((v) => v.kind === "guest");
    // Then its driver domains, which the worker destroys as the management domain (so before it).
    if (guests.length === 0 && state._count.driverDomains > 0) {
      await unsafeRemoveRealmDriverDomains(tx, realmId);
      return "destroying";
    }
    const remaining = guests.length > 0 ? guests : state.vms;
    if (remaining.length > 0) {
      for (const vm of remaining) {
        if (vm.operations.length > 0) continue; // in flight: settle first, look again next pass
        if (
          vm.domid === null &&
          (vm.observedState === "failed" || vm.observedState === "creating" || vm.observedState === "stopped")
        ) {
          // Never built on any host (its create failed): nothing to destroy there.
          await unsafeMarkVmGone(tx, realmId, vm.id, "the organization was decommissioned");
          await notifyRealm(tx, { realmId, kind: "vm", vmId: vm.id });
          continue;
        }
        const decision = decideTransition("destroy", vm.observedState);
        if (!decision.allowed) continue; // a transient state with no operation: the reconciler settles it
        await setVmState(tx, realmId, vm.id, {
          observedState: decision.pending,
          desiredState: "destroyed",
          stateReason: "the organization is being decommissioned",
        });
        await enqueue(tx, {
          realmId,
          subjectRealmId: realmId,
          vmId: vm.id,
          action: "destroy",
          fromState: vm.observedState,
          actor: { userId: null, requestId: `decommission-${realmId}` },
          reason: "the organization is being decommissioned: the domain is torn down (hard stop) and destroyed",
          layer: "worker",
        });
      }
      return "destroying";
    }

    if (state._count.disks > 0 || state._count.networks > 0) await unsafeDeleteRealmDevices(tx, realmId);
    await unsafeRetireCategory(tx, { categoryLow: state.categoryLow, categoryHigh: state.categoryHigh, realmId });
    await unsafeSetRealmStatus(tx, realmId, {
      from: ["decommissioning"],
      to: "decommissioned",
      reason: "every VM destroyed; disks and networks released; category pair retired",
    });
    await recordDecision(tx, {
      realmId,
      actorId: null,
      action: "realm.decommissioned",
      targetType: "realm",
      targetId: realmId,
      decision: "allow",
      layer: "worker",
      reason: `every VM destroyed, disks and networks released; s0:c${state.categoryLow},c${state.categoryHigh} retired forever`,
      requestId: `decommission-${realmId}`,
    });
    return "decommissioned";
  });
}

/** The worker's periodic pass: every realm still decommissioning moves forward. */
export async function advanceAllDecommissioning(db: Db, log?: (line: string) => void): Promise<number> {
  const realmIds = await unsafeListDecommissioningRealms(db);
  for (const realmId of realmIds) {
    try {
      const step = await advanceDecommissioning(db, realmId);
      if (step === "decommissioned") log?.(`realm ${realmId} decommissioned`);
    } catch (error) {
      log?.(`decommissioning ${realmId}: ${(error as Error).message}`);
    }
  }
  return realmIds.length;
}
