import type { Tx } from "../db/client";
import { DomainError, notFound } from "../errors";
import { decideTransition } from "../policy/lifecycle";
import { recordDecision } from "../repositories/audit";
import { unsafeConflictingRealms, unsafeDeleteConflict, unsafeInsertConflict } from "../repositories/conflicts";
import { lockPlacement, unsafeListHostCapacity } from "../repositories/hosts";
import { unsafeCountRealms } from "../repositories/realms";
import { lockVm } from "../repositories/vms";
import { unsafeCoLocatedVms, type CoLocatedVm } from "../repositories/wall-violations";
import { enqueue } from "./lifecycle";
import { describePlan, planWall, type WallMove, type WallPlan } from "./wall-plan";

/**
 * ACM Chinese Wall between realms, declared by operators (threat: two rival tenants sharing a
 * physical host, its caches and side channels, while the console says they never do). A wall
 * whose realms share a host now is refused with the co-located VMs and the plan that would
 * satisfy it, unless the operator asks for one of two explicit outcomes, each audited:
 * - "migrate": the wall is stored and the plan's migrations are queued as ordinary operations
 *   (the lifecycle pipeline: outbox, worker, hypervisor checks), in the same transaction;
 * - "pending": the wall is stored although violated; placement honours it at once, and the
 *   overview shows the violation as an alarm until the VMs no longer share a host.
 * Hosts load a wall into their ACM module only once no domain on them contradicts it (an agent
 * refuses a policy that conflicts with running domains), so a pending wall binds there later.
 */

export type OnViolation = "refuse" | "pending" | "migrate";
export type WallActor = { userId: string; requestId: string };

const ordered = (a: string, b: string) => (a < b ? { realmLow: a, realmHigh: b } : { realmLow: b, realmHigh: a });

/** What adding the wall would meet now: the co-located VMs and the plan (empty when none share a host). */
export async function previewWall(platform: Tx, realmA: string, realmB: string): Promise<{ coLocated: CoLocatedVm[]; plan: WallPlan }> {
  if ((await unsafeCountRealms(platform, [realmA, realmB])) !== 2) throw notFound("realm");
  const coLocated = await unsafeCoLocatedVms(platform, realmA, realmB);
  if (coLocated.length === 0) return { coLocated, plan: { ok: true, moves: [] } };
  return { coLocated, plan: await planFor(platform, realmA, realmB, coLocated) };
}

async function planFor(platform: Tx, realmA: string, realmB: string, coLocated: CoLocatedVm[]): Promise<WallPlan> {
  const conflictsOf = new Map<string, Set<string>>();
  for (const [realm, rival] of [
    [realmA, realmB],
    [realmB, realmA],
  ] as const) {
    conflictsOf.set(realm, new Set([...(await unsafeConflictingRealms(platform, realm)), rival]));
  }
  const relevant = new Set([realmA, realmB, ...conflictsOf.get(realmA)!, ...conflictsOf.get(realmB)!]);
  return planWall(await unsafeListHostCapacity(platform, relevant), coLocated, conflictsOf);
}

const listVms = (vms: CoLocatedVm[]) => vms.map((v) => `${v.org}'s ${v.name} on ${v.host}`).join(", ");

export type AddedWall = { added: true; pending: boolean; coLocated: CoLocatedVm[]; migrations: (WallMove & { operationId: string })[] };

/** Adds the wall in the caller's platform transaction (see the header for the three outcomes). */
export async function addWall(
  platform: Tx,
  input: { realmA: string; realmB: string; reason: string; onViolation: OnViolation },
  actor: WallActor,
): Promise<AddedWall> {
  if ((await unsafeCountRealms(platform, [input.realmA, input.realmB])) !== 2) throw notFound("realm");
  // Placements wait for this transaction: nothing lands next to a rival between the check and the wall.
  await lockPlacement(platform);
  // An existing wall is said to exist, whatever the fleet looks like now (the insert checks again).
  if ((await unsafeConflictingRealms(platform, input.realmA)).has(input.realmB)) throw new DomainError("conflict", "these two realms are already in a conflict set");
  const coLocated = await unsafeCoLocatedVms(platform, input.realmA, input.realmB);
  const plan = coLocated.length > 0 ? await planFor(platform, input.realmA, input.realmB, coLocated) : null;
  if (plan && input.onViolation === "refuse") {
    throw new DomainError(
      "precondition_failed",
      `the two realms share a host now (${listVms(coLocated)}): ${describePlan(plan)}. Carry out the plan (onViolation "migrate") or add the wall as pending (onViolation "pending")`,
      { coLocated: coLocated.length },
    );
  }
  if (plan && !plan.ok && input.onViolation === "migrate") {
    throw new DomainError("precondition_failed", `cannot carry out a plan for this wall: ${describePlan(plan)}; add it as pending instead`);
  }
  await unsafeInsertConflict(platform, ordered(input.realmA, input.realmB), input.reason, actor.userId);
  const migrations: AddedWall["migrations"] = [];
  if (plan?.ok && input.onViolation === "migrate") {
    for (const move of plan.moves) migrations.push({ ...move, operationId: await queueMove(platform, move, actor, input) });
  }
  const pending = plan !== null && input.onViolation === "pending";
  await recordDecision(platform, {
    realmId: null,
    actorId: actor.userId,
    action: "acm.conflict.add",
    targetType: "realm-pair",
    targetId: `${input.realmA}/${input.realmB}`,
    decision: "allow",
    layer: "trpc",
    reason: pending
      ? `added as pending, violated now (${listVms(coLocated)}): ${input.reason}`
      : migrations.length > 0
        ? `added with ${migrations.length} migration(s) queued to satisfy it: ${input.reason}`
        : input.reason,
    requestId: actor.requestId,
    details: {
      outcome: pending ? "pending" : migrations.length > 0 ? "migrate" : "added",
      coLocated: coLocated.map((v) => ({ realmId: v.realmId, vmId: v.vmId, vm: v.name, host: v.host })),
      migrations: migrations.map((m) => ({ operationId: m.operationId, vmId: m.vmId, from: m.fromHost, to: m.toHost })),
    },
  });
  return { added: true, pending, coLocated, migrations };
}

/**
 * One move of the plan as an ordinary migration: the VM locked, nothing in flight, the state
 * machine asked, then the operation (outbox), the VM's state and the realm's audit record
 * (its members see that an operator moved their VM, and why).
 */
async function queueMove(platform: Tx, move: WallMove, actor: WallActor, wall: { realmA: string; realmB: string }): Promise<string> {
  const vm = await lockVm(platform, move.realmId, move.vmId);
  if (!vm || vm.hostId !== move.fromHostId) throw new DomainError("conflict", `${move.vm} moved meanwhile: ask for the plan again`);
  if (vm.openOperation) throw new DomainError("conflict", `another operation is in flight on ${move.vm}: ${vm.openOperation.action} (${vm.openOperation.id})`);
  const decision = decideTransition("migrate", vm.observedState);
  if (!decision.allowed) throw new DomainError("precondition_failed", `${move.vm}: ${decision.reason}`);
  return enqueue(platform, {
    realmId: move.realmId,
    subjectRealmId: move.realmId,
    vmId: move.vmId,
    action: "migrate",
    actor: { userId: actor.userId, requestId: actor.requestId },
    reason: `operator: Chinese Wall ${wall.realmA}/${wall.realmB}; to ${move.toHost}`,
    fromState: vm.observedState,
    params: { destinationHostId: move.toHostId },
    vmState: { observedState: decision.pending, desiredState: decision.desired },
  });
}

/** Removes a wall with the operator's reason, audited; a missing wall is not found. */
export async function removeWall(platform: Tx, input: { realmA: string; realmB: string; reason: string }, actor: WallActor): Promise<void> {
  if (!(await unsafeDeleteConflict(platform, ordered(input.realmA, input.realmB)))) throw notFound("conflict set");
  await recordDecision(platform, {
    realmId: null,
    actorId: actor.userId,
    action: "acm.conflict.remove",
    targetType: "realm-pair",
    targetId: `${input.realmA}/${input.realmB}`,
    decision: "allow",
    layer: "trpc",
    reason: `conflict set removed: ${input.reason}`,
    requestId: actor.requestId,
  });
}
