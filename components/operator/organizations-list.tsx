"use client";
import { useInfiniteQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useTRPC } from "../trpc";
import { Card } from "../ui/card";
import { itemsOf, ShowMore } from "../ui/pages";
import { StateBadge } from "../ui/state-badge";
import { OrganizationsCreateForm } from "./organizations-create-form";
import { OrganizationStatus } from "./organizations-status";

/**
 * Every organization with its realm's lifecycle, newest first, 50 a page ("Show more" loads the
 * next); the pages loaded are refreshed every second while operators watch.
 */
export function OrganizationsList() {
  const trpc = useTRPC();
  const pages = useInfiniteQuery({
    ...trpc.operator.organizations.list.infiniteQueryOptions({ limit: 50 }, { getNextPageParam: (page) => page.nextCursor ?? undefined }),
    refetchInterval: 1_000,
  });
  const orgs = itemsOf(pages);
  return (
    <div className="space-y-6">
      <div className="flex items-baseline justify-between">
        <h1 className="text-2xl font-semibold">Organizations</h1>
        <Link href="/operator" className="text-sm text-slate-600 hover:text-slate-900">
          ← Platform
        </Link>
      </div>
      <Card title="Onboard an organization">
        <OrganizationsCreateForm />
      </Card>
      <Card title="All organizations">
        <table className="w-full text-sm" data-testid="orgs-table">
          <thead className="text-left text-slate-500">
            <tr>
              <th scope="col" className="py-2 font-normal">Organization</th>
              <th scope="col" className="font-normal">Status</th>
              <th scope="col" className="font-normal">Category</th>
              <th scope="col" className="font-normal">Management VM</th>
              <th scope="col" className="font-normal">Members</th>
              <th scope="col" className="font-normal">VMs</th>
            </tr>
          </thead>
          <tbody>
            {orgs?.map((o) => (
              <tr key={o.id} className="border-t border-slate-100" data-testid={`org-row-${o.slug}`}>
                <td className="py-2">
                  <Link
                    href={`/operator/organizations/${o.id}`}
                    className="font-medium underline-offset-2 hover:underline"
                  >
                    {o.name}
                  </Link>
                  <div className="font-mono text-xs text-slate-500">{o.slug}</div>
                </td>
                <td>
                  <OrganizationStatus status={o.status} />
                </td>
                <td className="font-mono text-xs">{o.category}</td>
                <td>{o.managementVm ? <StateBadge state={o.managementVm.state} /> : "—"}</td>
                <td>{o.memberCount}</td>
                <td>{o.vmCount}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {orgs?.length === 0 && <p className="py-2 text-sm text-slate-500">No organizations yet.</p>}
        <ShowMore query={pages} what="organizations" testId="orgs-more" />
      </Card>
    </div>
  );
}
