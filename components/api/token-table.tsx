import type { ReactNode } from "react";
import { sayDate, sayDateTime } from "../ui/dates";

const STATUS_STYLE = {
  active: "bg-emerald-100 text-emerald-800",
  expired: "bg-slate-100 text-slate-700",
  revoked: "bg-red-100 text-red-800",
} as const;

export type TokenRow = {
  id: string;
  lookupId: string;
  name: string;
  owner: string;
  permissions: string[];
  allowedCidr: string | null;
  expiresAt: Date;
  lastUsedAt: Date | null;
  lastUsedAddress: string | null;
  status: keyof typeof STATUS_STYLE;
  revokeReason: string | null;
};

/**
 * API tokens as members and operators see them: only the public part (`rgt_<lookupId>_…`),
 * never the secret. The last column is the caller's action (a Revoke the server re-checks).
 */
export function TokenTable({
  tokens,
  ownerColumn,
  testId,
  rowTestId,
  action,
}: {
  tokens: TokenRow[];
  /** The owner column's heading, or none. */
  ownerColumn: string | null;
  testId: string;
  rowTestId: (token: TokenRow) => string;
  action: (token: TokenRow) => ReactNode;
}) {
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-sm [&_td]:pr-3 [&_th]:pr-3" data-testid={testId}>
        <thead className="text-left text-slate-500">
          <tr>
            <th scope="col" className="py-2 font-normal">Name</th>
            {ownerColumn && <th scope="col" className="font-normal">{ownerColumn}</th>}
            <th scope="col" className="font-normal">Token</th>
            <th scope="col" className="font-normal">Permissions</th>
            <th scope="col" className="font-normal">Expires</th>
            <th scope="col" className="font-normal">Last used</th>
            <th scope="col" className="font-normal">Status</th>
            <th scope="col" className="font-normal">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {tokens.map((t) => (
            <tr key={t.id} className="border-t border-slate-100 align-top" data-testid={rowTestId(t)}>
              <td className="py-2 font-medium text-slate-900">{t.name}</td>
              {ownerColumn && <td>{t.owner}</td>}
              <td className="font-mono text-xs whitespace-nowrap">rgt_{t.lookupId}_…</td>
              <td className="max-w-xs">
                <span className="font-mono text-xs">{t.permissions.join(", ")}</span>
                {t.allowedCidr && <span className="block text-xs text-slate-500">from {t.allowedCidr}</span>}
              </td>
              <td className="whitespace-nowrap text-slate-600">{sayDate(t.expiresAt)}</td>
              <td className="text-slate-600">
                {t.lastUsedAt ? (
                  <>
                    {sayDateTime(t.lastUsedAt)}
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
              <td className="text-right">{t.status === "active" && action(t)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
