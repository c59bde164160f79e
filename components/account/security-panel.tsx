"use client";
import { startRegistration } from "@simplewebauthn/browser";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useTRPC } from "../trpc";
import { Button } from "../ui/button";
import { Card } from "../ui/card";
import { sayDate } from "../ui/dates";

/** The security page: authenticator app (TOTP), passkeys, recovery codes, the org's requirement. */
export function SecurityPanel() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const status = useQuery(trpc.mfa.status.queryOptions());
  const [recoveryCodes, setRecoveryCodes] = useState<string[] | null>(null);
  const refresh = () => void queryClient.invalidateQueries({ queryKey: trpc.mfa.pathKey() });

  if (status.isPending) return <p className="text-sm text-slate-500">Loading…</p>;
  if (status.isError) return <p role="alert" className="text-sm text-red-700">{status.error.message}</p>;
  const s = status.data;
  return (
    <div className="space-y-6">
      {recoveryCodes && <RecoveryCodes codes={recoveryCodes} onDone={() => setRecoveryCodes(null)} />}
      <TotpCard enabled={s.totpEnabled} onChange={refresh} onRecoveryCodes={setRecoveryCodes} />
      <PasskeysCard passkeys={s.passkeys} onChange={refresh} onRecoveryCodes={setRecoveryCodes} />
      {(s.totpEnabled || s.passkeys.length > 0) && (
        <RegenerateCard left={s.recoveryCodesLeft} onRecoveryCodes={setRecoveryCodes} onChange={refresh} />
      )}
      {s.org?.canManage && <OrgPolicyCard org={s.org} hasMfa={s.totpEnabled || s.passkeys.length > 0} onChange={refresh} />}
      {s.identities.length > 0 && (
        <Card title="Single sign-on">
          <ul className="text-sm text-slate-700">
            {s.identities.map((i) => (
              <li key={i.provider}>
                {i.provider} as {i.email}
              </li>
            ))}
          </ul>
        </Card>
      )}
    </div>
  );
}

function ErrorLine({ error }: { error: string | null }) {
  return error ? (
    <p role="alert" className="text-sm text-red-700">
      {error}
    </p>
  ) : null;
}

function RecoveryCodes({ codes, onDone }: { codes: string[]; onDone: () => void }) {
  return (
    <Card title="Your recovery codes">
      <p className="mb-3 text-sm text-slate-700">
        Each code signs you in once if you lose your authenticator. They are shown only now: store them somewhere safe.
      </p>
      <ul className="grid grid-cols-2 gap-1 font-mono text-sm" data-testid="recovery-codes">
        {codes.map((code) => (
          <li key={code}>{code}</li>
        ))}
      </ul>
      <Button className="mt-4" onClick={onDone}>
        I have saved them
      </Button>
    </Card>
  );
}

function ReauthFields() {
  return (
    <div className="flex flex-wrap gap-2">
      <input name="code" aria-label="Current authenticator code" placeholder="current code" autoComplete="one-time-code" className="w-36 rounded-md border border-slate-300 px-2 py-1.5 text-sm" />
      <input name="password" type="password" aria-label="Or your password" placeholder="or password" autoComplete="current-password" className="w-44 rounded-md border border-slate-300 px-2 py-1.5 text-sm" />
    </div>
  );
}

function reauthOf(form: HTMLFormElement) {
  const data = new FormData(form);
  const code = String(data.get("code") ?? "").trim();
  const password = String(data.get("password") ?? "");
  return { ...(code ? { code } : {}), ...(password ? { password } : {}) };
}

function TotpCard({ enabled, onChange, onRecoveryCodes }: { enabled: boolean; onChange: () => void; onRecoveryCodes: (codes: string[]) => void }) {
  const trpc = useTRPC();
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState<{ secret: string; uri: string } | null>(null);
  const begin = useMutation(trpc.mfa.totp.begin.mutationOptions({ onSuccess: (p) => (setPending(p), setError(null)), onError: (e) => setError(e.message) }));
  const confirm = useMutation(
    trpc.mfa.totp.confirm.mutationOptions({
      onSuccess: ({ recoveryCodes }) => (setPending(null), setError(null), onRecoveryCodes(recoveryCodes), onChange()),
      onError: (e) => setError(e.message),
    }),
  );
  const remove = useMutation(trpc.mfa.totp.remove.mutationOptions({ onSuccess: () => (setError(null), onChange()), onError: (e) => setError(e.message) }));

  if (enabled) {
    return (
      <Card title="Authenticator app">
        <p className="mb-3 text-sm text-green-800" data-testid="totp-enabled">
          On: sign-in asks for a code from your authenticator app.
        </p>
        <form
          className="flex flex-wrap items-center gap-2"
          onSubmit={(event: FormEvent<HTMLFormElement>) => (event.preventDefault(), remove.mutate(reauthOf(event.currentTarget)))}
        >
          <ReauthFields />
          <Button type="submit" variant="danger" disabled={remove.isPending}>
            Remove authenticator
          </Button>
        </form>
        <ErrorLine error={error} />
      </Card>
    );
  }
  return (
    <Card title="Authenticator app">
      {!pending ? (
        <>
          <p className="mb-3 text-sm text-slate-700">Off. Add an authenticator app (TOTP) as a second factor.</p>
          <Button variant="primary" onClick={() => begin.mutate()} disabled={begin.isPending}>
            Set up authenticator app
          </Button>
        </>
      ) : (
        <form
          className="space-y-3 text-sm"
          onSubmit={(event: FormEvent<HTMLFormElement>) => {
            event.preventDefault();
            confirm.mutate({ code: String(new FormData(event.currentTarget).get("totp") ?? "").trim() });
          }}
        >
          <p className="text-slate-700">Add this account to your authenticator app, with the link or the secret, then enter the code it shows.</p>
          <p>
            <a href={pending.uri} className="break-all text-blue-700 underline" data-testid="totp-uri">
              {pending.uri}
            </a>
          </p>
          <p>
            Secret: <code data-testid="totp-secret">{pending.secret}</code>
          </p>
          <div className="flex gap-2">
            <input name="totp" aria-label="Code from your authenticator app" required inputMode="numeric" autoComplete="one-time-code" placeholder="123456" className="w-32 rounded-md border border-slate-300 px-2 py-1.5" />
            <Button type="submit" variant="primary" disabled={confirm.isPending}>
              Confirm
            </Button>
          </div>
        </form>
      )}
      <ErrorLine error={error} />
    </Card>
  );
}

function PasskeysCard({
  passkeys,
  onChange,
  onRecoveryCodes,
}: {
  passkeys: { id: string; name: string; createdAt: Date; lastUsedAt: Date | null }[];
  onChange: () => void;
  onRecoveryCodes: (codes: string[]) => void;
}) {
  const trpc = useTRPC();
  const [error, setError] = useState<string | null>(null);
  const options = useMutation(trpc.mfa.passkey.registrationOptions.mutationOptions());
  const register = useMutation(trpc.mfa.passkey.register.mutationOptions());
  const remove = useMutation(trpc.mfa.passkey.remove.mutationOptions({ onSuccess: () => (setError(null), onChange()), onError: (e) => setError(e.message) }));

  async function onAdd(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const name = String(new FormData(event.currentTarget).get("name") ?? "").trim() || "Passkey";
    setError(null);
    try {
      const optionsJSON = await options.mutateAsync();
      const response = await startRegistration({ optionsJSON });
      const result = await register.mutateAsync({ name, response: response as unknown as Record<string, unknown> });
      if (result.recoveryCodes) onRecoveryCodes(result.recoveryCodes);
      onChange();
    } catch (e) {
      setError(e instanceof Error ? e.message : "the passkey was not added");
    }
  }

  return (
    <Card title="Passkeys">
      <ul className="mb-3 space-y-2 text-sm" data-testid="passkeys">
        {passkeys.length === 0 && <li className="text-slate-500">No passkeys yet.</li>}
        {passkeys.map((p) => (
          <li key={p.id} className="flex flex-wrap items-center justify-between gap-2">
            <span>
              {p.name} <span className="text-slate-500">· added {sayDate(new Date(p.createdAt))}</span>
            </span>
            <form
              className="flex items-center gap-2"
              onSubmit={(event: FormEvent<HTMLFormElement>) => (event.preventDefault(), remove.mutate({ id: p.id, ...reauthOf(event.currentTarget) }))}
            >
              <ReauthFields />
              <Button type="submit" variant="danger" disabled={remove.isPending}>
                Remove
              </Button>
            </form>
          </li>
        ))}
      </ul>
      <form className="flex gap-2" onSubmit={(event) => void onAdd(event)}>
        <input name="name" aria-label="Passkey name" placeholder="name, e.g. laptop" maxLength={64} className="rounded-md border border-slate-300 px-2 py-1.5 text-sm" />
        <Button type="submit" variant="primary" disabled={options.isPending || register.isPending}>
          Add a passkey
        </Button>
      </form>
      <ErrorLine error={error} />
    </Card>
  );
}

function RegenerateCard({ left, onRecoveryCodes, onChange }: { left: number; onRecoveryCodes: (codes: string[]) => void; onChange: () => void }) {
  const trpc = useTRPC();
  const [error, setError] = useState<string | null>(null);
  const regenerate = useMutation(
    trpc.mfa.totp.regenerateRecoveryCodes.mutationOptions({
      onSuccess: ({ recoveryCodes }) => (setError(null), onRecoveryCodes(recoveryCodes), onChange()),
      onError: (e) => setError(e.message),
    }),
  );
  return (
    <Card title="Recovery codes">
      <p className="mb-3 text-sm text-slate-700" data-testid="recovery-codes-left">
        {left} unused recovery codes left.
      </p>
      <form
        className="flex flex-wrap items-center gap-2"
        onSubmit={(event: FormEvent<HTMLFormElement>) => (event.preventDefault(), regenerate.mutate(reauthOf(event.currentTarget)))}
      >
        <ReauthFields />
        <Button type="submit" disabled={regenerate.isPending}>
          New recovery codes
        </Button>
      </form>
      <ErrorLine error={error} />
    </Card>
  );
}

function OrgPolicyCard({ org, hasMfa, onChange }: { org: { name: string; requireMfa: boolean }; hasMfa: boolean; onChange: () => void }) {
  const trpc = useTRPC();
  const [error, setError] = useState<string | null>(null);
  const set = useMutation(trpc.mfa.setOrgRequirement.mutationOptions({ onSuccess: () => (setError(null), onChange()), onError: (e) => setError(e.message) }));
  return (
    <Card title={`${org.name}: two-factor policy`}>
      <label className="flex items-center gap-2 text-sm">
        <input
          type="checkbox"
          name="requireMfa"
          checked={org.requireMfa}
          disabled={set.isPending || (!org.requireMfa && !hasMfa)}
          onChange={(event) => set.mutate({ requireMfa: event.currentTarget.checked })}
        />
        Require two-factor authentication for every member
      </label>
      {!org.requireMfa && !hasMfa && <p className="mt-2 text-sm text-slate-500">Set up a second factor for yourself first.</p>}
      <ErrorLine error={error} />
    </Card>
  );
}
