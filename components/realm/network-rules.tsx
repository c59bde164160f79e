"use client";
import { useInfiniteQuery, useMutation, useQuery } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import { usePermissions } from "./use-permissions";
import { useTRPC } from "../trpc";
import { Button } from "../ui/button";
import { itemsOf, ShowMore, useAllPages } from "../ui/pages";
import { useMutationFeedback } from "../ui/use-mutation-feedback";

const INPUT = "rounded-md border border-slate-300 px-2 py-1";

/** What each layer is called where people read a verdict. */
const LAYER: Record<string, string> = {
  flask: "FLASK (netback label check)",
  ndvm: "the NDVM (not connected)",
  realm: "the realm's rules",
  platform: "the platform's rules",
};

/**
 * NDVM networks (issue 15 part 4): give a network one of the realm's driver domains as its NDVM,
 * write the realm's allow rules (default deny between VMs on NDVM networks; the platform's own
 * rules still apply), and test a flow: the NDVM's host answers, naming the layer and the rule
 * that decided. Counters per rule are the simulated connection attempts each decided.
 */
export function NetworkRules() {
  const trpc = useTRPC();
  const can = usePermissions();
  const ids = useId();
  const [said, setSaid] = useState<string | null>(null);
  const [flowTestId, setFlowTestId] = useState<string | null>(null);
  const next = { getNextPageParam: (page: { nextCursor: string | null }) => page.nextCursor ?? undefined };
  const networks = useAllPages(useInfiniteQuery(trpc.network.list.infiniteQueryOptions({ limit: 100 }, next))) ?? [];
  const vms = (useAllPages(useInfiniteQuery(trpc.vm.list.infiniteQueryOptions({ limit: 200 }, next))) ?? []).filter((v) => v.kind === "guest");
  const manage = can("network.manage");
  // Choices (a driver domain to assign, an NDVM network to test through) offer every item: all pages.
  const backends = (useAllPages(useInfiniteQuery({ ...trpc.backend.list.infiniteQueryOptions({ limit: 200 }, next), enabled: manage })) ?? []).filter((b) => b.kind === "driver-domain" && b.id);
  const ndvmChoices = useAllPages(useInfiniteQuery({ ...trpc.network.ndvms.infiniteQueryOptions({ limit: 200 }, next), enabled: manage })) ?? [];
  // The lists themselves show a page at a time.
  const ndvmPages = useInfiniteQuery(trpc.network.ndvms.infiniteQueryOptions({ limit: 20 }, next));
  const ndvms = itemsOf(ndvmPages) ?? [];
  const rulePages = useInfiniteQuery({ ...trpc.network.rules.infiniteQueryOptions({ limit: 50 }, next), refetchInterval: 3000 });
  const ruleItems = itemsOf(rulePages) ?? [];
  // defaultDeny and layers count over every NDVM: the same on every page.
  const rules = rulePages.data?.pages[0];
  const flowTest = useQuery({
    ...trpc.network.flowTest.queryOptions({ flowTestId: flowTestId ?? "00000000-0000-0000-0000-000000000000" }),
    enabled: flowTestId !== null,
    refetchInterval: (q) => (q.state.data?.status === "pending" ? 500 : false),
  }).data;
  const { error, setError, options: done } = useMutationFeedback([trpc.network.pathKey(), trpc.backend.pathKey()]);
  const setNdvm = useMutation(trpc.network.setNdvm.mutationOptions(done));
  const addRule = useMutation(trpc.network.addRule.mutationOptions(done));
  const removeRule = useMutation(trpc.network.removeRule.mutationOptions(done));
  const testFlow = useMutation(trpc.network.testFlow.mutationOptions(done));

  const nameOf = (kind: string, id?: string) => (kind === "uplink" ? "uplink" : ((kind === "vm" ? vms : networks).find((x) => x.id === id)?.name ?? id?.slice(0, 8) ?? "?"));
  const endpoint = (value: string): { kind: "vm" | "network"; id: string } | { kind: "uplink" } => {
    const [kind, id] = value.split(":");
    return kind === "uplink" ? { kind: "uplink" } : { kind: kind as "vm" | "network", id: id! };
  };
  const portsOf = (form: FormData) => {
    const [from, to] = [String(form.get("portFrom") ?? "").trim(), String(form.get("portTo") ?? "").trim()];
    if (!from) return null;
    return { from: Number(from), to: Number(to || from) };
  };
  function start() {
    setSaid(null);
    setError(null);
  }
  function onNdvm(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const networkId = String(form.get("networkId") ?? "");
    const backendId = String(form.get("backendId") ?? "");
    if (!networkId || !backendId) return;
    start();
    setNdvm.mutate({ networkId, backendId }, { onSuccess: () => setSaid(`${nameOf("network", networkId)} is now served by its NDVM.`) });
  }
  function onRule(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const from = endpoint(String(form.get("from") ?? ""));
    if (from.kind === "uplink") return;
    start();
    addRule.mutate({ from, to: endpoint(String(form.get("to") ?? "")), protocol: String(form.get("protocol")) as "tcp", ports: portsOf(form) }, { onSuccess: () => setSaid("Rule added.") });
  }
  function onFlow(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const native = event.nativeEvent as SubmitEvent;
    const attempt = (native.submitter as HTMLButtonElement | null)?.value === "attempt";
    const form = new FormData(event.currentTarget);
    const to = String(form.get("to") ?? "");
    const address = String(form.get("address") ?? "").trim();
    const port = String(form.get("port") ?? "").trim();
    start();
    setFlowTestId(null);
    testFlow.mutate(
      {
        networkId: String(form.get("networkId") ?? ""),
        fromVmId: String(form.get("fromVmId") ?? ""),
        destination: to === "uplink" ? { kind: "uplink", address: address || null } : { kind: "vm", vmId: to },
        protocol: String(form.get("protocol")) as "tcp",
        port: port ? Number(port) : null,
        attempt,
      },
      { onSuccess: (r) => setFlowTestId(r.flowTestId) },
    );
  }

  const endpoints = (withUplink: boolean) => (
    <>
      {vms.map((v) => (
        <option key={v.id} value={`vm:${v.id}`}>
          VM {v.name}
        </option>
      ))}
      {networks.map((n) => (
        <option key={n.id} value={`network:${n.id}`}>
          network {n.name}
        </option>
      ))}
      {withUplink && <option value="uplink">the uplink</option>}
    </>
  );

  return (
    <div className="grid grid-cols-1 gap-6 text-sm md:grid-cols-2" data-testid="network-rules">
      <div>
        <h3 className="mb-2 font-medium">NDVM networks</h3>
        <ul className="mb-3" data-testid="ndvm-list">
          {ndvms.length === 0 && <li className="text-slate-600">No network has an NDVM: the platform's network backend serves them.</li>}
          {ndvms.map((n) => (
            <li key={n.networkId} className="border-t border-slate-100 py-1" data-testid={`ndvm-row-${n.network}`}>
              {n.network} → NDVM {n.ndvm.name} <span className="text-slate-500">({n.ndvm.state} on {n.ndvm.host}; rules {n.enforced.version === null ? "not loaded yet" : `v${n.enforced.version}`})</span>
            </li>
          ))}
        </ul>
        <ShowMore query={ndvmPages} what="NDVM networks" testId="ndvms-more" />
        {manage && (
          <form onSubmit={onNdvm} className="flex flex-wrap items-end gap-2" data-testid="ndvm-form">
            <label className="flex flex-col gap-1" htmlFor={`${ids}-ndvm-net`}>
              <span className="text-slate-600">Network</span>
              <select id={`${ids}-ndvm-net`} name="networkId" defaultValue="" className={INPUT}>
                <option value="" disabled>
                  Choose…
                </option>
                {networks.map((n) => (
                  <option key={n.id} value={n.id}>
                    {n.name}
                  </option>
                ))}
              </select>
            </label>
            <label className="flex flex-col gap-1" htmlFor={`${ids}-ndvm-dd`}>
              <span className="text-slate-600">NDVM (driver domain)</span>
              <select id={`${ids}-ndvm-dd`} name="backendId" defaultValue="" className={INPUT}>
                <option value="" disabled>
                  Choose…
                </option>
                {backends.map((b) => (
                  <option key={b.id} value={b.id!}>
                    {b.name} ({b.state})
                  </option>
                ))}
              </select>
            </label>
            <Button type="submit" disabled={setNdvm.isPending}>
              Assign NDVM
            </Button>
          </form>
        )}
      </div>
      <div>
        <h3 className="mb-2 font-medium">Network rules (allow; everything else between VMs is denied)</h3>
        <ul className="mb-3" data-testid="rule-list">
          {ruleItems.map((r) => (
            <li key={r.id} className="flex items-center justify-between gap-2 border-t border-slate-100 py-1" data-testid="rule-row">
              <span>
                {nameOf(r.from.kind, r.from.id)} → {nameOf(r.to.kind, "id" in r.to ? r.to.id : undefined)} {r.protocol}
                {r.ports ? `/${r.ports.from === r.ports.to ? r.ports.from : `${r.ports.from}-${r.ports.to}`}` : ""}{" "}
                <span className="text-slate-500" data-testid="rule-counters">
                  allowed {r.counters.allowed} · rule {r.id.slice(0, 8)}
                </span>
              </span>
              {manage && (
                <Button variant="danger" onClick={() => (start(), removeRule.mutate({ ruleId: r.id }, { onSuccess: () => setSaid("Rule removed.") }))} aria-label={`Remove rule ${r.id}`}>
                  Remove
                </Button>
              )}
            </li>
          ))}
          {rulePages.hasNextPage && (
            <li className="border-t border-slate-100 py-1">
              <ShowMore query={rulePages} what="rules" testId="rules-more" />
            </li>
          )}
          {rules && (
            <li className="border-t border-slate-100 py-1 text-slate-500" data-testid="default-deny-counters">
              default deny · denied {rules.defaultDeny.denied}
            </li>
          )}
          {rules && (
            <li className="border-t border-slate-100 py-1 text-slate-500" data-testid="layer-counters">
              decided before your rules: {LAYER.flask} · denied {rules.layers.flask.denied} — {LAYER.ndvm} · denied {rules.layers.topology.denied} — {LAYER.platform} · allowed {rules.layers.platform.allowed}, denied{" "}
              {rules.layers.platform.denied}
            </li>
          )}
        </ul>
        {manage && (
          <form onSubmit={onRule} className="flex flex-wrap items-end gap-2" data-testid="rule-form">
            <label className="flex flex-col gap-1" htmlFor={`${ids}-rule-from`}>
              <span className="text-slate-600">From</span>
              <select id={`${ids}-rule-from`} name="from" className={INPUT}>
                {endpoints(false)}
              </select>
            </label>
            <label className="flex flex-col gap-1" htmlFor={`${ids}-rule-to`}>
              <span className="text-slate-600">To</span>
              <select id={`${ids}-rule-to`} name="to" className={INPUT}>
                {endpoints(true)}
              </select>
            </label>
            <label className="flex flex-col gap-1" htmlFor={`${ids}-rule-proto`}>
              <span className="text-slate-600">Protocol</span>
              <select id={`${ids}-rule-proto`} name="protocol" className={INPUT}>
                {["tcp", "udp", "icmp", "any"].map((p) => (
                  <option key={p}>{p}</option>
                ))}
              </select>
            </label>
            <label className="flex flex-col gap-1" htmlFor={`${ids}-rule-pf`}>
              <span className="text-slate-600">Port (from)</span>
              <input id={`${ids}-rule-pf`} name="portFrom" inputMode="numeric" className={`w-20 ${INPUT}`} />
            </label>
            <label className="flex flex-col gap-1" htmlFor={`${ids}-rule-pt`}>
              <span className="text-slate-600">Port (to)</span>
              <input id={`${ids}-rule-pt`} name="portTo" inputMode="numeric" className={`w-20 ${INPUT}`} />
            </label>
            <Button type="submit" disabled={addRule.isPending}>
              Add rule
            </Button>
          </form>
        )}
      </div>
      {manage && (
        <div className="md:col-span-2">
          <h3 className="mb-2 font-medium">Test a flow</h3>
          <form onSubmit={onFlow} className="flex flex-wrap items-end gap-2" data-testid="flow-form">
            <label className="flex flex-col gap-1" htmlFor={`${ids}-flow-net`}>
              <span className="text-slate-600">Through network</span>
              <select id={`${ids}-flow-net`} name="networkId" className={INPUT}>
                {ndvmChoices.map((n) => (
                  <option key={n.networkId} value={n.networkId}>
                    {n.network}
                  </option>
                ))}
              </select>
            </label>
            <label className="flex flex-col gap-1" htmlFor={`${ids}-flow-from`}>
              <span className="text-slate-600">From VM</span>
              <select id={`${ids}-flow-from`} name="fromVmId" className={INPUT}>
                {vms.map((v) => (
                  <option key={v.id} value={v.id}>
                    {v.name}
                  </option>
                ))}
              </select>
            </label>
            <label className="flex flex-col gap-1" htmlFor={`${ids}-flow-to`}>
              <span className="text-slate-600">To</span>
              <select id={`${ids}-flow-to`} name="to" className={INPUT}>
                {vms.map((v) => (
                  <option key={v.id} value={v.id}>
                    VM {v.name}
                  </option>
                ))}
                <option value="uplink">the uplink</option>
              </select>
            </label>
            <label className="flex flex-col gap-1" htmlFor={`${ids}-flow-addr`}>
              <span className="text-slate-600">Address (uplink)</span>
              <input id={`${ids}-flow-addr`} name="address" placeholder="203.0.113.5" className={`w-32 ${INPUT}`} />
            </label>
            <label className="flex flex-col gap-1" htmlFor={`${ids}-flow-proto`}>
              <span className="text-slate-600">Protocol</span>
              <select id={`${ids}-flow-proto`} name="protocol" className={INPUT}>
                {["tcp", "udp", "icmp"].map((p) => (
                  <option key={p}>{p}</option>
                ))}
              </select>
            </label>
            <label className="flex flex-col gap-1" htmlFor={`${ids}-flow-port`}>
              <span className="text-slate-600">Port</span>
              <input id={`${ids}-flow-port`} name="port" inputMode="numeric" className={`w-20 ${INPUT}`} />
            </label>
            <Button type="submit" value="check" disabled={testFlow.isPending}>
              Can it reach?
            </Button>
            <Button type="submit" value="attempt" disabled={testFlow.isPending}>
              Attempt a connection
            </Button>
          </form>
          {flowTest && (
            <div className="mt-2" data-testid="flow-verdict">
              {flowTest.status === "pending" && <p>Asking the NDVM's host…</p>}
              {flowTest.status !== "pending" && (
                <p className={flowTest.allowed ? "text-emerald-800" : "text-red-700"}>
                  {flowTest.allowed ? "Allowed" : "Refused"} by {LAYER[flowTest.layer ?? ""] ?? "the host"}
                  {flowTest.ruleId ? ` (rule ${flowTest.ruleId.slice(0, 8)})` : ""}: {flowTest.reason}
                </p>
              )}
              {flowTest.avc.map((line) => (
                <pre key={line} className="whitespace-pre-wrap text-xs text-slate-600">
                  {line}
                </pre>
              ))}
            </div>
          )}
        </div>
      )}
      <p aria-live="polite" className="text-emerald-800 md:col-span-2" data-testid="network-rules-status">
        {said}
      </p>
      {error && (
        <p role="alert" className="text-red-700 md:col-span-2">
          {error}
        </p>
      )}
    </div>
  );
}
