"use client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useTRPC } from "../trpc";
import { Button } from "../ui/button";
import { InvitationLink } from "./invitation-link";
import { RoleOptions } from "./role-help";

type Created = { email: string; link: string; expiresAt: Date };

/** Invite someone by email to one role; the link appears once, here. */
export function InviteForm({ canGrantOwner }: { canGrantOwner: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [created, setCreated] = useState<Created | null>(null);
  const [errors, setErrors] = useState<{ email?: string; role?: string; form?: string }>({});
  const create = useMutation(
    trpc.realm.invitations.create.mutationOptions({
      onSuccess: (result) => {
        setErrors({});
        setCreated({ email: result.email, link: result.link, expiresAt: result.expiresAt });
        void queryClient.invalidateQueries({ queryKey: trpc.realm.invitations.list.pathKey() });
      },
      onError: (e) => {
        const fields = (e.data?.fieldErrors ?? {}) as Record<string, string[] | undefined>;
        if (fields.email || fields.role) setErrors({ email: fields.email?.[0], role: fields.role?.[0] });
        else setErrors({ form: e.message });
      },
    }),
  );

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const email = String(form.get("email") ?? "").trim();
    const role = String(form.get("role") ?? "viewer") as "owner" | "admin" | "operator" | "viewer";
    if (!email) return setErrors({ email: "enter an email address" });
    setCreated(null);
    create.mutate({ email, role });
    event.currentTarget.reset();
  }

  return (
    <div className="space-y-3">
      <form onSubmit={onSubmit} className="flex flex-wrap items-end gap-3" data-testid="invite-form">
        <label className="block text-sm">
          <span className="text-slate-700">Email</span>
          <input name="email" type="email" autoComplete="off" required aria-invalid={errors.email ? true : undefined} className="mt-1 block w-72 rounded-md border border-slate-300 px-3 py-1.5" />
        </label>
        <label className="block text-sm">
          <span className="text-slate-700">Role</span>
          <select name="role" defaultValue="viewer" className="mt-1 block rounded-md border border-slate-300 px-3 py-1.5">
            <RoleOptions canGrantOwner={canGrantOwner} />
          </select>
        </label>
        <Button type="submit" variant="primary" disabled={create.isPending}>
          {create.isPending ? "Inviting…" : "Invite"}
        </Button>
      </form>
      {(errors.email || errors.role || errors.form) && (
        <p role="alert" className="text-sm text-red-700" data-testid="invite-error">
          {errors.email ?? errors.role ?? errors.form}
        </p>
      )}
      {created && <InvitationLink {...created} onDismiss={() => setCreated(null)} />}
    </div>
  );
}
