"use client";
import { useMutation } from "@tanstack/react-query";
import { useTRPC } from "../trpc";
import { Button } from "../ui/button";
import { useMutationFeedback } from "../ui/use-mutation-feedback";
import { useAllowedActions } from "./use-allowed-actions";

type VmLike = { id: string; name: string; observedState: string; kind?: string };

/** Lifecycle actions, offered only where the role and the state machine allow them. */
export function VmActions({ vm, compact = false }: { vm: VmLike; compact?: boolean }) {
  const trpc = useTRPC();
  const allowed = useAllowedActions(vm);
  const { error, options } = useMutationFeedback([trpc.vm.pathKey()]);
  const start = useMutation(trpc.vm.start.mutationOptions(options));
  const stop = useMutation(trpc.vm.stop.mutationOptions(options));
  const pause = useMutation(trpc.vm.pause.mutationOptions(options));
  const resume = useMutation(trpc.vm.resume.mutationOptions(options));
  const reboot = useMutation(trpc.vm.reboot.mutationOptions(options));
  const migrate = useMutation(trpc.vm.migrate.mutationOptions(options));
  const destroy = useMutation(trpc.vm.destroy.mutationOptions(options));
  const busy = [start, stop, pause, resume, reboot, migrate, destroy].some((m) => m.isPending);
  const vmId = vm.id;
  const action = (
    label: string,
    testId: string,
    onClick: () => void,
    variant: "primary" | "secondary" | "danger" = "secondary",
  ) => (
    <Button key={testId} variant={variant} disabled={busy} onClick={onClick} data-testid={`${testId}-${vm.name}`}>
      {label}
    </Button>
  );
  const buttons = [
    allowed("start") && action("Start", "start", () => start.mutate({ vmId }), "primary"),
    allowed("resume") && action("Resume", "resume", () => resume.mutate({ vmId }), "primary"),
    allowed("pause") && !compact && action("Pause", "pause", () => pause.mutate({ vmId })),
    allowed("reboot") && !compact && action("Reboot", "reboot", () => reboot.mutate({ vmId })),
    allowed("stop") && action("Stop", "stop", () => stop.mutate({ vmId, mode: "clean" })),
    allowed("stop") &&
      !compact &&
      action(
        "Hard stop",
        "hard-stop",
        () =>
          window.confirm(`Hard stop ${vm.name}? Unsaved guest state is lost.`) && stop.mutate({ vmId, mode: "hard" }),
        "danger",
      ),
    allowed("migrate") && !compact && action("Migrate", "migrate", () => migrate.mutate({ vmId })),
    allowed("destroy") &&
      !compact &&
      action(
        "Destroy",
        "destroy",
        () => window.confirm(`Destroy ${vm.name}? This cannot be undone.`) && destroy.mutate({ vmId }),
        "danger",
      ),
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
