"use client";
import { useInfiniteQuery, useMutation, useQuery } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useTRPC } from "../trpc";
import { Button } from "../ui/button";
import { Card } from "../ui/card";
import { itemsOf, ShowMore } from "../ui/pages";
import { StateBadge } from "../ui/state-badge";
import { useMutationFeedback } from "../ui/use-mutation-feedback";
import { OperatorPageHeader } from "./page-header";

/**
 * The fleet's FLASK policy (operators): upload a version and see its validation with reasons,
 * canary it on one host and read the decisions that changed there, continue host by host or
 * automatically, roll back in one action; per host the version it was assigned, what it reports
 * running (a drift alarm when they differ) and its booleans, each settable. Refreshed every 2 s.
 */

type Diff = { types: Count; classes: Count; rules: Count; permissions: Count; booleans: Count };
type Count = { added: number; removed: number };

const short = (sha: string | null | undefined) => (sha ? sha.slice(0, 12) : "—");
const CHECK_NAMES: Record<string, string> = {
  compiles: "Compiles",
  "realm-model": "Declares what the realm model needs",
  "golden-decisions": "Passes the golden decisions",
  "realm-access": "No realm loses access to its own VMs",
};

function DiffSummary({ diff }: { diff: Diff | null }) {
  if (!diff) return <span className="text-slate-400">—</span>;
  const part = (name: string, c: Count) => `${name} +${c.added}/−${c.removed}`;
  return (
    <span className="text-xs text-slate-600" data-testid="policy-diff">
      {[part("types", diff.types), part("rules", diff.rules), part("permissions", diff.permissions), part("booleans", diff.booleans)].join(" · ")}
    </span>
  );
}

function toBase64(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

export function FlaskPolicyPage() {
  const trpc = useTRPC();
  const overview = useQuery({ ...trpc.operator.policy.overview.queryOptions({}), refetchInterval: 2_000 });
  // Every version, 20 at a time, newest first (the pages loaded are refreshed with the overview).
  const versionPages = useInfiniteQuery({ ...trpc.operator.policy.versions.infiniteQueryOptions({ limit: 20 }, { getNextPageParam: (page) => page.nextCursor ?? undefined }), refetchInterval: 2_000 });
  const versions = itemsOf(versionPages) ?? [];
  const { error, options: done } = useMutationFeedback([trpc.operator.policy.pathKey()]);
  const upload = useMutation(trpc.operator.policy.upload.mutationOptions(done));
  const canary = useMutation(trpc.operator.policy.canary.mutationOptions(done));
  const proceed = useMutation(trpc.operator.policy.continue.mutationOptions(done));
  const rollback = useMutation(trpc.operator.policy.rollback.mutationOptions(done));
  const setBoolean = useMutation(trpc.operator.policy.setBoolean.mutationOptions(done));
  const [canaryHost, setCanaryHost] = useState("");
  const o = overview.data;
  const hosts = o?.hosts ?? [];
  const rollout = o?.rollout ?? null;
  const canaryRow = rollout?.canaryHostId ? hosts.find((h) => h.id === rollout.canaryHostId) : undefined;
  const active = rollout && (rollout.status === "canary" || rollout.status === "rolling");
  const drifted = hosts.filter((h) => h.driftSince);

  async function onUpload(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const element = event.currentTarget;
    const file = (new FormData(element).get("policy") as File | null) ?? null;
    if (!file || file.size === 0) return;
    const content = toBase64(new Uint8Array(await file.arrayBuffer()));
    upload.mutate({ fileName: file.name, content }, { onSuccess: () => element.reset() });
  }

  return (
    <div className="space-y-6">
      <OperatorPageHeader title="FLASK policy" />
      <p className="text-sm text-slate-600">
        The XSM/FLASK policy every host&apos;s hypervisor enforces. A new version is validated when it is uploaded; only a
        valid one can be loaded, first on one host (the canary, which compares its decisions old and new), then host by
        host. Every load, rollback and boolean change is in the platform&apos;s audit trail.
      </p>
      {error && (
        <p className="text-sm text-red-700" role="alert" data-testid="policy-error">
          {error}
        </p>
      )}
      {drifted.length > 0 && (
        <div className="rounded border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-800" role="alert" data-testid="policy-drift-alarm">
          <strong>Policy drift:</strong>{" "}
          {drifted.map((h) => `${h.name} runs ${short(h.reportedSha256)}, assigned version ${h.assigned?.version} (${short(h.assigned?.sha256)})`).join("; ")}
        </div>
      )}

      <Card title="Upload a version">
        <form onSubmit={(e) => void onUpload(e)} className="flex flex-wrap items-end gap-3 text-sm" data-testid="policy-upload-form">
          <label className="block">
            <span className="text-slate-600">Policy text (policy.conf) or binary (policy.30), at most 256 KiB</span>
            <input type="file" name="policy" className="mt-1 block text-sm" data-testid="policy-file" />
          </label>
          <Button type="submit" variant="primary" disabled={upload.isPending}>
            {upload.isPending ? "Validating…" : "Upload and validate"}
          </Button>
        </form>
      </Card>

      <Card title="Versions">
        <table className="w-full text-sm" data-testid="policy-versions">
          <thead className="text-left text-slate-500">
            <tr>
              <th scope="col" className="py-2 font-normal">Version</th>
              <th scope="col" className="font-normal">File</th>
              <th scope="col" className="font-normal">Validation</th>
              <th scope="col" className="font-normal">Against the fleet&apos;s policy</th>
              <th scope="col" className="font-normal" />
            </tr>
          </thead>
          <tbody>
            {versions.map((v) => (
              <tr key={v.id} className="border-t border-slate-100 align-top" data-testid={`policy-version-${v.version}`}>
                <td className="py-2 font-medium">
                  {v.version}
                  {v.id === o?.target.id && <span className="ml-2 rounded bg-emerald-100 px-1.5 text-xs text-emerald-800">fleet</span>}
                  {v.isBuiltin && <span className="ml-2 text-xs text-slate-500">built in</span>}
                </td>
                <td>
                  {v.fileName} <span className="text-xs text-slate-500">({v.format}, {short(v.sha256)})</span>
                </td>
                <td>
                  <ul className="space-y-0.5" data-testid={`policy-validation-${v.version}`}>
                    {v.validation.checks.map((c) => (
                      <li key={c.name} className={c.ok ? "text-emerald-700" : "text-red-700"}>
                        {c.ok ? "✓" : "✗"} {CHECK_NAMES[c.name] ?? c.name}
                        {c.reasons.map((r) => (
                          <div key={r} className="ml-4 font-mono text-xs">
                            {r}
                          </div>
                        ))}
                      </li>
                    ))}
                  </ul>
                </td>
                <td>
                  <DiffSummary diff={v.diff} />
                </td>
                <td className="whitespace-nowrap">
                  {o && v.isValid && v.id !== o.target.id && (
                    <span className="flex items-center gap-2">
                      <select
                        aria-label={`Canary host for version ${v.version}`}
                        value={canaryHost || hosts[0]?.id || ""}
                        onChange={(e) => setCanaryHost(e.target.value)}
                        className="rounded border border-slate-300 px-1 py-1"
                        data-testid={`policy-canary-host-${v.version}`}
                      >
                        {hosts.map((h) => (
                          <option key={h.id} value={h.id}>
                            {h.name}
                          </option>
                        ))}
                      </select>
                      <Button
                        disabled={canary.isPending || hosts.length === 0}
                        onClick={() => canary.mutate({ policyId: v.id, canaryHostId: canaryHost || hosts[0]!.id })}
                        data-testid={`policy-canary-${v.version}`}
                      >
                        Load on canary
                      </Button>
                    </span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <ShowMore query={versionPages} what="versions" testId="policy-versions-more" />
      </Card>

      {rollout && (
        <Card title={rollout.kind === "rollback" ? "Rollback" : "Rollout"}>
          <div className="space-y-3 text-sm" data-testid="policy-rollout">
            <p>
              Version {rollout.previousPolicy.version} → <strong>version {rollout.policy.version}</strong>:{" "}
              <span data-testid="policy-rollout-status">{rollout.status}</span> ({rollout.mode}) · <DiffSummary diff={rollout.diff} />
            </p>
            {canaryRow && (
              <div data-testid="policy-canary-result">
                <p>
                  Canary <strong>{canaryRow.name}</strong>:{" "}
                  {canaryRow.loadState === "loaded" && canaryRow.assigned?.id === rollout.policy.id
                    ? `loaded; ${canaryRow.comparison?.differing ?? 0} of ${canaryRow.comparison?.compared ?? 0} compared decisions differ`
                    : canaryRow.loadState === "failed"
                      ? `refused: ${canaryRow.loadError}`
                      : "loading…"}
                </p>
                {canaryRow.comparison && canaryRow.comparison.differences.length > 0 && (
                  <table className="mt-2 w-full text-xs" data-testid="policy-differences">
                    <thead className="text-left text-slate-500">
                      <tr>
                        <th scope="col" className="font-normal">Source → target : class</th>
                        <th scope="col" className="font-normal">Granted</th>
                        <th scope="col" className="font-normal">Revoked</th>
                      </tr>
                    </thead>
                    <tbody>
                      {canaryRow.comparison.differences.map((d, i) => (
                        <tr key={i} className="border-t border-slate-100 font-mono">
                          <td className="py-1">
                            {d.source} → {d.target} : {d.tclass}
                          </td>
                          <td className="text-emerald-700">{d.granted.join(" ")}</td>
                          <td className="text-red-700">{d.revoked.join(" ")}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                )}
              </div>
            )}
            <div className="flex flex-wrap gap-2">
              {active && rollout.kind === "rollout" && (
                <>
                  <Button onClick={() => proceed.mutate({ rolloutId: rollout.id, mode: "manual" })} disabled={proceed.isPending} data-testid="policy-continue">
                    Continue to the next host
                  </Button>
                  <Button onClick={() => proceed.mutate({ rolloutId: rollout.id, mode: "automatic" })} disabled={proceed.isPending} data-testid="policy-continue-all">
                    Roll out to every host
                  </Button>
                </>
              )}
              {rollout.kind === "rollout" && (
                <Button variant="danger" onClick={() => rollback.mutate({})} disabled={rollback.isPending} data-testid="policy-rollback">
                  Roll back to version {rollout.previousPolicy.version}
                </Button>
              )}
            </div>
          </div>
        </Card>
      )}

      <Card title="Hosts">
        <table className="w-full text-sm" data-testid="policy-hosts">
          <thead className="text-left text-slate-500">
            <tr>
              <th scope="col" className="py-2 font-normal">Host</th>
              <th scope="col" className="font-normal">Assigned</th>
              <th scope="col" className="font-normal">Runs (sha256)</th>
              <th scope="col" className="font-normal">Booleans</th>
            </tr>
          </thead>
          <tbody>
            {hosts.map((h) => (
              <tr key={h.id} className="border-t border-slate-100 align-top" data-testid={`policy-host-${h.name}`}>
                <td className="py-2 font-medium">
                  {h.name} <StateBadge state={h.status} />
                </td>
                <td>
                  {h.assigned ? `version ${h.assigned.version}` : "—"}{" "}
                  <span className={h.loadState === "failed" ? "text-red-700" : "text-slate-500"} data-testid={`policy-host-${h.name}-state`}>
                    {h.loadState ?? ""}
                  </span>
                  {h.loadError && <div className="text-xs text-red-700">{h.loadError}</div>}
                </td>
                <td className={h.driftSince ? "font-mono font-medium text-red-700" : "font-mono"} data-testid={`policy-host-${h.name}-sha`}>
                  {short(h.reportedSha256)}
                  {h.driftSince && <div className="font-sans text-xs">drift: not the assigned version</div>}
                </td>
                <td>
                  {Object.entries(h.booleans).map(([name, value]) => {
                    const request = h.booleanRequests.find((b) => b.name === name);
                    return (
                      <label key={name} className="mr-3 inline-flex items-center gap-1 text-xs">
                        <input
                          type="checkbox"
                          checked={value}
                          disabled={setBoolean.isPending || request?.state === "pending"}
                          onChange={(e) => setBoolean.mutate({ hostId: h.id, name, value: e.target.checked })}
                          data-testid={`policy-bool-${h.name}-${name}`}
                        />
                        {name}
                        {request?.state === "pending" && <span className="text-slate-500">(applying…)</span>}
                        {request?.state === "failed" && <span className="text-red-700">({request.error})</span>}
                      </label>
                    );
                  })}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </Card>
    </div>
  );
}
