"use client";
import { useQuery } from "@tanstack/react-query";
import { ROLE_DESCRIPTIONS } from "@/server/policy/people";
import { useTRPC } from "../trpc";
import { Card } from "../ui/card";
import { StateBadge } from "../ui/state-badge";
import { CreateVmForm } from "../vm/create-vm-form";
import { RoleNotice } from "../vm/role-notice";
import { VmTable } from "../vm/vm-table";
import { AuditTrailCard } from "./audit-trail";
import { QuotaUsage } from "./quota-usage";
import { StorageNetworks } from "./storage-networks";
import { NetworkRules } from "./network-rules";
import { Agreements } from "./agreements";
import { useLiveUpdates } from "./use-live-updates";

export function RealmDashboard() {
  const trpc = useTRPC();
  const realm = useQuery(trpc.realm.get.queryOptions());
  const { connected } = useLiveUpdates();
  if (!realm.data) return <p className="text-slate-500">Loading realm…</p>;
  const r = realm.data;
  const canManage = r.role === "owner" || r.role === "admin";
  return (
    <div className="space-y-6">
      <div className="flex items-end justify-between">
        <div>
          <h1 className="text-2xl font-semibold" data-testid="realm-title">
            {r.org.name}
          </h1>
          <p className="text-sm text-slate-500">
            Management realm · your role:{" "}
            <span title={ROLE_DESCRIPTIONS[r.role].description} data-testid="realm-role">
              {ROLE_DESCRIPTIONS[r.role].label}
            </span>
          </p>
        </div>
        <span className={`text-xs ${connected ? "text-emerald-700" : "text-slate-500"}`} data-testid="live-status">
          {connected ? "● live" : "○ connecting"}
        </span>
      </div>
      <RoleNotice />
      <Card title="Realm boundary">
        <dl className="grid grid-cols-1 gap-4 text-sm sm:grid-cols-3">
          <div>
            <dt className="text-slate-500">Category</dt>
            <dd className="font-mono" data-testid="realm-category">
              {r.category}
            </dd>
          </div>
          <div>
            <dt className="text-slate-500">Management VM label</dt>
            <dd className="break-all font-mono text-xs">{r.managementLabel}</dd>
          </div>
          <div>
            <dt className="text-slate-500">Management VM</dt>
            <dd data-testid="mgmt-vm">
              {r.managementVm ? (
                <>
                  <StateBadge state={r.managementVm.observedState} testId="mgmt-vm-state" /> on{" "}
                  {r.managementVm.host?.name ?? "—"}
                  {r.managementVm.domid !== null && <span className="text-slate-500"> (domid {r.managementVm.domid})</span>}
                </>
              ) : (
                "not provisioned"
              )}
            </dd>
          </div>
        </dl>
      </Card>
      <Card title="Quota">
        <QuotaUsage />
      </Card>
      <Card title="Virtual machines">
        <VmTable />
      </Card>
      {canManage && (
        <Card title="Create a VM">
          <CreateVmForm />
        </Card>
      )}
      <Card title="Disks and networks">
        <StorageNetworks />
      </Card>
      <Card title="NDVM networks and network rules">
        <NetworkRules />
      </Card>
      <Card title="Sharing agreements with other realms">
        <Agreements />
      </Card>
      <Card title="Audit trail">
        <AuditTrailCard />
      </Card>
    </div>
  );
}
