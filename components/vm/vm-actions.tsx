"use client";
import { useMutation } from "@tanstack/react-query";
import { usePermissions } from "../realm/use-permissions";
import { useTRPC } from "../trpc";
import { Button } from "../ui/button";
import { useMutationFeedback } from "../ui/use-mutation-feedback";

type VmLike = { id: string; name: string; observedState: string; kind?: string };

/** Lifecycle actions, offered only where the role and the state machine allow them. */
export function VmActions({ vm, compact = false }: { vm: VmLike; compact?: boolean }) {
  const trpc = useTRPC();
  const can = usePermissions();
  const { error, options } = useMutationFeedback([trpc.vm.pathKey()]);
  const start = useMutation(trpc.vm.start.mutationOptions(options));
  const stop = useMutation(trpc.vm.stop.mutationOptions(options));
  const pause = useMutation(trpc.vm.pause.mutationOptions(options));
  const resume = useMutation(trpc.vm.resume.mutationOptions(options));
  const reboot = useMutation(trpc.vm.reboot.mutationOptions(options));
  const migrate = useMutation(trpc.vm.migrate.mutationOptions(options));
  const destroy = useMutation(trpc.vm.destroy.mutationOptions(options));
  const busy = [start, stop, pause, resume, reboot, migrate, destroy].some((m) => m.isPending);
  const s = vm.observedState;
  const vmId = vm.id;
  const action = (label: string, testId: string, onClick: () => void, variant: "primary" | "secondary" | "danger" = "secondary") => (
    <Button key={testId} variant={variant} disabled={busy} onClick={onClick} data-testid={`${testId}-${vm.name}`}>
      {label}
    </Button>
  );
  const buttons = [
    s === "stopped" && can("vm.start") && action("Start", "start", () => start.mutate({ vmId }), "primary"),
    s === "paused" && can("vm.resume") && action("Resume", "resume", () => resume.mutate({ vmId }), "primary"),
    s === "running" && can("vm.pause") && !compact && action("Pause", "pause", () => pause.mutate({ vmId })),
    s === "running" && can("vm.reboot") && !compact && action("Reboot", "reboot", () => reboot.mutate({ vmId })),
    (s === "running" || s === "paused") && can("vm.stop") && action("Stop", "stop", () => stop.mutate({ vmId, mode: "clean" })),
    (s === "running" || s === "paused") &&
      can("vm.stop") &&
      !compact &&
      action("Hard stop", "hard-stop", () => window.confirm(`Hard stop ${vm.name}? Unsaved guest state is lost.`) && stop.mutate({ vmId, mode: "hard" }), "danger"),
    (s === "running" || s === "stopped") && can("vm.migrate") && !compact && action("Migrate", "migrate", () => migrate.mutate({ vmId })),
    ["stopped", "running", "paused", "failed"].includes(s) &&
      can("vm.destroy") &&
      !compact &&
      action("Destroy", "destroy", () => window.confirm(`Destroy ${vm.name}? This cannot be undone.`) && destroy.mutate({ vmId }), "danger"),
  ].filter(Boolean);
  return (
    <div className={`flex items-center justify-end gap-2 ${compact ? "" : "flex-wrap"}`}>
      {buttons}
      {error && (
        <span role="alert" className="text-xs text-red-700">
          {error}
        </span>
      )}
    </div>
  );
}
