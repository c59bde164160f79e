"use client";
import { useMutation } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useTRPC } from "../trpc";
import { Button } from "../ui/button";
import { InvitationLink } from "./invitation-link";

/**
 * A platform operator invites an organization's first owner by email (operator.invitations.
 * inviteOwner; refused once the organization has an owner). The link is shown once, here.
 */
export function InviteOwnerForm({ orgId }: { orgId: string }) {
  const trpc = useTRPC();
  const [created, setCreated] = useState<{ email: string; link: string; expiresAt: Date } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const invite = useMutation(
    trpc.operator.invitations.inviteOwner.mutationOptions({
      onSuccess: (result) => {
        setError(null);
        setCreated({ email: result.email, link: result.link, expiresAt: result.expiresAt });
      },
      onError: (e) => {
        const fields = Object.values((e.data?.fieldErrors ?? {}) as Record<string, string[] | undefined>).flatMap((m) => m ?? []);
        setError(fields.length ? fields.join("; ") : e.message);
      },
    }),
  );

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const email = String(new FormData(event.currentTarget).get("email") ?? "").trim();
    if (!email) return setError("enter the owner's email address");
    setCreated(null);
    invite.mutate({ orgId, email });
  }

  return (
    <div className="space-y-3">
      <p className="text-sm text-slate-600">
        The owner gets every permission in the organization, including inviting its other members. Operators invite only the first
        owner; the owners invite everyone else.
      </p>
      <form onSubmit={onSubmit} className="flex flex-wrap items-end gap-3" data-testid="invite-owner-form">
        <label className="block text-sm">
          <span className="text-slate-700">Owner&apos;s email</span>
          <input name="email" type="email" autoComplete="off" required data-testid="invite-owner-email" className="mt-1 block w-72 rounded-md border border-slate-300 px-3 py-1.5" />
        </label>
        <Button type="submit" variant="primary" disabled={invite.isPending}>
          {invite.isPending ? "Inviting…" : "Invite owner"}
        </Button>
      </form>
      {error && (
        <p role="alert" className="text-sm text-red-700">
          {error}
        </p>
      )}
      {created && <InvitationLink {...created} onDismiss={() => setCreated(null)} />}
    </div>
  );
}
