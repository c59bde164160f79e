"use client";
import { useState } from "react";
import { Button } from "../ui/button";
import { MigrateDialog } from "./migrate-dialog";
import { VM_ACTIONS, type OfferedAction, type VmAction } from "./progress";
import type { VmActivity } from "./use-vm-activity";

type VmLike = { id: string; name: string; host?: { name: string } | null };

/**
 * Lifecycle actions, offered only where the role and the state machine allow them, all disabled
 * while an operation is in flight; destructive ones ask first, migrate asks for the destination.
 * In the list (`compact`) the everyday ones are buttons of the row and the rest sit in "More".
 */
export function VmActions({ vm, activity, compact = false }: { vm: VmLike; activity: VmActivity; compact?: boolean }) {
  const [migrating, setMigrating] = useState(false);
  const [menuOpen, setMenuOpen] = useState(false);
  const { offered, error, run, confirmOf } = activity;

  function click(action: VmAction) {
    setMenuOpen(false);
    if (action === "migrate") return setMigrating(true);
    const question = confirmOf(action);
    if (question && !window.confirm(question)) return;
    run(action);
  }

  const button = ({ action, enabled, why }: OfferedAction) => (
    <Button
      key={action}
      variant={VM_ACTIONS[action].variant}
      disabled={!enabled}
      title={why ?? undefined}
      onClick={() => click(action)}
      data-testid={`${action}-${vm.name}`}
      className={compact ? "whitespace-nowrap" : ""}
    >
      {VM_ACTIONS[action].label}
    </Button>
  );
  const inRow = compact ? offered.filter((o) => VM_ACTIONS[o.action].inList === "row") : offered;
  const inMenu = compact ? offered.filter((o) => VM_ACTIONS[o.action].inList === "menu") : [];
  return (
    <div className="flex flex-col items-end gap-1">
      <div className={`flex items-center justify-end gap-2 ${compact ? "" : "flex-wrap"}`}>
        {inRow.map(button)}
        {inMenu.length > 0 && (
          <details className="relative" open={menuOpen} onToggle={(e) => setMenuOpen(e.currentTarget.open)}>
            <summary
              className="cursor-pointer list-none whitespace-nowrap rounded-md border border-slate-300 px-3 py-1.5 text-sm text-slate-800 hover:bg-slate-100"
              data-testid={`more-${vm.name}`}
              aria-label={`More actions for ${vm.name}`}
            >
              More ▾
            </summary>
            <div className="absolute right-0 z-10 mt-1 flex w-36 flex-col gap-1 rounded-md border border-slate-200 bg-white p-1 shadow-lg">
              {inMenu.map(button)}
            </div>
          </details>
        )}
      </div>
      {error && (
        <p role="alert" className="max-w-xs text-right text-xs text-red-700" data-testid={`vm-error-${vm.name}`}>
          {error}
        </p>
      )}
      {migrating && (
        <MigrateDialog vm={vm} open={migrating} onClose={() => setMigrating(false)} onMigrate={(destinationHostId) => run("migrate", { destinationHostId })} />
      )}
    </div>
  );
}
