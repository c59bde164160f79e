"use client";
import { useState } from "react";
import { Button } from "../ui/button";
import { sayDateTime } from "../ui/dates";

/**
 * The link of an invitation just created, shown once: only its hash is stored, so it cannot be
 * shown again. A copy also waits in the outbox for a mailer.
 */
export function InvitationLink({ email, link, expiresAt, onDismiss }: { email: string; link: string; expiresAt: Date; onDismiss: () => void }) {
  const [copied, setCopied] = useState(false);
  async function copy() {
    try {
      await navigator.clipboard.writeText(link);
      setCopied(true);
    } catch {
      setCopied(false);
    }
  }
  return (
    <div className="space-y-2 rounded-md border border-emerald-200 bg-emerald-50 px-4 py-3 text-sm" data-testid="invitation-link">
      <p className="text-emerald-900">
        Invitation for <strong>{email}</strong> created. Send this link to them; it works once, until {sayDateTime(expiresAt)}.
        It is shown only now (a copy is queued in the outbox for the mailer).
      </p>
      <div className="flex items-center gap-2">
        <input readOnly value={link} aria-label="Invitation link" data-testid="invitation-link-value" className="w-full rounded-md border border-emerald-300 bg-white px-2 py-1 font-mono text-xs" onFocus={(e) => e.currentTarget.select()} />
        <Button onClick={() => void copy()}>{copied ? "Copied" : "Copy"}</Button>
        <Button onClick={onDismiss}>Done</Button>
      </div>
    </div>
  );
}
