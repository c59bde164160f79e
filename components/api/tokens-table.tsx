"use client";
import { useMutation, useQuery } from "@tanstack/react-query";
import { useTRPC } from "../trpc";
import { Button } from "../ui/button";
import { useMutationFeedback } from "../ui/use-mutation-feedback";

const STATUS_STYLE = {
  active: "bg-emerald-100 text-emerald-800",
  expired: "bg-slate-100 text-slate-700",
  revoked: "bg-red-100 text-red-800",
} as const;

/**
 * API tokens with a Revoke (confirmed): the caller's own, or with `all` (owners,
 * realm.tokens.manage) every member's, with an Owner column. The server decides who may revoke
 * what; the list shows only the public part of a token (`rgt_<lookupId>_…`).
 */
export function TokensTable({ all }: { all: boolean }) {
  const trpc = useTRPC();
  const tokens = useQuery(trpc.token.list.queryOptions({ all }));
  const { error, options } = useMutationFeedback([trpc.token.list.pathKey()]);
  const revoke = useMutation(trpc.token.revoke.mutationOptions(options));
  const testId = all ? "all-tokens-table" : "tokens-table";
  if (tokens.error) return <p className="text-sm text-red-700">Could not load tokens: {tokens.error.message}</p>;
  if (!tokens.data) return <p className="text-sm text-slate-500">Loading…</p>;
  if (tokens.data.length === 0) return <p className="text-sm text-slate-500" data-testid={`${testId}-empty`}>{all ? "No member has an API token." : "You have no API tokens yet."}</p>;
  return (
    <div className="space-y-2">
      {error && (
        <p role="alert" className="text-sm text-red-700">
          {error}
        </p>
      )}
      <div className="overflow-x-auto">
        <table className="w-full text-sm [&_td]:pr-3 [&_th]:pr-3" data-testid={testId}>
          <thead className="text-left text-slate-500">
            <tr>
              <th className="py-2 font-normal">Name</th>
              {all && <th className="font-normal">Owner</th>}
              <th className="font-normal">Token</th>
              <th className="font-normal">Permissions</th>
              <th className="font-normal">Expires</th>
              <th className="font-normal">Last used</th>
              <th className="font-normal">Status</th>
              <th className="font-normal">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {tokens.data.map((t) => (
              <tr key={t.id} className="border-t border-slate-100 align-top" data-testid={`token-row-${t.name}`}>
                <td className="py-2 font-medium text-slate-900">{t.name}</td>
                {all && <td>{t.owner}</td>}
                <td className="font-mono text-xs whitespace-nowrap">rgt_{t.lookupId}_…</td>
                <td className="max-w-xs">
                  <span className="font-mono text-xs">{t.permissions.join(", ")}</span>
                  {t.allowedCidr && <span className="block text-xs text-slate-500">from {t.allowedCidr}</span>}
                </td>
                <td className="whitespace-nowrap text-slate-600">{t.expiresAt.toLocaleDateString()}</td>
                <td className="text-slate-600">
                  {t.lastUsedAt ? (
                    <>
                      {t.lastUsedAt.toLocaleString()}
                      {t.lastUsedAddress && <span className="block font-mono text-xs">{t.lastUsedAddress}</span>}
                    </>
                  ) : (
                    "never"
                  )}
                </td>
                <td>
                  <span className={`rounded px-2 py-0.5 text-xs font-medium ${STATUS_STYLE[t.status]}`} data-testid={`token-status-${t.name}`} title={t.revokeReason ?? undefined}>
                    {t.status}
                  </span>
                </td>
                <td className="text-right">
                  {t.status === "active" && (
                    <Button
                      variant="danger"
                      disabled={revoke.isPending}
                      aria-label={`Revoke ${t.name}${all ? ` of ${t.owner}` : ""}`}
                      onClick={() => {
                        const whose = all ? ` (${t.owner})` : "";
                        if (window.confirm(`Revoke the token “${t.name}”${whose}? Anything using it stops working at once.`)) revoke.mutate({ tokenId: t.id });
                      }}
                    >
                      Revoke
                    </Button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
