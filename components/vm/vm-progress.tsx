"use client";
import type { Activity } from "./progress";

const MARK = { done: "✓", running: "…", pending: "·", failed: "✗" } as const;

/**
 * "starting… accepted ✓ · sent to the host … · applied by the hypervisor": what the VM is doing,
 * from its operation's own steps. A polite live region: screen readers hear the change.
 */
export function VmProgress({ activity, testId }: { activity: Activity | null; testId: string }) {
  return (
    <div role="status" aria-live="polite" className="text-xs text-sky-800" data-testid={testId}>
      {activity && (
        <>
          <span className="font-medium" data-testid={`${testId}-label`}>
            {activity.label}
          </span>
          {activity.steps.length > 0 && (
            <ol className="mt-0.5 flex flex-wrap gap-x-2 text-slate-600">
              {activity.steps.map((step) => (
                <li key={step.name} data-step={step.name} data-status={step.status} title={step.detail ?? undefined}>
                  {step.label} <span aria-label={step.status}>{MARK[step.status]}</span>
                </li>
              ))}
            </ol>
          )}
        </>
      )}
    </div>
  );
}
