/**
 * The VM lifecycle state machine (pure). An action is accepted only from the states listed; the
 * decision says what the VM will look like while the operation is in flight and once it is done.
 */

export type VmState = "creating" | "stopped" | "starting" | "running" | "stopping" | "paused" | "destroyed" | "failed";
export type LifecycleAction = "create" | "start" | "stop" | "destroy";

type Transition = { from: readonly VmState[]; pending: VmState; desired: VmState };

const TRANSITIONS: Record<LifecycleAction, Transition> = {
  create: { from: [], pending: "creating", desired: "stopped" },
  start: { from: ["stopped"], pending: "starting", desired: "running" },
  stop: { from: ["running", "paused"], pending: "stopping", desired: "stopped" },
  destroy: { from: ["stopped", "running", "paused", "failed"], pending: "stopping", desired: "destroyed" },
};

export const LIFECYCLE_ACTIONS = Object.keys(TRANSITIONS) as LifecycleAction[];

export type TransitionDecision =
  | { allowed: true; pending: VmState; desired: VmState }
  | { allowed: false; reason: string };

export function decideTransition(action: LifecycleAction, state: VmState): TransitionDecision {
  const t = TRANSITIONS[action];
  if (!t.from.includes(state)) {
    return {
      allowed: false,
      reason: `cannot ${action} a VM that is ${state}` + (t.from.length ? ` (allowed when ${t.from.join(" or ")})` : ""),
    };
  }
  return { allowed: true, pending: t.pending, desired: t.desired };
}

/** Terminal state reached once the agent confirmed the action. */
export function settledState(action: LifecycleAction): VmState {
  return TRANSITIONS[action].desired;
}
