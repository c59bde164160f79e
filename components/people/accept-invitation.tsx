"use client";
import { useMutation } from "@tanstack/react-query";
import { signIn } from "next-auth/react";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { passwordProblem } from "@/server/policy/passwords";
import { orgHref } from "@/server/edge/realm-selection";
import { useTRPC } from "../trpc";
import { Button } from "../ui/button";

type Fields = Partial<Record<"name" | "password" | "confirm" | "form", string>>;

/**
 * Accepting an invitation. A new person chooses a name and a password (the strength rule of a
 * password change: at least 12 characters, not the email), gets the account and the
 * membership, and is signed in; a signed-in person accepts with one click.
 */
export function AcceptInvitation({ token, email, mode }: { token: string; email: string; mode: "new-account" | "signed-in" }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [errors, setErrors] = useState<Fields>({});
  const [busy, setBusy] = useState(false);
  const accept = useMutation(trpc.invitation.accept.mutationOptions());

  async function run(input: { name?: string; password?: string }) {
    setBusy(true);
    setErrors({});
    try {
      const joined = await accept.mutateAsync({ token, ...input });
      if (input.password) {
        const result = await signIn("credentials", { email, password: input.password, redirect: false });
        // Signing in can still fail (a throttle, the organization requiring MFA at sign-in):
        // the account exists, so the sign-in page takes over.
        if (!result?.ok || result.error) return router.push("/signin");
      }
      router.push(orgHref("/realm", joined.orgSlug));
      router.refresh();
    } catch (error) {
      const e = error as { message?: string; data?: { fieldErrors?: Record<string, string[] | undefined> } };
      const fields = e.data?.fieldErrors ?? {};
      setErrors(fields.name || fields.password ? { name: fields.name?.[0], password: fields.password?.[0] } : { form: e.message ?? "something went wrong; try again" });
      setBusy(false);
    }
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const name = String(form.get("name") ?? "").trim();
    const password = String(form.get("password") ?? "");
    const problems: Fields = {};
    if (!name) problems.name = "enter your name";
    const weak = passwordProblem(password, email);
    if (weak) problems.password = weak;
    if (form.get("confirm") !== password) problems.confirm = "the two passwords differ";
    setErrors(problems);
    if (Object.keys(problems).length === 0) void run({ name, password });
  }

  const formError = errors.form && (
    <p role="alert" className="text-sm text-red-700" data-testid="accept-error">
      {errors.form}
    </p>
  );

  if (mode === "signed-in") {
    return (
      <div className="space-y-3">
        <Button variant="primary" onClick={() => void run({})} disabled={busy}>
          {busy ? "Joining…" : "Accept invitation"}
        </Button>
        {formError}
      </div>
    );
  }

  const field = (name: "name" | "password" | "confirm", label: string, type: string, autoComplete: string) => (
    <label className="block text-sm">
      <span className="text-slate-700">{label}</span>
      <input
        name={name}
        type={type}
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
    <form onSubmit={onSubmit} className="space-y-3" data-testid="accept-invitation">
      <label className="block text-sm">
        <span className="text-slate-700">Email</span>
        <input value={email} readOnly className="mt-1 w-full rounded-md border border-slate-200 bg-slate-50 px-3 py-2 text-slate-600" />
      </label>
      {field("name", "Your name", "text", "name")}
      {field("password", "Choose a password (at least 12 characters)", "password", "new-password")}
      {field("confirm", "Password again", "password", "new-password")}
      {formError}
      <Button type="submit" variant="primary" disabled={busy} className="w-full py-2">
        {busy ? "Creating your account…" : "Create account and join"}
      </Button>
    </form>
  );
}
