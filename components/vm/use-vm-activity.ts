"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import type { LifecycleAction } from "@/server/policy/lifecycle";
import { usePermissions } from "../realm/use-permissions";
import { useTRPC } from "../trpc";
import { sayError, type FieldErrors } from "../ui/wording";
import { activityOf, inFlightActionOf, isSettled, offeredActions, VM_ACTIONS, type VmAction } from "./progress";

export type VmLike = { id: string; name: string; observedState: string; updatedAt?: Date; kind?: string };

/**
 * One VM's activity as the console shows it, in the list and on its page alike: the operation
 * in flight (vm.inFlight, refetched by the live updates) or the request this tab is sending, the
 * actions offered (all disabled while one is in flight), and the last error, which clears when
 * the VM's next state arrives. The operation is read only while the VM is in flight or this tab
 * asked for something, so a list of settled VMs asks nothing more.
 */
export function useVmActivity(vm: VmLike) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const can = usePermissions();
  const [requested, setRequested] = useState<{ action: LifecycleAction; operationId: string | null } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [lastSettled, setLastSettled] = useState<string | null>(isSettled(vm.observedState) ? vm.observedState : null);
  const version = `${vm.observedState}@${vm.updatedAt?.getTime() ?? ""}`;
  const [seenVersion, setSeenVersion] = useState(version);
  if (seenVersion !== version) {
    // The VM's next state arrived: an error about the previous one is stale.
    setSeenVersion(version);
    setError(null);
    if (isSettled(vm.observedState)) setLastSettled(vm.observedState);
  }

  const settled = isSettled(vm.observedState);
  const watching = requested !== null || !settled;
  const inFlight = useQuery(
    trpc.vm.inFlight.queryOptions(
      { vmId: vm.id },
      // Live updates refetch it as the operation moves; the interval only covers a stream that
      // is reconnecting, so a settled operation is never shown as running for long.
      { enabled: watching, refetchInterval: (query) => (query.state.data && !query.state.data.done ? 5_000 : false) },
    ),
  );
  const operation = watching ? inFlight.data : null;
  if (
    requested?.operationId &&
    settled &&
    inFlight.isFetched &&
    !inFlight.isFetching &&
    (!inFlight.data || inFlight.data.done || inFlight.data.id !== requested.operationId)
  ) {
    // The operation this tab asked for is over and the VM settled: nothing is in flight any more.
    setRequested(null);
  }

  const refetch = () => queryClient.invalidateQueries({ queryKey: trpc.vm.pathKey() });
  const options = (action: LifecycleAction) => ({
    onMutate: () => {
      setError(null);
      setRequested({ action, operationId: null });
    },
    // Waits for the refetch, so the buttons stay disabled until the VM's new state is here.
    onSuccess: (accepted: { operationId: string }) => {
      setRequested({ action, operationId: accepted.operationId });
      return refetch();
    },
    // The refused request's VM is read again first, so the error stays up until the state after
    // that one arrives (set before, it would be cleared by the very refetch that explains it).
    onError: async (e: { message: string; data?: { fieldErrors?: FieldErrors } | null }) => {
      setRequested(null);
      await refetch();
      setError(sayError(e));
    },
  });
  const start = useMutation(trpc.vm.start.mutationOptions(options("start")));
  const resume = useMutation(trpc.vm.resume.mutationOptions(options("resume")));
  const pause = useMutation(trpc.vm.pause.mutationOptions(options("pause")));
  const reboot = useMutation(trpc.vm.reboot.mutationOptions(options("reboot")));
  const stop = useMutation(trpc.vm.stop.mutationOptions(options("stop")));
  const migrate = useMutation(trpc.vm.migrate.mutationOptions(options("migrate")));
  const destroy = useMutation(trpc.vm.destroy.mutationOptions(options("destroy")));

  const activity = activityOf({ state: vm.observedState, operation, requested: requested?.action ?? null });
  const offered = offeredActions({
    state: vm.observedState,
    lastSettled,
    activity,
    inFlightAction: inFlightActionOf(operation, requested?.action ?? null),
    can,
  });

  /** Runs an action (asked first where it is destructive: the caller confirms). */
  function run(action: VmAction, extra: { destinationHostId?: string } = {}) {
    const vmId = vm.id;
    switch (action) {
      case "start":
        return start.mutate({ vmId });
      case "resume":
        return resume.mutate({ vmId });
      case "pause":
        return pause.mutate({ vmId });
      case "reboot":
        return reboot.mutate({ vmId });
      case "stop":
        return stop.mutate({ vmId, mode: "clean" });
      case "hard-stop":
        return stop.mutate({ vmId, mode: "hard" });
      case "migrate":
        return migrate.mutate({ vmId, destinationHostId: extra.destinationHostId });
      case "destroy":
        return destroy.mutate({ vmId });
    }
  }

  return { activity, offered, error, run, confirmOf: (action: VmAction) => VM_ACTIONS[action].confirm?.(vm.name) ?? null };
}

export type VmActivity = ReturnType<typeof useVmActivity>;
