"use client";
import { useInfiniteQuery, useMutation, useQueryClient } from "@tanstack/react-query";
import { useRef, useState, type FormEvent } from "react";
import { OrgLink } from "../realm/org-link";
import { useTRPC } from "../trpc";
import { Button } from "../ui/button";
import { useAllPages } from "../ui/pages";
import { fieldErrorsOf, sayError } from "../ui/wording";

export function CreateVmForm() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  // The select offers every template: read all their pages.
  const templates = useAllPages(
    useInfiniteQuery(trpc.template.list.infiniteQueryOptions({ limit: 200 }, { getNextPageParam: (page) => page.nextCursor ?? undefined })),
  );
  const [templateId, setTemplateId] = useState<string>("");
  const formRef = useRef<HTMLFormElement>(null);
  const create = useMutation(
    trpc.vm.create.mutationOptions({
      onSuccess: () => {
        // A fresh form for the next VM (a second click would only meet "name already exists").
        formRef.current?.reset();
        setTemplateId("");
        void queryClient.invalidateQueries({ queryKey: trpc.vm.pathKey() });
      },
    }),
  );
  const errors = fieldErrorsOf(create.error);
  const selected = templates?.find((t) => t.id === templateId) ?? templates?.[0];

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const memory = String(form.get("memoryMb") ?? "").trim();
    const cpus = String(form.get("vcpus") ?? "").trim();
    create.mutate({
      name: String(form.get("name") ?? ""),
      templateId: selected?.id ?? "",
      memoryMb: memory === "" ? undefined : Number(memory),
      vcpus: cpus === "" ? undefined : Number(cpus),
    });
  }

  return (
    <form ref={formRef} onSubmit={onSubmit} className="grid grid-cols-1 gap-4 text-sm sm:grid-cols-6" noValidate data-testid="create-vm-form">
      <Field label="Name" error={errors.name}>
        <input name="name" placeholder="web-1" className="w-full rounded-md border border-slate-300 px-3 py-1.5" />
      </Field>
      {/* Two columns: "debian-12-medium (2 vCPU, 4096 MiB)" was cut off in one. */}
      <Field label="Template" error={errors.templateId} className="sm:col-span-2">
        <select
          name="templateId"
          value={selected?.id ?? ""}
          onChange={(e) => setTemplateId(e.target.value)}
          className="w-full rounded-md border border-slate-300 px-2 py-1.5"
        >
          {templates?.map((t) => (
            <option key={t.id} value={t.id}>
              {t.name} ({t.vcpus} vCPU, {t.memoryMb} MiB)
            </option>
          ))}
        </select>
      </Field>
      <Field label="Memory (MiB)" error={errors.memoryMb}>
        <input name="memoryMb" inputMode="numeric" placeholder={String(selected?.memoryMb ?? "")} className="w-full rounded-md border border-slate-300 px-3 py-1.5" />
      </Field>
      <Field label="vCPUs" error={errors.vcpus}>
        <input name="vcpus" inputMode="numeric" placeholder={String(selected?.vcpus ?? "")} className="w-full rounded-md border border-slate-300 px-3 py-1.5" />
      </Field>
      <div className="flex items-end">
        <Button type="submit" variant="primary" disabled={create.isPending || !selected} className="w-full">
          {create.isPending ? "Creating…" : "Create VM"}
        </Button>
      </div>
      {create.error && Object.keys(errors).length === 0 && (
        <p role="alert" className="text-red-700 sm:col-span-6">
          {sayError(create.error)}
        </p>
      )}
      <p role="status" aria-live="polite" className="text-emerald-700 empty:hidden sm:col-span-6" data-testid="create-vm-status">
        {create.isSuccess && (
          <span data-testid="create-vm-accepted">
            Creating {create.variables.name}: it is being built and will be ready, stopped, in a moment.{" "}
            <OrgLink href={`/realm/vms/${create.data.vmId}`} className="font-medium text-sky-800 underline" data-testid="create-vm-link">
              Open {create.variables.name}
            </OrgLink>
          </span>
        )}
      </p>
    </form>
  );
}

function Field({ label, error, className = "", children }: { label: string; error?: string[]; className?: string; children: React.ReactNode }) {
  return (
    <label className={`block ${className}`}>
      <span className="text-slate-600">{label}</span>
      <div className="mt-1">{children}</div>
      {error?.map((message) => (
        <p key={message} role="alert" className="mt-1 text-xs text-red-700">
          {message}
        </p>
      ))}
    </label>
  );
}
