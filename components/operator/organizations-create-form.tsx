"use client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import type { FormEvent, ReactNode } from "react";
import { useTRPC } from "../trpc";
import { Button } from "../ui/button";

type FieldErrors = Partial<Record<string, string[]>>;

/** Onboards an organization: display name and slug; field errors under the field they name. */
export function OrganizationsCreateForm() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const create = useMutation(
    trpc.operator.organizations.create.mutationOptions({
      onSuccess: () => void queryClient.invalidateQueries({ queryKey: trpc.operator.organizations.pathKey() }),
    }),
  );
  const errors: FieldErrors =
    (create.error as { data?: { fieldErrors?: FieldErrors } } | null)?.data?.fieldErrors ?? {};

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    create.mutate({ name: String(form.get("name") ?? ""), slug: String(form.get("slug") ?? "") });
  }

  return (
    <form
      onSubmit={onSubmit}
      className="grid grid-cols-1 gap-4 text-sm sm:grid-cols-3"
      noValidate
      data-testid="create-org-form"
    >
      <Field label="Display name" error={errors.name}>
        <input name="name" placeholder="Initech" className="w-full rounded-md border border-slate-300 px-3 py-1.5" />
      </Field>
      <Field label="Slug (a-z, 0-9, -)" error={errors.slug}>
        <input
          name="slug"
          placeholder="initech"
          className="w-full rounded-md border border-slate-300 px-3 py-1.5 font-mono"
        />
      </Field>
      <div className="flex items-end">
        <Button type="submit" variant="primary" disabled={create.isPending} className="w-full">
          {create.isPending ? "Creating…" : "Create organization"}
        </Button>
      </div>
      {create.error && Object.keys(errors).length === 0 && (
        <p role="alert" className="text-red-700 sm:col-span-3">
          {create.error.message}
        </p>
      )}
      {create.isSuccess && (
        <p role="status" className="text-emerald-700 sm:col-span-3" data-testid="create-org-accepted">
          Accepted: realm {create.data.category} is being provisioned.{" "}
          <Link href={`/operator/organizations/${create.data.orgId}`} className="underline">
            Watch its progress
          </Link>
        </p>
      )}
    </form>
  );
}

function Field({ label, error, children }: { label: string; error?: string[]; children: ReactNode }) {
  return (
    <label className="block space-y-1">
      <span className="text-slate-600">{label}</span>
      {children}
      {error?.map((message) => (
        <span key={message} role="alert" className="block text-xs text-red-700">
          {message}
        </span>
      ))}
    </label>
  );
}
