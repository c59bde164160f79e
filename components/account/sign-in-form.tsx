"use client";
import { startAuthentication } from "@simplewebauthn/browser";
import { useMutation } from "@tanstack/react-query";
import { signIn } from "next-auth/react";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { useTRPC } from "../trpc";

/**
 * Two-step sign-in. Step 1 posts email + password to the credentials provider. A wrong password
 * answers "Wrong email or password." whether or not the account exists or has MFA; only after a
 * correct password does the server answer MfaRequired, and the form asks for the second factor
 * (a TOTP code, a recovery code, or a passkey), posting email + password + factor again.
 */

export function signInMessage(error: string | null | undefined): string | null {
  if (!error) return null;
  const [code, detail] = error.split(":");
  switch (code) {
    case "CredentialsSignin":
      return "Wrong email or password.";
    case "MfaReused":
      return "That code was already used. Wait for your app to show the next one (at most 30 seconds) and enter it.";
    case "MfaInvalid":
      return "That code is wrong or expired. Try the current code.";
    case "UnverifiedEmail":
      return "Your identity provider has not verified this email address, so it cannot sign you in to Realmgate. Verify the address with your provider, or sign in with your password.";
    case "NoAccount":
      return "No Realmgate account uses this email address. Accounts are created by invitation: ask your organization's owner.";
    case "TooManyAttempts":
      return `Too many attempts. Try again in ${Number(detail) || 60} seconds.`;
    case "no-realm":
      return "Your account is not a member of any organization yet.";
    case "SessionRequired":
      return null;
    default:
      return "Sign-in failed. Try again.";
  }
}

export function SignInForm({ sso, initialError }: { sso: { name: string } | null; initialError: string | null }) {
  const router = useRouter();
  const trpc = useTRPC();
  const [step, setStep] = useState<"password" | "second-factor">("password");
  const [credentials, setCredentials] = useState({ email: "", password: "" });
  const [error, setError] = useState<string | null>(signInMessage(initialError));
  const [busy, setBusy] = useState(false);
  const passkeyOptions = useMutation(trpc.mfa.passkey.signInOptions.mutationOptions());

  async function submit(extra: { code?: string; webauthn?: string }, creds = credentials) {
    setBusy(true);
    setError(null);
    const result = await signIn("credentials", { ...creds, ...extra, redirect: false });
    setBusy(false);
    if (result?.ok && !result.error) {
      router.push("/");
      router.refresh();
      return;
    }
    if (result?.error === "MfaRequired") return setStep("second-factor");
    setError(signInMessage(result?.error ?? "CredentialsSignin"));
  }

  function onPassword(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const creds = { email: String(form.get("email") ?? ""), password: String(form.get("password") ?? "") };
    setCredentials(creds);
    void submit({}, creds);
  }

  function onCode(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    void submit({ code: String(new FormData(event.currentTarget).get("code") ?? "").trim() });
  }

  async function onPasskey() {
    setError(null);
    try {
      const optionsJSON = await passkeyOptions.mutateAsync();
      const response = await startAuthentication({ optionsJSON });
      await submit({ webauthn: JSON.stringify(response) });
    } catch {
      setBusy(false);
      setError("The passkey did not answer. Try again, or use a code.");
    }
  }

  const alert = error && (
    <p role="alert" className="text-sm text-red-700">
      {error}
    </p>
  );

  if (step === "second-factor") {
    return (
      <form onSubmit={onCode} className="space-y-4 rounded-lg border border-slate-200 bg-white p-6 shadow-sm" data-testid="second-factor-form">
        <p className="text-sm text-slate-700">Two-factor authentication is on for this account.</p>
        <label className="block text-sm">
          <span className="text-slate-700">Authenticator code or recovery code</span>
          <input
            name="code"
            required
            autoFocus
            autoComplete="one-time-code"
            inputMode="text"
            className="mt-1 w-full rounded-md border border-slate-300 px-3 py-2 font-mono tracking-widest"
          />
        </label>
        {alert}
        <button type="submit" disabled={busy} className="w-full rounded-md bg-slate-900 px-3 py-2 text-white hover:bg-slate-800 disabled:opacity-60">
          {busy ? "Verifying…" : "Verify"}
        </button>
        <button
          type="button"
          onClick={() => void onPasskey()}
          disabled={busy}
          className="w-full rounded-md border border-slate-300 px-3 py-2 text-slate-800 hover:bg-slate-100 disabled:opacity-60"
        >
          Use a passkey
        </button>
        <button type="button" onClick={() => (setStep("password"), setError(null))} className="w-full text-sm text-slate-500 hover:text-slate-800">
          Start over
        </button>
      </form>
    );
  }

  return (
    <div className="space-y-4">
      <form onSubmit={onPassword} className="space-y-4 rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
        <label className="block text-sm">
          <span className="text-slate-700">Email</span>
          <input name="email" type="email" required autoComplete="username" className="mt-1 w-full rounded-md border border-slate-300 px-3 py-2" />
        </label>
        <label className="block text-sm">
          <span className="text-slate-700">Password</span>
          <input name="password" type="password" required autoComplete="current-password" className="mt-1 w-full rounded-md border border-slate-300 px-3 py-2" />
        </label>
        {alert}
        <button type="submit" disabled={busy} className="w-full rounded-md bg-slate-900 px-3 py-2 text-white hover:bg-slate-800 disabled:opacity-60">
          {busy ? "Signing in…" : "Sign in"}
        </button>
      </form>
      {sso && (
        <button
          type="button"
          onClick={() => void signIn("oidc", { callbackUrl: "/" })}
          className="w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-slate-800 hover:bg-slate-100"
        >
          Sign in with {sso.name}
        </button>
      )}
    </div>
  );
}
