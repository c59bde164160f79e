"use client";
import { useMutation } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import { OrgLink } from "../realm/org-link";
import { usePermissions } from "../realm/use-permissions";
import { useTRPC } from "../trpc";
import { Button } from "../ui/button";
import { Card } from "../ui/card";
import { useMutationFeedback } from "../ui/use-mutation-feedback";
import { isSettled } from "./progress";
import { useAllowedActions } from "./use-allowed-actions";

type Vm = { id: string; name: string; observedState: string; vcpus: number; memoryMb: number };

const INPUT = "rounded-md border border-slate-300 px-2 py-1";

/**
 * Rename, resize and clone a VM. Each form is offered only where the role (and, for resize and
 * clone, the VM's state) allows it; each resets once its request is accepted; progress shows
 * in the header (the operation in flight), errors here in words (components/ui/wording.ts).
 */
export function VmEveryday({ vm }: { vm: Vm }) {
  const trpc = useTRPC();
  const can = usePermissions();
  const allowed = useAllowedActions(vm);
  const ids = useId();
  // `whileBusy`: a message about an operation in flight, dropped once the VM settles.
  const [said, setSaid] = useState<{ text: string; cloneId?: string; whileBusy?: boolean } | null>(null);
  const { error, setError, options } = useMutationFeedback([trpc.vm.pathKey(), trpc.realm.pathKey(), trpc.disk.pathKey()]);
  const rename = useMutation(trpc.vm.rename.mutationOptions(options));
  const resize = useMutation(trpc.vm.resize.mutationOptions(options));
  const clone = useMutation(trpc.vm.clone.mutationOptions(options));
  const canRename = can("vm.configure") && vm.observedState !== "destroyed";
  const canResize = allowed("resize");
  const canClone = can("vm.create") && vm.observedState === "stopped";
  if (!canRename && !canResize && !canClone) return null;
  const isLive = vm.observedState === "running" || vm.observedState === "paused";
  const shown = said?.whileBusy && isSettled(vm.observedState) ? null : said;

  function submit(event: FormEvent<HTMLFormElement>, run: (form: FormData, reset: () => void) => void) {
    event.preventDefault();
    const el = event.currentTarget;
    setSaid(null);
    setError(null);
    run(new FormData(el), () => el.reset());
  }

  return (
    <Card title="Name, size and copies">
      <div className="space-y-4 text-sm" data-testid="vm-everyday">
        {canRename && (
          <form
            className="flex flex-wrap items-end gap-2"
            data-testid="rename-form"
            onSubmit={(e) =>
              submit(e, (form, reset) => {
                const name = String(form.get("name") ?? "").trim();
                rename.mutate({ vmId: vm.id, name }, { onSuccess: () => (reset(), setSaid({ text: `Renamed to ${name}.` })) });
              })
            }
          >
            <label className="flex flex-col gap-1" htmlFor={`${ids}-name`}>
              <span className="text-slate-600">New name</span>
              <input id={`${ids}-name`} name="name" required placeholder={vm.name} className={`w-48 ${INPUT}`} />
            </label>
            <Button type="submit" disabled={rename.isPending}>
              Rename
            </Button>
          </form>
        )}
        {canResize && (
          // Remounted when the size changes, so the fields show the VM's size again after a resize.
          <form
            key={`${vm.vcpus}-${vm.memoryMb}`}
            className="flex flex-wrap items-end gap-2"
            data-testid="resize-form"
            onSubmit={(e) =>
              submit(e, (form) => {
                const vcpus = Number(form.get("vcpus"));
                const memoryMb = Number(form.get("memoryMb"));
                const change = { ...(vcpus !== vm.vcpus ? { vcpus } : {}), ...(memoryMb !== vm.memoryMb ? { memoryMb } : {}) };
                resize.mutate({ vmId: vm.id, ...change }, { onSuccess: () => setSaid({ text: `Resizing to ${vcpus} vCPU${vcpus === 1 ? "" : "s"} and ${memoryMb} MiB…`, whileBusy: true }) });
              })
            }
          >
            <label className="flex flex-col gap-1" htmlFor={`${ids}-vcpus`}>
              <span className="text-slate-600">vCPUs</span>
              <input id={`${ids}-vcpus`} name="vcpus" type="number" min={1} max={64} defaultValue={vm.vcpus} className={`w-20 ${INPUT}`} />
            </label>
            <label className="flex flex-col gap-1" htmlFor={`${ids}-memory`}>
              <span className="text-slate-600">Memory (MiB)</span>
              <input id={`${ids}-memory`} name="memoryMb" type="number" min={128} max={262144} defaultValue={vm.memoryMb} className={`w-28 ${INPUT}`} />
            </label>
            <Button type="submit" disabled={resize.isPending}>
              Resize
            </Button>
            <p className="basis-full text-xs text-slate-500">
              {isLive
                ? "While it runs: memory down to 256 MiB and back up to what it started with, vCPUs up to what it started with. Stop it to grow beyond."
                : "Any size within your organization's quota."}
            </p>
          </form>
        )}
        {canClone && (
          <form
            className="flex flex-wrap items-end gap-2"
            data-testid="clone-form"
            onSubmit={(e) =>
              submit(e, (form, reset) => {
                const name = String(form.get("name") ?? "").trim();
                clone.mutate({ vmId: vm.id, name }, { onSuccess: (r) => (reset(), setSaid({ text: `Cloning ${vm.name} as ${name}: `, cloneId: r.vmId })) });
              })
            }
          >
            <label className="flex flex-col gap-1" htmlFor={`${ids}-clone`}>
              <span className="text-slate-600">Name of the copy</span>
              <input id={`${ids}-clone`} name="name" required placeholder={`${vm.name}-copy`} className={`w-48 ${INPUT}`} />
            </label>
            <Button type="submit" disabled={clone.isPending}>
              Clone
            </Button>
            <p className="basis-full text-xs text-slate-500">A new VM with this one&apos;s template, size and a copy of each of its disks.</p>
          </form>
        )}
        <p aria-live="polite" className="text-emerald-800" data-testid="vm-everyday-status">
          {shown?.text}
          {shown?.cloneId && (
            <OrgLink href={`/realm/vms/${shown.cloneId}`} className="text-sky-800 underline">
              open the new VM
            </OrgLink>
          )}
        </p>
        {error && (
          <p role="alert" className="text-red-700" data-testid="vm-everyday-error">
            {error}
          </p>
        )}
      </div>
    </Card>
  );
}
