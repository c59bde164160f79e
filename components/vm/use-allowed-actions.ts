"use client";
import { ACTION_PERMISSION, decideTransition, type LifecycleAction, type VmState } from "@/server/policy/lifecycle";
import { usePermissions } from "../realm/use-permissions";

/**
 * Which lifecycle actions to offer on a VM: those the caller's role grants and the VM's state
 * allows, decided by the same pure state machine and permission table the server enforces
 * (the server decides again on every request).
 */
export function useAllowedActions(vm: { observedState: string }): (action: LifecycleAction) => boolean {
  const can = usePermissions();
  return (action) => can(ACTION_PERMISSION[action]) && decideTransition(action, vm.observedState as VmState).allowed;
}
