import type { Permission } from "./permissions";

/**
 * The VM lifecycle state machine (pure). An action is accepted only from the states listed; the
 * decision says what the VM shows while the operation is in flight and once it is done.
 */

export type VmState =
  | "creating"
  | "stopped"
  | "starting"
  | "running"
  | "stopping"
  | "paused"
  | "destroyed"
  | "failed"
  | "pausing"
  | "resuming"
  | "rebooting"
  | "migrating"
  | "attaching"
  | "detaching"
  | "resizing"
  | "snapshotting"
  | "reverting";

export type LifecycleAction =
  | "create"
  | "start"
  | "stop"
  | "pause"
  | "resume"
  | "reboot"
  | "destroy"
  | "migrate"
  | "attach-disk"
  | "detach-disk"
  | "attach-net"
  | "detach-net"
  | "resize"
  | "snapshot"
  | "revert"
  | "delete-snapshot";

/** `settles` null: the VM ends where it started (a migration keeps its run state). */
type Transition = { from: readonly VmState[]; pending: VmState; settles: VmState | null };

const TRANSITIONS: Record<LifecycleAction, Transition> = {
  create: { from: [], pending: "creating", settles: "stopped" },
  start: { from: ["stopped"], pending: "starting", settles: "running" },
  stop: { from: ["running", "paused"], pending: "stopping", settles: "stopped" },
  pause: { from: ["running"], pending: "pausing", settles: "paused" },
  resume: { from: ["paused"], pending: "resuming", settles: "running" },
  reboot: { from: ["running"], pending: "rebooting", settles: "running" },
  destroy: { from: ["stopped", "running", "paused", "failed"], pending: "stopping", settles: "destroyed" },
  migrate: { from: ["running", "stopped"], pending: "migrating", settles: null },
  // PV devices (blkback/netback) attach to a built domain, whatever its run state.
  "attach-disk": { from: ["stopped", "running", "paused"], pending: "attaching", settles: null },
  "detach-disk": { from: ["stopped", "running", "paused"], pending: "detaching", settles: null },
  "attach-net": { from: ["stopped", "running", "paused"], pending: "attaching", settles: null },
  "detach-net": { from: ["stopped", "running", "paused"], pending: "detaching", settles: null },
  // Everyday work (issue 14): the VM keeps its run state, except a revert, which ends in the
  // state the snapshot was taken in (the worker reads it from the operation's parameters).
  resize: { from: ["stopped", "running", "paused"], pending: "resizing", settles: null },
  snapshot: { from: ["stopped", "running", "paused"], pending: "snapshotting", settles: null },
  revert: { from: ["stopped", "running", "paused"], pending: "reverting", settles: null },
  "delete-snapshot": { from: ["stopped", "running", "paused"], pending: "snapshotting", settles: null },
};

export const LIFECYCLE_ACTIONS = Object.keys(TRANSITIONS) as LifecycleAction[];

/** The states an action is accepted from (none for create: the VM does not exist yet). */
export function acceptedFrom(action: LifecycleAction): readonly VmState[] {
  return TRANSITIONS[action].from;
}

/** The permission a member needs for each action: the procedures require it, explain reads it. */
export const ACTION_PERMISSION: Readonly<Record<LifecycleAction, Permission>> = {
  create: "vm.create",
  start: "vm.start",
  stop: "vm.stop",
  pause: "vm.pause",
  resume: "vm.resume",
  reboot: "vm.reboot",
  destroy: "vm.destroy",
  migrate: "vm.migrate",
  "attach-disk": "vm.devices",
  "detach-disk": "vm.devices",
  "attach-net": "vm.devices",
  "detach-net": "vm.devices",
  resize: "vm.configure",
  snapshot: "vm.snapshot",
  revert: "vm.snapshot",
  "delete-snapshot": "vm.snapshot",
};

export type TransitionDecision = { allowed: true; pending: VmState; desired: VmState } | { allowed: false; reason: string };

export function decideTransition(action: LifecycleAction, state: VmState): TransitionDecision {
  const t = TRANSITIONS[action];
  if (!t.from.includes(state)) {
    return {
      allowed: false,
      reason: `cannot ${action} a VM that is ${state}` + (t.from.length ? ` (allowed when ${t.from.join(" or ")})` : ""),
    };
  }
  return { allowed: true, pending: t.pending, desired: t.settles ?? state };
}

/**
 * Where a VM stands once the agent confirmed the action; `from` is its state before it, `savedIn`
 * the state a reverted-to snapshot was taken in (a running VM reverted to a stopped snapshot stops).
 */
export function settledState(action: LifecycleAction, from: VmState | null, savedIn?: VmState): VmState {
  if (action === "revert" && savedIn) return savedIn;
  return TRANSITIONS[action].settles ?? from ?? "stopped";
}

/** States in which nothing is in flight: the only ones the reconciler compares with the host. */
export const SETTLED_STATES: readonly VmState[] = ["stopped", "running", "paused"];
