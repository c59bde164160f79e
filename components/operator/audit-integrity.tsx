"use client";
import { useMutation, useQuery } from "@tanstack/react-query";
import { useTRPC } from "../trpc";
import { OperatorPageHeader } from "./page-header";
import { Button } from "../ui/button";
import { Card } from "../ui/card";

/**
 * The audit trail's integrity (server/audit-chain): verify every chain (each realm's and the
 * platform's own) against the signed checkpoints and see each chain's first bad record, sign a
 * checkpoint now, and copy the public key anyone can verify checkpoints with.
 */
export function AuditIntegrity() {
  const trpc = useTRPC();
  const key = useQuery(trpc.operator.audit.publicKey.queryOptions({}));
  // Verification reads every record: run on request, never in the background.
  const report = useQuery({ ...trpc.operator.audit.verify.queryOptions({}), enabled: false, retry: false });
  const checkpoint = useMutation(trpc.operator.audit.checkpoint.mutationOptions());
  const data = report.data;
  const bad = data?.chains.filter((c) => !c.ok) ?? [];

  return (
    <div className="space-y-6">
      <OperatorPageHeader title="Audit integrity" />
      <p className="text-sm text-slate-600">
        Every audit record carries a MAC under a key the database never holds, and the worker seals each realm&apos;s
        records (and the platform&apos;s own) into a hash chain. Signed checkpoints of the chains&apos; heads are kept
        outside the database. Verifying names the first record of each chain that was edited, deleted, inserted,
        swapped, truncated or rewritten.
      </p>
      <Card
        title="Verify the trail"
        actions={
          <div className="flex gap-2">
            <Button
              type="button"
              variant="primary"
              onClick={() => void report.refetch()}
              disabled={report.isFetching}
              data-testid="audit-verify"
            >
              {report.isFetching ? "Verifying…" : "Verify every chain"}
            </Button>
            <Button
              type="button"
              variant="secondary"
              onClick={() => checkpoint.mutate({})}
              disabled={checkpoint.isPending}
              data-testid="audit-checkpoint"
            >
              Sign a checkpoint now
            </Button>
          </div>
        }
      >
        <div aria-live="polite" className="space-y-3 text-sm">
          {checkpoint.data && (
            <p data-testid="audit-checkpoint-result">
              Signed checkpoint <span className="font-mono">{checkpoint.data.name}</span> of {checkpoint.data.chains}{" "}
              chains.
            </p>
          )}
          {checkpoint.isError && (
            <p className="text-red-700">Could not sign a checkpoint: {checkpoint.error.message}</p>
          )}
          {report.isError && <p className="text-red-700">Could not verify: {report.error.message}</p>}
          {!data && !report.isFetching && <p className="text-slate-600">Not verified yet in this page.</p>}
          {data && (
            <>
              <p
                className={data.ok ? "font-medium text-emerald-700" : "font-medium text-red-700"}
                data-testid="audit-verdict"
              >
                {data.ok
                  ? `All ${data.chains.length} chains verified: ${data.chains.reduce((n, c) => n + c.recordsVerified, 0).toLocaleString("en")} records.`
                  : `${bad.length} of ${data.chains.length} chains fail verification.`}
              </p>
              <p className="text-slate-600">
                {data.checkpoints.valid} signed checkpoints valid
                {data.checkpoints.invalid.length > 0
                  ? `, ${data.checkpoints.invalid.length} invalid (ignored)`
                  : ""}. {data.note}
              </p>
              {data.checkpoints.invalid.length > 0 && (
                <ul className="list-disc pl-5 text-red-700">
                  {data.checkpoints.invalid.map((c) => (
                    <li key={c.name}>
                      <span className="font-mono">{c.name}</span>: {c.reason}
                    </li>
                  ))}
                </ul>
              )}
              <table className="w-full" data-testid="audit-chains">
                <thead className="text-left text-slate-500">
                  <tr>
                    <th scope="col" className="py-1 font-normal">Chain</th>
                    <th scope="col" className="font-normal">Verdict</th>
                    <th scope="col" className="font-normal">Records</th>
                    <th scope="col" className="font-normal">Head</th>
                    <th scope="col" className="font-normal">Last checkpoint</th>
                    <th scope="col" className="font-normal">First bad record</th>
                  </tr>
                </thead>
                <tbody>
                  {[...bad, ...data.chains.filter((c) => c.ok)].map((c) => (
                    <tr key={c.realmId ?? "platform"} className="border-t border-slate-100 align-top">
                      <td className="py-1">{c.realmId === null ? "Platform" : (c.org ?? c.realmId)}</td>
                      <td className={c.ok ? "text-emerald-700" : "font-medium text-red-700"}>
                        {c.ok ? "verified" : "FAILS"}
                      </td>
                      <td>
                        {c.recordsVerified.toLocaleString("en")}
                        {c.legacyRecords > 0 ? ` (${c.legacyRecords} from before record MACs)` : ""}
                      </td>
                      <td>#{c.headSeq}</td>
                      <td>{c.checkpointSeq === null ? "none yet" : `#${c.checkpointSeq}`}</td>
                      <td>
                        {c.firstBad ? (
                          <span>
                            <strong>{c.firstBad.kind}</strong>
                            {c.firstBad.seq !== null ? ` at #${c.firstBad.seq}` : ""}
                            {c.firstBad.eventId !== null ? ` (event ${c.firstBad.eventId})` : ""}: {c.firstBad.detail}
                          </span>
                        ) : (
                          "–"
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
              {data.targetRealms && (
                // The operators-only target realms of cross-realm attempts, against the seals their events carry.
                <div className="mt-3 text-sm" data-testid="audit-target-realms">
                  <p className={data.targetRealms.problems.length === 0 ? "text-slate-600" : "font-medium text-red-700"}>
                    Target realms of cross-realm attempts: {data.targetRealms.checked.toLocaleString("en")} checked
                    {data.targetRealms.legacy > 0 ? `, ${data.targetRealms.legacy} from before they were sealed` : ""}
                    {data.targetRealms.problems.length === 0 ? ", all match their seals." : `, ${data.targetRealms.problems.length} FAIL:`}
                  </p>
                  {data.targetRealms.problems.length > 0 && (
                    <ul className="list-disc pl-5 text-red-700">
                      {data.targetRealms.problems.map((p) => (
                        <li key={p.eventId}>
                          <strong>{p.kind}</strong>: {p.detail}
                        </li>
                      ))}
                    </ul>
                  )}
                </div>
              )}
            </>
          )}
        </div>
      </Card>
      <Card title="Public key">
        <p className="text-sm text-slate-600">
          Checkpoints are signed with Ed25519. With this key anyone can check the checkpoints and the chains&apos;
          digests offline.
        </p>
        <p className="mt-2 break-all font-mono text-sm" data-testid="audit-public-key">
          {key.data ? key.data.publicKey : "…"}
        </p>
      </Card>
    </div>
  );
}
