"use client";
import { useQuery } from "@tanstack/react-query";
import { useSearchParams } from "next/navigation";
import { useEffect, useState, type FormEvent } from "react";
import { PERMISSIONS, type Permission } from "@/server/policy/permissions";
import { useTRPC } from "../trpc";
import { Button } from "../ui/button";
import { StateBadge } from "../ui/state-badge";

type Question = { userEmail: string; permission: Permission; vmId: string };

/** Where a denial row links to: the explain form with the question filled in (and asked). */
export function explainHref(question: { userEmail: string; vmId: string; permission: string }): string {
  const params = new URLSearchParams({ explainUser: question.userEmail, explainVm: question.vmId, explainPermission: question.permission });
  return `/operator?${params.toString()}#explain`;
}

const isPermission = (p: string | null): p is Permission => p !== null && (PERMISSIONS as readonly string[]).includes(p);

/**
 * "Could this user do this on this VM, and why not?" — asks each layer without acting. The user
 * and the VM are picked by name (search across every realm; each VM shows its organization),
 * the permission from the whole catalog; raw ids stay available under "Advanced". A link from a
 * denial (?explainUser=…&explainVm=…&explainPermission=…) fills the form in and asks at once.
 */
export function ExplainForm() {
  const trpc = useTRPC();
  const params = useSearchParams();
  const linked = params.get("explainUser") && params.get("explainVm") && isPermission(params.get("explainPermission")) ? params : null;
  const [userEmail, setUserEmail] = useState(linked?.get("explainUser") ?? "");
  const [vmId, setVmId] = useState(linked?.get("explainVm") ?? "");
  const [vmLabel, setVmLabel] = useState<string | null>(null);
  const [permission, setPermission] = useState<Permission>(isPermission(params.get("explainPermission")) ? (params.get("explainPermission") as Permission) : "vm.start");
  const [question, setQuestion] = useState<Question | null>(linked ? { userEmail, vmId, permission } : null);
  const answer = useQuery({ ...trpc.operator.explain.queryOptions(question!), enabled: question !== null, retry: false });

  // A new link (the page is already open): fill in and ask again.
  useEffect(() => {
    const user = params.get("explainUser");
    const vm = params.get("explainVm");
    const perm = params.get("explainPermission");
    if (!user || !vm || !isPermission(perm)) return;
    setUserEmail(user);
    setVmId(vm);
    setVmLabel(null);
    setPermission(perm);
    setQuestion({ userEmail: user, vmId: vm, permission: perm });
    document.getElementById("explain")?.scrollIntoView();
  }, [params]);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setQuestion({ userEmail: userEmail.trim(), permission, vmId: vmId.trim() });
  }

  return (
    <div className="space-y-4 text-sm" id="explain">
      <form onSubmit={onSubmit} className="grid grid-cols-1 gap-3 sm:grid-cols-4" data-testid="explain-form">
        <UserPicker value={userEmail} onChange={setUserEmail} />
        <VmPicker
          label={vmLabel}
          vmId={vmId}
          onPick={(vm) => {
            setVmId(vm.id);
            setVmLabel(`${vm.name} (${vm.org})`);
          }}
        />
        <select name="permission" aria-label="Permission" value={permission} onChange={(e) => setPermission(e.target.value as Permission)} className="rounded-md border border-slate-300 px-2 py-1.5">
          {PERMISSIONS.map((p) => (
            <option key={p}>{p}</option>
          ))}
        </select>
        <Button type="submit" variant="primary">
          Explain
        </Button>
        <details className="sm:col-span-4" data-testid="explain-advanced">
          <summary className="cursor-pointer text-slate-600">Advanced: VM by id</summary>
          <input
            name="vmId"
            aria-label="VM id"
            placeholder="VM id"
            value={vmId}
            onChange={(e) => {
              setVmId(e.target.value);
              setVmLabel(null);
            }}
            className="mt-2 w-full rounded-md border border-slate-300 px-3 py-1.5 font-mono sm:w-96"
          />
        </details>
      </form>
      {answer.error && (
        <p role="alert" className="text-red-700">
          {answer.error.message}
        </p>
      )}
      {answer.data && (
        <div data-testid="explain-answer" className="space-y-2">
          <p role="status" className={answer.data.allowed ? "text-emerald-800" : "text-red-800"}>{answer.data.answer}</p>
          <ul className="space-y-1">
            {answer.data.layers.map((l) => (
              <li key={l.layer} data-testid={`explain-layer-${l.layer}`}>
                <StateBadge state={l.allowed ? "succeeded" : "failed"} /> <span className="font-medium">{l.layer}</span>: {l.reason}
                {l.avc?.map((line) => (
                  <div key={line} className="break-all font-mono text-xs text-slate-600">
                    {line}
                  </div>
                ))}
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}

/** Typing searches users by name or email; picking one puts its email in the box (an email typed in full works too). */
function UserPicker({ value, onChange }: { value: string; onChange: (email: string) => void }) {
  const trpc = useTRPC();
  const [open, setOpen] = useState(false);
  const query = value.trim();
  const matches = useQuery({ ...trpc.operator.search.users.queryOptions({ query, limit: 8 }), enabled: open && query.length > 0 });
  return (
    <div className="relative">
      <input
        name="userEmail"
        aria-label="User (name or email)"
        placeholder="user: name or email"
        autoComplete="off"
        value={value}
        onChange={(e) => {
          onChange(e.target.value);
          setOpen(true);
        }}
        onBlur={() => setTimeout(() => setOpen(false), 150)}
        className="w-full rounded-md border border-slate-300 px-3 py-1.5"
      />
      {open && matches.data && matches.data.items.length > 0 && (
        <ul role="listbox" aria-label="Matching users" data-testid="explain-user-matches" className="absolute z-10 mt-1 w-full rounded-md border border-slate-200 bg-white shadow">
          {matches.data.items.map((u) => (
            <li key={u.id} role="option" aria-selected={false}>
              <button
                type="button"
                className="w-full px-3 py-1.5 text-left hover:bg-slate-100"
                onMouseDown={(e) => e.preventDefault()}
                onClick={() => {
                  onChange(u.email);
                  setOpen(false);
                }}
              >
                {u.name} <span className="text-xs text-slate-500">{u.email}</span>
                {u.isPlatformOperator && <span className="ml-1 text-xs text-amber-700">operator</span>}
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** Typing searches VMs by name in every realm; each match shows its organization, kind and host. */
function VmPicker({ label, vmId, onPick }: { label: string | null; vmId: string; onPick: (vm: { id: string; name: string; org: string }) => void }) {
  const trpc = useTRPC();
  const [text, setText] = useState("");
  const [open, setOpen] = useState(false);
  const query = text.trim();
  const matches = useQuery({ ...trpc.operator.search.vms.queryOptions({ query, limit: 8 }), enabled: open && query.length > 0 });
  return (
    <div className="relative">
      <input
        name="vmSearch"
        aria-label="VM (name)"
        placeholder="VM: name"
        autoComplete="off"
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          setOpen(true);
        }}
        onBlur={() => setTimeout(() => setOpen(false), 150)}
        className="w-full rounded-md border border-slate-300 px-3 py-1.5"
      />
      <div className="mt-1 truncate text-xs text-slate-500" data-testid="explain-vm-picked">
        {label ? `picked: ${label}` : vmId ? `VM id ${vmId}` : "no VM picked"}
      </div>
      {open && matches.data && matches.data.items.length > 0 && (
        <ul role="listbox" aria-label="Matching VMs" data-testid="explain-vm-matches" className="absolute z-10 mt-1 w-full rounded-md border border-slate-200 bg-white shadow">
          {matches.data.items.map((vm) => (
            <li key={vm.id} role="option" aria-selected={vm.id === vmId}>
              <button
                type="button"
                className="w-full px-3 py-1.5 text-left hover:bg-slate-100"
                onMouseDown={(e) => e.preventDefault()}
                onClick={() => {
                  onPick(vm);
                  setText(vm.name);
                  setOpen(false);
                }}
              >
                {vm.name} <span className="text-xs text-slate-500">{vm.org}</span>
                <span className="ml-1 text-xs text-slate-500">
                  {vm.kind === "management" ? "management VM" : vm.observedState}
                  {vm.host ? ` · ${vm.host}` : ""}
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
