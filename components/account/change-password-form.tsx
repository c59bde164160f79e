"use client";
import { useMutation } from "@tanstack/react-query";
import { signOut } from "next-auth/react";
import { useState, type FormEvent } from "react";
import { passwordProblem } from "@/server/policy/passwords";
import { useTRPC } from "../trpc";
import { Button } from "../ui/button";
import { Card } from "../ui/card";

type Fields = Partial<Record<"currentPassword" | "newPassword" | "confirm", string>>;

/** Changes the password; every session ends (this one too), so the user signs in again with it. */
export function ChangePasswordForm({ email }: { email: string }) {
  const trpc = useTRPC();
  const [errors, setErrors] = useState<Fields & { form?: string }>({});
  const change = useMutation(
    trpc.session.changePassword.mutationOptions({
      onSuccess: () => void signOut({ callbackUrl: "/signin" }),
      onError: (e) => {
        // Field errors name the field (the strength rule, a wrong current password).
        const fields = (e.data?.fieldErrors ?? {}) as Record<string, string[] | undefined>;
        const named = Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, v?.[0]]));
        setErrors(Object.keys(named).length ? named : { form: e.message });
      },
    }),
  );

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const currentPassword = String(form.get("currentPassword") ?? "");
    const newPassword = String(form.get("newPassword") ?? "");
    // The same rule the server applies, checked here first so the field says why at once.
    const problems: Fields = {};
    const weak = passwordProblem(newPassword, email);
    if (weak) problems.newPassword = weak;
    if (form.get("confirm") !== newPassword) problems.confirm = "the two new passwords differ";
    if (!currentPassword) problems.currentPassword = "enter your current password";
    setErrors(problems);
    if (Object.keys(problems).length === 0) change.mutate({ currentPassword, newPassword });
  }

  const field = (name: keyof Fields, label: string, autoComplete: string) => (
    <label className="block text-sm">
      <span className="text-slate-700">{label}</span>
      <input
        name={name}
        type="password"
        autoComplete={autoComplete}
        aria-invalid={errors[name] ? true : undefined}
        className="mt-1 w-full rounded-md border border-slate-300 px-3 py-2"
      />
      {errors[name] && (
        <span role="alert" className="mt-1 block text-red-700" data-testid={`${name}-error`}>
          {errors[name]}
        </span>
      )}
    </label>
  );

  return (
    <Card title="Change password">
      <form onSubmit={onSubmit} className="max-w-sm space-y-3" data-testid="change-password">
        {field("currentPassword", "Current password", "current-password")}
        {field("newPassword", "New password (at least 12 characters)", "new-password")}
        {field("confirm", "New password again", "new-password")}
        {errors.form && (
          <p role="alert" className="text-sm text-red-700">
            {errors.form}
          </p>
        )}
        <p className="text-xs text-slate-500">Changing the password signs you out everywhere, this browser included.</p>
        <Button type="submit" variant="primary" disabled={change.isPending}>
          Change password
        </Button>
      </form>
    </Card>
  );
}
