"use client";
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "../trpc";
import { Card } from "../ui/card";
import { ApiExamples } from "./api-examples";
import { CreateTokenForm } from "./create-token-form";
import { TokensTable } from "./tokens-table";

/**
 * /realm/api: the member's API tokens (create, list, revoke), every member's for owners
 * (realm.tokens.manage), and how to call the API. The server decides all of it; the page offers
 * only the permissions the member's role holds.
 */
export function ApiPanel({ origin }: { origin: string }) {
  const trpc = useTRPC();
  const realm = useQuery(trpc.realm.get.queryOptions());
  if (realm.error) return <p className="text-sm text-red-700">Could not load the realm: {realm.error.message}</p>;
  if (!realm.data) return <p className="text-sm text-slate-500">Loading…</p>;
  const { permissions, org } = realm.data;
  const canManageAll = permissions.includes("realm.tokens.manage");
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold text-slate-900">API</h1>
        <p className="text-sm text-slate-600">
          API tokens let scripts and the CLI act in {org.name} with some of your permissions, until they expire or are revoked.
        </p>
      </div>
      <Card title="Create a token">
        <CreateTokenForm key={org.slug} grantable={permissions} />
      </Card>
      <Card title="Your tokens">
        <TokensTable all={false} />
      </Card>
      {canManageAll && (
        <Card title="All members' tokens">
          <TokensTable all />
        </Card>
      )}
      <Card title="Use the API">
        <ApiExamples origin={origin} orgName={org.name} />
      </Card>
    </div>
  );
}
