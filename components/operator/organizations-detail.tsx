"use client";
import { useMutation, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { InviteOwnerForm } from "@/components/people/invite-owner-form";
import { useTRPC } from "../trpc";
import { Button } from "../ui/button";
import { Card } from "../ui/card";
import { StateBadge } from "../ui/state-badge";
import { useMutationFeedback } from "../ui/use-mutation-feedback";
import { OrganizationTokens } from "./organization-tokens";
import { OrganizationStatus } from "./organizations-status";

/**
 * One organization's lifecycle, live (polled every second): onboarding progress, a Retry when
 * its management VM failed, the first owner's invitation once ready, and offboarding with a
 * two-step confirmation (type the slug).
 */
export function OrganizationsDetail({ orgId }: { orgId: string }) {
  const trpc = useTRPC();
  const org = useQuery({ ...trpc.operator.organizations.get.queryOptions({ orgId }), refetchInterval: 1_000 });
  const { error, options: done } = useMutationFeedback([trpc.operator.organizations.pathKey()]);
  const retry = useMutation(trpc.operator.organizations.retry.mutationOptions(done));
  const o = org.data;
  if (!o) return <p className="text-sm text-slate-500">Loading…</p>;
  const mgmt = o.managementVm;
  const steps = [
    { label: `Category pair ${o.category} allocated`, done: true },
    { label: `Management VM placed${mgmt?.host ? ` on ${mgmt.host}` : ""}`, done: Boolean(mgmt?.host) },
    { label: "Management VM built", done: Boolean(mgmt && !["creating", "failed"].includes(mgmt.state)) },
    { label: "Management domain running", done: o.readyAt !== null },
  ];
  const isOffboarding = o.status === "decommissioning" || o.status === "decommissioned";
  return (
    <div className="space-y-6">
      <div className="flex items-baseline justify-between">
        <h1 className="text-2xl font-semibold">
          {o.name} <span className="font-mono text-base text-slate-500">{o.slug}</span>
        </h1>
        <Link href="/operator/organizations" className="text-sm text-slate-600 hover:text-slate-900">
          ← Organizations
        </Link>
      </div>
      <Card title="Realm" actions={<OrganizationStatus status={o.status} testId="org-status" />}>
        <dl className="grid grid-cols-2 gap-x-6 gap-y-2 text-sm sm:grid-cols-4">
          <dt className="text-slate-500">Category</dt>
          <dd className="font-mono">{o.category}</dd>
          <dt className="text-slate-500">Members</dt>
          <dd data-testid="org-members">{o.memberCount}</dd>
          <dt className="text-slate-500">Management VM</dt>
          <dd>{mgmt ? <StateBadge state={mgmt.state} testId="org-mgmt-state" /> : "—"}</dd>
          <dt className="text-slate-500">VMs left</dt>
          <dd>{o.vmCount}</dd>
        </dl>
        {!isOffboarding && (
          <ol className="mt-4 space-y-1 text-sm" data-testid="org-progress">
            {steps.map((s) => (
              <li key={s.label} className={s.done ? "text-emerald-700" : "text-slate-500"}>
                {s.done ? "✓" : "…"} {s.label}
              </li>
            ))}
          </ol>
        )}
        {o.status === "failed" && (
          <div
            className="mt-4 rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-800"
            data-testid="org-failed"
          >
            <p>{o.statusReason}</p>
            <Button className="mt-2" onClick={() => retry.mutate({ orgId })} disabled={retry.isPending}>
              Retry
            </Button>
          </div>
        )}
        {o.status === "decommissioning" && (
          <p className="mt-4 text-sm text-amber-800">
            Members&apos; access has ended; {o.vmCount} VMs are being destroyed.
          </p>
        )}
        {o.status === "decommissioned" && (
          <p className="mt-4 text-sm text-slate-600" data-testid="org-decommissioned">
            Decommissioned {o.decommissionedAt?.toLocaleString()}; category pair {o.category} is retired forever.
          </p>
        )}
        {error && (
          <p role="alert" className="mt-2 text-sm text-red-700">
            {error}
          </p>
        )}
      </Card>
      {o.status === "ready" && (
        <Card title="Invite the first owner">
          <InviteOwnerForm orgId={o.id} />
        </Card>
      )}
      {!isOffboarding && <DecommissionPanel orgId={o.id} slug={o.slug} name={o.name} />}
      <OrganizationTokens orgId={o.id} />
      <Card title="Audit trail">
        <p className="mb-2 text-sm text-slate-600">
          The latest 30 records.{" "}
          <a href={`/api/operator/organizations/${o.id}/audit`} className="text-blue-700 underline" data-testid="org-audit-export">
            Export the whole trail (NDJSON)
          </a>
        </p>
        <table className="w-full text-sm" data-testid="org-audit">
          <tbody>
            {o.audit.map((a) => (
              <tr key={a.id} className="border-t border-slate-100">
                <td className="py-1.5 pr-3 whitespace-nowrap text-slate-500">{a.createdAt.toLocaleTimeString()}</td>
                <td className="pr-3 font-mono text-xs">{a.action}</td>
                <td className="pr-3 text-xs">{a.layer}</td>
                <td>{a.reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Card>
    </div>
  );
}

/** Two steps: ask, then type the slug; the button stays disabled until it matches. */
function DecommissionPanel({ orgId, slug, name }: { orgId: string; slug: string; name: string }) {
  const trpc = useTRPC();
  const [isConfirming, setConfirming] = useState(false);
  const [typed, setTyped] = useState("");
  const { error, options: done } = useMutationFeedback([trpc.operator.organizations.pathKey()]);
  const decommission = useMutation(trpc.operator.organizations.decommission.mutationOptions(done));
  return (
    <Card title="Offboarding">
      {!isConfirming ? (
        <div className="space-y-2 text-sm">
          <p className="text-slate-600">
            Decommissioning ends every member&apos;s access at once, destroys every VM, disk and network, and retires
            the category pair forever. The audit trail is kept.
          </p>
          <Button variant="danger" onClick={() => setConfirming(true)}>
            Decommission…
          </Button>
        </div>
      ) : (
        <form
          className="space-y-2 text-sm"
          data-testid="decommission-form"
          onSubmit={(e) => {
            e.preventDefault();
            decommission.mutate({ orgId, confirmSlug: typed });
          }}
        >
          <label className="block space-y-1">
            <span className="text-slate-700">
              Type <span className="font-mono font-semibold">{slug}</span> to decommission {name}
            </span>
            <input
              name="confirmSlug"
              value={typed}
              onChange={(e) => setTyped(e.target.value)}
              autoComplete="off"
              className="w-full max-w-sm rounded-md border border-slate-300 px-3 py-1.5 font-mono"
            />
          </label>
          <div className="flex gap-2">
            <Button type="submit" variant="danger" disabled={typed !== slug || decommission.isPending}>
              Decommission {name}
            </Button>
            <Button onClick={() => setConfirming(false)}>Cancel</Button>
          </div>
          {error && (
            <p role="alert" className="text-red-700">
              {error}
            </p>
          )}
        </form>
      )}
    </Card>
  );
}
