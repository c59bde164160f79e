"use client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { usePermissions } from "../realm/use-permissions";
import { useTRPC } from "../trpc";
import { Button } from "../ui/button";

type VmLike = { id: string; name: string; observedState: string };

/** Start / stop / destroy, offered only where the role and the state machine allow them. */
export function VmActions({ vm, compact = false }: { vm: VmLike; compact?: boolean }) {
  const trpc = useTRPC();
  const can = usePermissions();
  const queryClient = useQueryClient();
  const [error, setError] = useState<string | null>(null);
  const options = {
    onSuccess: () => {
      setError(null);
      void queryClient.invalidateQueries({ queryKey: trpc.vm.pathKey() });
    },
    onError: (e: { message: string }) => setError(e.message),
  };
  const start = useMutation(trpc.vm.start.mutationOptions(options));
  const stop = useMutation(trpc.vm.stop.mutationOptions(options));
  const destroy = useMutation(trpc.vm.destroy.mutationOptions(options));
  const busy = start.isPending || stop.isPending || destroy.isPending;
  const s = vm.observedState;
  return (
    <div className={`flex items-center justify-end gap-2 ${compact ? "" : "flex-wrap"}`}>
      {s === "stopped" && can("vm.start") && (
        <Button variant="primary" disabled={busy} onClick={() => start.mutate({ vmId: vm.id })} data-testid={`start-${vm.name}`}>
          Start
        </Button>
      )}
      {(s === "running" || s === "paused") && can("vm.stop") && (
        <Button disabled={busy} onClick={() => stop.mutate({ vmId: vm.id })} data-testid={`stop-${vm.name}`}>
          Stop
        </Button>
      )}
      {!compact && ["stopped", "running", "paused", "failed"].includes(s) && can("vm.destroy") && (
        <Button
          variant="danger"
          disabled={busy}
          onClick={() => window.confirm(`Destroy ${vm.name}? This cannot be undone.`) && destroy.mutate({ vmId: vm.id })}
          data-testid={`destroy-${vm.name}`}
        >
          Destroy
        </Button>
      )}
      {error && (
        <span role="alert" className="text-xs text-red-700">
          {error}
        </span>
      )}
    </div>
  );
}
