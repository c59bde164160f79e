"use client";
import { useInfiniteQuery, useMutation, useQuery } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import { usePermissions } from "./use-permissions";
import { useTRPC } from "../trpc";
import { Button } from "../ui/button";
import { sayDate, sayDateTime } from "../ui/dates";
import { itemsOf, ShowMore, useAllPages } from "../ui/pages";
import { useMutationFeedback } from "../ui/use-mutation-feedback";

const INPUT = "rounded-md border border-slate-300 px-2 py-1";

const CHANNEL: Record<string, string> = {
  none: "no channel yet",
  waiting: "waiting",
  open: "channel open on the host",
  closed: "channel closed",
};

/**
 * Cross-realm sharing agreements (issue 15 part 5): owners propose "our VM may send to their VM"
 * to another organization by its handle and the VM's name, accept or decline what other realms
 * propose, and revoke either at any moment; members see the channel's status on the host and its
 * counters, and admins and owners send a test message, which the host answers (delivered, or the
 * hypervisor's refusal with FLASK's AVC lines).
 */
export function Agreements() {
  const trpc = useTRPC();
  const can = usePermissions();
  const ids = useId();
  const [said, setSaid] = useState<string | null>(null);
  const [testId, setTestId] = useState<string | null>(null);
  const next = { getNextPageParam: (page: { nextCursor: string | null }) => page.nextCursor ?? undefined };
  const vms = (useAllPages(useInfiniteQuery(trpc.vm.list.infiniteQueryOptions({ limit: 200 }, next))) ?? []).filter((v) => v.kind === "guest");
  const agreementPages = useInfiniteQuery({ ...trpc.agreement.list.infiniteQueryOptions({ limit: 50 }, next), refetchInterval: 3000 });
  const agreements = itemsOf(agreementPages) ?? [];
  const test = useQuery({
    ...trpc.agreement.test.queryOptions({ agreementTestId: testId ?? "00000000-0000-0000-0000-000000000000" }),
    enabled: testId !== null,
    refetchInterval: (q) => (q.state.data?.status === "pending" ? 500 : false),
  }).data;
  const { error, setError, options: done } = useMutationFeedback([trpc.agreement.pathKey()]);
  const propose = useMutation(trpc.agreement.propose.mutationOptions(done));
  const accept = useMutation(trpc.agreement.accept.mutationOptions(done));
  const decline = useMutation(trpc.agreement.decline.mutationOptions(done));
  const revoke = useMutation(trpc.agreement.revoke.mutationOptions(done));
  const sendTest = useMutation(trpc.agreement.sendTest.mutationOptions(done));
  const owner = can("realm.agreements.manage");
  const tester = can("network.manage");

  function start() {
    setSaid(null);
    setError(null);
  }
  function onPropose(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const port = String(form.get("port") ?? "").trim();
    const days = String(form.get("days") ?? "").trim();
    start();
    propose.mutate(
      {
        fromVmId: String(form.get("fromVmId") ?? ""),
        targetOrg: String(form.get("targetOrg") ?? ""),
        targetVmName: String(form.get("targetVmName") ?? ""),
        twoWay: form.get("twoWay") === "on",
        port: port ? Number(port) : null,
        expiresInDays: days ? Number(days) : null,
      },
      { onSuccess: () => setSaid("Proposed. It shows as proposed until an owner of the other organization accepts it.") },
    );
  }
  const act = (verb: string, fn: typeof accept | typeof decline | typeof revoke, agreementId: string) => {
    start();
    fn.mutate({ agreementId }, { onSuccess: () => setSaid(`Agreement ${verb}.`) });
  };

  return (
    <div className="space-y-4 text-sm" data-testid="agreements">
      <table className="w-full text-left">
        <thead className="text-slate-500">
          <tr>
            <th className="py-1 pr-4">Channel</th>
            <th className="pr-4">State</th>
            <th className="pr-4">Expires</th>
            <th className="pr-4">On the host</th>
            <th>
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {agreements.length === 0 && (
            <tr>
              <td colSpan={5} className="py-1 text-slate-600">
                No agreements: no VM of this realm can talk to another realm's.
              </td>
            </tr>
          )}
          {agreements.map((a) => (
            <tr key={a.id} className="border-t border-slate-100 align-top" data-testid="agreement-row" data-agreement-id={a.id}>
              <td className="py-1 pr-4">
                <span className="text-slate-500">{a.direction === "outgoing" ? "outgoing" : "incoming"}:</span> {a.from.org}/{a.from.name} {a.twoWay ? "↔" : "→"} {a.to.org}/{a.to.name}{" "}
                <span className="text-slate-500">Argo port {a.port}</span>
              </td>
              <td className="py-1 pr-4" data-testid="agreement-state">
                {a.state}
                {a.endedBy && <span className="text-slate-500"> (by {a.endedBy})</span>}
              </td>
              <td className="whitespace-nowrap py-1 pr-4" title={sayDateTime(new Date(a.expiresAt))}>
                {sayDate(new Date(a.expiresAt))}
              </td>
              <td className="py-1 pr-4" data-testid="agreement-channel">
                {CHANNEL[a.channel.status]}
                {a.channel.reason && <span className="text-slate-500"> — {a.channel.reason}</span>}
                <div className="text-slate-500" data-testid="agreement-counters">
                  delivered {a.channel.delivered} · refused {a.channel.refused}
                </div>
              </td>
              <td className="space-x-1 whitespace-nowrap text-right" data-label="">
                {owner && a.direction === "incoming" && a.state === "proposed" && (
                  <>
                    <Button variant="primary" onClick={() => act("accepted", accept, a.id)} disabled={accept.isPending}>
                      Accept
                    </Button>
                    <Button variant="secondary" onClick={() => act("declined", decline, a.id)} disabled={decline.isPending}>
                      Decline
                    </Button>
                  </>
                )}
                {tester && a.state !== "proposed" && a.state !== "declined" && (
                  <Button
                    variant="secondary"
                    onClick={() => (start(), setTestId(null), sendTest.mutate({ agreementId: a.id, reverse: false }, { onSuccess: (r) => setTestId(r.agreementTestId) }))}
                    disabled={sendTest.isPending}
                  >
                    Send test message
                  </Button>
                )}
                {owner && (a.state === "proposed" || a.state === "active") && (
                  <Button variant="danger" onClick={() => act("revoked", revoke, a.id)} disabled={revoke.isPending}>
                    Revoke
                  </Button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <ShowMore query={agreementPages} what="agreements" testId="agreements-more" />
      {test && (
        <div className={`rounded-md p-2 ${test.status === "pending" ? "bg-slate-50" : test.delivered ? "bg-emerald-50" : "bg-rose-50"}`} data-testid="agreement-test-result" role="status">
          {test.status === "pending" ? "Sending on the host…" : test.delivered ? "Delivered: " : "Refused: "}
          {test.reason}
          {test.avc.length > 0 && <pre className="mt-1 whitespace-pre-wrap break-all font-mono text-xs">{test.avc.join("\n")}</pre>}
        </div>
      )}
      {owner && (
        <form onSubmit={onPropose} className="flex flex-wrap items-end gap-2" data-testid="agreement-form">
          <label className="flex flex-col gap-1" htmlFor={`${ids}-from`}>
            <span className="text-slate-600">Our VM (sends)</span>
            <select id={`${ids}-from`} name="fromVmId" defaultValue="" className={INPUT}>
              <option value="" disabled>
                Choose…
              </option>
              {vms.map((v) => (
                <option key={v.id} value={v.id}>
                  {v.name}
                </option>
              ))}
            </select>
          </label>
          <label className="flex flex-col gap-1" htmlFor={`${ids}-org`}>
            <span className="text-slate-600">Their organization (handle)</span>
            <input id={`${ids}-org`} name="targetOrg" className={INPUT} placeholder="globex" />
          </label>
          <label className="flex flex-col gap-1" htmlFor={`${ids}-vm`}>
            <span className="text-slate-600">Their VM (name)</span>
            <input id={`${ids}-vm`} name="targetVmName" className={INPUT} />
          </label>
          <label className="flex flex-col gap-1" htmlFor={`${ids}-port`}>
            <span className="text-slate-600">Argo port</span>
            <input id={`${ids}-port`} name="port" className={`${INPUT} w-24`} placeholder="7000" inputMode="numeric" />
          </label>
          <label className="flex flex-col gap-1" htmlFor={`${ids}-days`}>
            <span className="text-slate-600">Days (≤ 90)</span>
            <input id={`${ids}-days`} name="days" className={`${INPUT} w-20`} placeholder="7" inputMode="numeric" />
          </label>
          <label className="flex items-center gap-1" htmlFor={`${ids}-two`}>
            <input id={`${ids}-two`} name="twoWay" type="checkbox" /> both ways
          </label>
          <Button variant="primary" type="submit" disabled={propose.isPending}>
            Propose agreement
          </Button>
        </form>
      )}
      {said && (
        <p className="text-emerald-700" role="status">
          {said}
        </p>
      )}
      {error && (
        <p className="text-rose-700" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
