import { ACTION_PERMISSION, acceptedFrom, decideTransition, SETTLED_STATES, type LifecycleAction, type VmState } from "@/server/policy/lifecycle";

/**
 * What a VM is doing and which actions the console offers on it (pure). The state machine and
 * permission table are the server's (policy/lifecycle.ts, policy/permissions.ts); this adds
 * only what a person sees: the words for an operation in flight and its steps, and that every
 * action is held back while one is in flight (the server refuses a second one with CONFLICT).
 */

/** The actions a member starts from the console: the lifecycle actions, stop split in two. */
export type VmAction = "start" | "resume" | "pause" | "reboot" | "stop" | "hard-stop" | "migrate" | "destroy";

type ActionSpec = {
  label: string;
  lifecycle: LifecycleAction;
  variant: "primary" | "secondary" | "danger";
  /** In the VM list: a button of the row, or an entry of its "More" menu. */
  inList: "row" | "menu";
  /** The question asked first (migrate asks with its own dialog: the destination). */
  confirm?: (name: string) => string;
};

export const VM_ACTIONS: Readonly<Record<VmAction, ActionSpec>> = {
  start: { label: "Start", lifecycle: "start", variant: "primary", inList: "row" },
  resume: { label: "Resume", lifecycle: "resume", variant: "primary", inList: "row" },
  pause: { label: "Pause", lifecycle: "pause", variant: "secondary", inList: "menu" },
  reboot: {
    label: "Reboot",
    lifecycle: "reboot",
    variant: "secondary",
    inList: "menu",
    confirm: (name) => `Reboot ${name}? The guest restarts; work not saved inside it is lost.`,
  },
  stop: { label: "Stop", lifecycle: "stop", variant: "secondary", inList: "row" },
  "hard-stop": {
    label: "Hard stop",
    lifecycle: "stop",
    variant: "danger",
    inList: "menu",
    confirm: (name) => `Hard stop ${name}? Unsaved guest state is lost.`,
  },
  migrate: { label: "Migrate", lifecycle: "migrate", variant: "secondary", inList: "menu" },
  destroy: { label: "Destroy", lifecycle: "destroy", variant: "danger", inList: "menu", confirm: (name) => `Destroy ${name}? This cannot be undone.` },
};

export const VM_ACTION_ORDER = Object.keys(VM_ACTIONS) as VmAction[];

/** What the VM row and page say while an operation is in flight, per action. */
export const IN_PROGRESS: Readonly<Record<LifecycleAction, string>> = {
  create: "creating…",
  start: "starting…",
  stop: "stopping…",
  pause: "pausing…",
  resume: "resuming…",
  reboot: "rebooting…",
  destroy: "destroying…",
  migrate: "migrating…",
  "attach-disk": "attaching a disk…",
  "detach-disk": "detaching a disk…",
  "attach-net": "attaching a network…",
  "detach-net": "detaching a network…",
  resize: "resizing…",
  snapshot: "taking a snapshot…",
  revert: "reverting to a snapshot…",
  "delete-snapshot": "deleting a snapshot…",
};

type StepName = "requested" | "accepted" | "dispatched" | "retrying" | "applied";
type StepStatus = "done" | "running" | "pending" | "failed";

export const STEP_LABEL: Readonly<Record<StepName, string>> = {
  requested: "requested",
  accepted: "accepted",
  dispatched: "sent to the host",
  retrying: "retrying",
  applied: "applied by the hypervisor",
};

/** Settled: nothing is in flight (destroyed and failed are ends, not operations). */
export function isSettled(state: string): boolean {
  return (SETTLED_STATES as readonly string[]).includes(state) || state === "destroyed" || state === "failed";
}

export type OperationView = { id: string; action: string; done: boolean; steps: { name: string; status: StepStatus; detail: string | null }[] };
export type Activity = { label: string; steps: { name: string; label: string; status: StepStatus; detail: string | null }[] };

const lifecycleAction = (action: string): LifecycleAction | null => (action in IN_PROGRESS ? (action as LifecycleAction) : null);

/**
 * What the VM is doing now, or null when it is settled and nothing was asked: from the
 * operation's own state first (its action and steps), else the request this tab is sending
 * (not yet accepted), else the VM's in-flight state ("starting" reads "starting…").
 */
export function activityOf(args: { state: string; operation: OperationView | null | undefined; requested: LifecycleAction | null }): Activity | null {
  const { state, operation, requested } = args;
  if (operation && !operation.done) {
    const action = lifecycleAction(operation.action);
    return {
      label: action ? IN_PROGRESS[action] : `${operation.action}…`,
      steps: operation.steps.map((s) => ({ name: s.name, label: STEP_LABEL[s.name as StepName] ?? s.name, status: s.status, detail: s.detail })),
    };
  }
  if (requested) return { label: IN_PROGRESS[requested], steps: [{ name: "requested", label: STEP_LABEL.requested, status: "running", detail: null }] };
  if (!isSettled(state)) return { label: `${state}…`, steps: [] };
  return null;
}

export type OfferedAction = { action: VmAction; enabled: boolean; why: string | null };

/**
 * The actions to show and whether each may be clicked now. Shown: those the role grants and
 * the state machine allows from the VM's state; while something is in flight, from the state it
 * was in before (`lastSettled`, else the first state the in-flight action starts from), so the
 * buttons stay where they were, all disabled: every action conflicts with one in flight.
 */
export function offeredActions(args: {
  state: string;
  lastSettled: string | null;
  activity: Activity | null;
  inFlightAction: LifecycleAction | null;
  can: (permission: string) => boolean;
}): OfferedAction[] {
  const { state, lastSettled, activity, inFlightAction, can } = args;
  const busy = activity !== null;
  const base = !busy && isSettled(state) ? state : (lastSettled ?? (inFlightAction ? (acceptedFrom(inFlightAction)[0] ?? null) : null));
  if (!base) return [];
  const why = busy ? `${activity.label.replace(/…$/, "")} in progress: wait until it finishes` : null;
  return VM_ACTION_ORDER.filter((action) => {
    const { lifecycle } = VM_ACTIONS[action];
    return can(ACTION_PERMISSION[lifecycle]) && decideTransition(lifecycle, base as VmState).allowed;
  }).map((action) => ({ action, enabled: !busy, why }));
}

/** Which lifecycle action an in-flight operation is, if it is one. */
export function inFlightActionOf(operation: OperationView | null | undefined, requested: LifecycleAction | null): LifecycleAction | null {
  return (operation && !operation.done ? lifecycleAction(operation.action) : null) ?? requested;
}
