"use client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import type { Permission } from "@/server/policy/permissions";
import { useTRPC } from "../trpc";
import { Button } from "../ui/button";
import { fieldErrorsOf, sayError } from "../ui/wording";
import { Copyable } from "./copyable";
import { PERMISSION_HELP, isReadOnly } from "./permission-help";
import { sayDateTime } from "../ui/dates";

/** The longest lifetime the server accepts (server/auth/api-tokens.ts MAX_TOKEN_LIFETIME_DAYS). */
const MAX_DAYS = 366;
const PRESETS = [7, 30, 90, 365] as const;
const DAY_MS = 86_400_000;
/** Every token reads its own realm (the server adds it: services/api-tokens.ts). */
const ALWAYS = "realm.read";

type Field = "name" | "permissions" | "expiry" | "allowedCidr" | "form";
type Errors = Partial<Record<Field, string>>;
type Created = { name: string; token: string; expiresAt: Date };

/** yyyy-mm-dd of a date in local time (what <input type="date"> reads and writes). */
function dateInput(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/**
 * Creates an API token carrying some of the member's own permissions (the server refuses any
 * other), with a required expiry and an optional client address range. The secret is shown
 * once, here, and lives only in this component's state: a reload loses it for good.
 */
export function CreateTokenForm({ grantable }: { grantable: string[] }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const readOnly = grantable.filter(isReadOnly);
  const [name, setName] = useState("");
  const [permissions, setPermissions] = useState<Set<string>>(() => new Set(readOnly));
  const [expiry, setExpiry] = useState<string>("30");
  const [date, setDate] = useState("");
  const [cidr, setCidr] = useState("");
  const [errors, setErrors] = useState<Errors>({});
  const [created, setCreated] = useState<Created | null>(null);

  const create = useMutation(
    trpc.token.create.mutationOptions({
      onSuccess: (result) => {
        setErrors({});
        setCreated({ name: result.name, token: result.token, expiresAt: result.expiresAt });
        setName("");
        setPermissions(new Set(readOnly));
        setExpiry("30");
        setDate("");
        setCidr("");
        void queryClient.invalidateQueries({ queryKey: trpc.token.list.pathKey() });
      },
      onError: (e) => {
        // In words ("Client address range must be at most 64 characters"), not field names.
        const fields = fieldErrorsOf(e);
        const next: Errors = {
          name: fields.name?.[0],
          permissions: fields.permissions?.[0],
          expiry: fields.expiresInDays?.[0] ?? fields.expiresAt?.[0],
          allowedCidr: fields.allowedCidr?.[0],
        };
        if (!Object.values(next).some(Boolean)) next.form = sayError(e);
        setErrors(next);
      },
    }),
  );

  function toggle(permission: string, checked: boolean) {
    setPermissions((current) => {
      const next = new Set(current);
      if (checked) next.add(permission);
      else next.delete(permission);
      return next;
    });
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const local: Errors = {};
    if (!name.trim()) local.name = "enter a name, e.g. ci-deploy";
    const chosen = grantable.filter((p) => p === ALWAYS || permissions.has(p)) as Permission[];
    let expiresAt: string | undefined;
    if (expiry === "date") {
      // The end of the chosen day, in the browser's time zone.
      const end = date ? new Date(`${date}T23:59:59`) : null;
      if (!end || Number.isNaN(end.getTime())) local.expiry = "choose an expiry date";
      else if (end.getTime() - Date.now() > MAX_DAYS * DAY_MS) local.expiry = `a token lives at most ${MAX_DAYS} days`;
      else expiresAt = end.toISOString();
    }
    if (Object.keys(local).length > 0) return setErrors(local);
    setCreated(null);
    create.mutate({
      name: name.trim(),
      permissions: chosen,
      ...(expiresAt ? { expiresAt } : { expiresInDays: Number(expiry) }),
      allowedCidr: cidr.trim() || null,
    });
  }

  const today = new Date();
  const describedBy = (field: Field) => (errors[field] ? `token-${field}-error` : undefined);
  const fieldError = (field: Field) =>
    errors[field] && (
      <p id={`token-${field}-error`} role="alert" className="mt-1 text-sm text-red-700" data-testid={`token-${field}-error`}>
        {errors[field]}
      </p>
    );

  return (
    <div className="space-y-4">
      <form onSubmit={onSubmit} className="space-y-4" data-testid="create-token-form" noValidate>
        <div className="flex flex-wrap gap-4">
          <label className="block text-sm">
            <span className="text-slate-700">Name</span>
            <input
              name="name"
              value={name}
              onChange={(e) => setName(e.target.value)}
              placeholder="ci-deploy"
              autoComplete="off"
              maxLength={64}
              aria-invalid={errors.name ? true : undefined}
              aria-describedby={describedBy("name")}
              className="mt-1 block w-64 rounded-md border border-slate-300 px-3 py-1.5"
            />
            {fieldError("name")}
          </label>
          <label className="block text-sm">
            <span className="text-slate-700">Expires</span>
            <select
              name="expiry"
              value={expiry}
              onChange={(e) => setExpiry(e.target.value)}
              aria-invalid={errors.expiry ? true : undefined}
              aria-describedby={describedBy("expiry")}
              className="mt-1 block rounded-md border border-slate-300 px-3 py-1.5"
            >
              {PRESETS.map((days) => (
                <option key={days} value={String(days)}>
                  in {days} days
                </option>
              ))}
              <option value="date">on a date…</option>
            </select>
            {fieldError("expiry")}
          </label>
          {expiry === "date" && (
            <label className="block text-sm">
              <span className="text-slate-700">Expiry date</span>
              <input
                type="date"
                name="expiresAt"
                value={date}
                min={dateInput(new Date(today.getTime() + DAY_MS))}
                max={dateInput(new Date(today.getTime() + (MAX_DAYS - 1) * DAY_MS))}
                onChange={(e) => setDate(e.target.value)}
                required
                className="mt-1 block rounded-md border border-slate-300 px-3 py-1.5"
              />
            </label>
          )}
          <label className="block text-sm">
            <span className="text-slate-700">Client address range (optional)</span>
            <input
              name="allowedCidr"
              value={cidr}
              onChange={(e) => setCidr(e.target.value)}
              placeholder="203.0.113.0/24"
              autoComplete="off"
              aria-invalid={errors.allowedCidr ? true : undefined}
              aria-describedby={describedBy("allowedCidr")}
              className="mt-1 block w-56 rounded-md border border-slate-300 px-3 py-1.5 font-mono"
            />
            {fieldError("allowedCidr")}
          </label>
        </div>
        <fieldset aria-describedby={describedBy("permissions")}>
          <legend className="text-sm text-slate-700">Permissions (only those your role holds)</legend>
          <div className="mt-1 grid gap-x-6 gap-y-1 sm:grid-cols-2" data-testid="token-permissions">
            {grantable.map((permission) => (
              <label key={permission} className="flex items-start gap-2 text-sm">
                <input
                  type="checkbox"
                  name="permissions"
                  value={permission}
                  checked={permission === ALWAYS || permissions.has(permission)}
                  disabled={permission === ALWAYS}
                  onChange={(e) => toggle(permission, e.target.checked)}
                  className="mt-1"
                />
                <span>
                  <span className="font-mono text-slate-900">{permission}</span>
                  {PERMISSION_HELP[permission] && <span className="text-slate-500"> — {PERMISSION_HELP[permission]}</span>}
                  {permission === ALWAYS && <span className="text-slate-500"> (every token has it)</span>}
                </span>
              </label>
            ))}
          </div>
          {fieldError("permissions")}
        </fieldset>
        <Button type="submit" variant="primary" disabled={create.isPending}>
          {create.isPending ? "Creating…" : "Create token"}
        </Button>
        {fieldError("form")}
      </form>
      {created && (
        <div className="space-y-2 rounded-md border border-amber-300 bg-amber-50 p-4" data-testid="token-secret-box">
          <p className="text-sm font-medium text-amber-900">
            Token “{created.name}” created (expires {sayDateTime(created.expiresAt)}). Copy it now: you will not see it again.
          </p>
          <Copyable text={created.token} label="API token secret" testId="token-secret" />
          <p className="text-xs text-amber-900">
            Store it in a secret manager or set it as <code>REALMGATE_TOKEN</code>. Realmgate keeps only a hash; if it is lost, revoke it and create another.
          </p>
          <Button onClick={() => setCreated(null)}>I have copied it</Button>
        </div>
      )}
    </div>
  );
}
