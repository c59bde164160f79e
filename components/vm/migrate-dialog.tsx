"use client";
import { useQuery } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { useTRPC } from "../trpc";
import { Button } from "../ui/button";

/**
 * Migrate asks first, with the destination: "automatic" (placement chooses) or one of the hosts
 * placement allows for this VM now (vm.migrationHosts: capacity, Chinese Wall); the server
 * checks the choice again when the migration is requested.
 */
export function MigrateDialog({
  vm,
  open,
  onClose,
  onMigrate,
}: {
  vm: { id: string; name: string; host?: { name: string } | null };
  open: boolean;
  onClose: () => void;
  onMigrate: (destinationHostId: string | undefined) => void;
}) {
  const trpc = useTRPC();
  const ref = useRef<HTMLDialogElement>(null);
  const [choice, setChoice] = useState("");
  const hosts = useQuery(trpc.vm.migrationHosts.queryOptions({ vmId: vm.id }, { enabled: open, staleTime: 0 }));
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  const options = hosts.data?.hosts ?? [];
  const chosen = options.find((h) => h.id === choice);
  return (
    <dialog
      ref={ref}
      onClose={onClose}
      aria-labelledby={`migrate-title-${vm.id}`}
      className="m-auto w-full max-w-md rounded-lg border border-slate-200 p-5 text-left text-sm shadow-lg backdrop:bg-slate-900/30"
      data-testid={`migrate-dialog-${vm.name}`}
    >
      <form
        method="dialog"
        onSubmit={(e) => {
          e.preventDefault();
          onMigrate(chosen?.id);
          onClose();
        }}
        className="space-y-4"
      >
        <h2 id={`migrate-title-${vm.id}`} className="text-base font-medium text-slate-900">
          Migrate {vm.name}
        </h2>
        <p className="text-slate-600">
          Moves the VM live to another host{vm.host ? `; it runs on ${vm.host.name} now` : ""}. Only hosts the placement rules allow for it
          (free capacity, and no realm this one is walled off from) are offered.
        </p>
        <label className="block">
          <span className="text-slate-700">Destination</span>
          <select
            name="destination"
            value={choice}
            onChange={(e) => setChoice(e.target.value)}
            className="mt-1 w-full rounded-md border border-slate-300 px-2 py-1.5"
            data-testid={`migrate-destination-${vm.name}`}
          >
            <option value="">Automatic (placement chooses)</option>
            {options.map((h) => (
              <option key={h.id} value={h.id}>
                {h.name}
              </option>
            ))}
          </select>
        </label>
        {hosts.isLoading && <p className="text-slate-500">Finding hosts…</p>}
        {hosts.error && (
          <p role="alert" className="text-red-700">
            Could not list the hosts: {hosts.error.message}
          </p>
        )}
        {hosts.data && options.length === 0 && <p className="text-amber-700">No host can take this VM now: a migration would be refused.</p>}
        <div className="flex justify-end gap-2">
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" data-testid={`migrate-confirm-${vm.name}`}>
            Migrate to {chosen?.name ?? "the host placement chooses"}
          </Button>
        </div>
      </form>
    </dialog>
  );
}
