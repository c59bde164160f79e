import { transaction, type Db } from "../db/client";
import type { DomainInfo, DomainState } from "../contracts/agent";
import { deriveHostSecret } from "../contracts/signing";
import { SETTLED_STATES, type LifecycleAction, type VmState } from "../policy/lifecycle";
import { unsafeListConflictCategories } from "../repositories/conflicts";
import { notifyRealm } from "../repositories/events";
import { unsafeListHosts, unsafeMarkHostOnline, unsafeMarkHostUnreachable, unsafeNoteHostError } from "../repositories/hosts";
import { lockVmIfUnchangedSince, setVmState, unsafeListVmsToReconcile } from "../repositories/vms";
import { enqueueReconcile } from "../services/lifecycle";
import { buildAcmPolicy } from "./acm-policy";
import { AgentUnreachable, type AgentClient } from "./agent-client";
import { syncDriverDomains } from "./driver-domain-sync";
import { syncNdvms } from "./ndvm-sync";
import { expireAgreements, loadAgreementWork, syncAgreements } from "./agreement-sync";
import { unsafeExpireFlowTests } from "../repositories/network-rules";
import { syncHostPolicy } from "./policy-sync";

/**
 * Watches every host. A successful status call renews the host's lease; a host is shown as
 * unreachable only once its lease has expired (several poll intervals without an answer), and
 * its in-flight operations keep retrying until their deadlines. Each poll also keeps the host's
 * ACM policy current and reconciles: a VM whose domain drifted from the VM's desired state (a
 * host that lost its state, a domain that stopped on its own) gets one corrective operation; a
 * second pass issues nothing while that operation is in flight.
 */

export type MonitorOptions = { masterSecret: string; leaseTimeoutMs: number; log: (line: string) => void };

const OBSERVED: Record<DomainState, VmState> = { running: "running", paused: "paused", shutdown: "stopped", stopped: "stopped" };
/** After a failed operation, leave a VM alone this long before trying to correct it again. */
export const RECONCILE_BACKOFF_MS = 30_000;

/** A flow test still pending this long was not answered by the NDVM's host (ndvm-sync.ts). */
export const FLOW_TEST_TIMEOUT_MS = 30_000;

export async function pollHosts(db: Db, agents: AgentClient, options: MonitorOptions): Promise<void> {
  const [hosts, conflicts] = await Promise.all([unsafeListHosts(db), unsafeListConflictCategories(db)]);
  await unsafeExpireFlowTests(db, FLOW_TEST_TIMEOUT_MS, `no answer from the NDVM's host within ${FLOW_TEST_TIMEOUT_MS / 1000} s (host unreachable or NDVM not running); try again`);
  const acm = buildAcmPolicy(conflicts);
  await expireAgreements(db, options.log).catch((error: Error) => options.log(`agreement expiry failed: ${error.message}`));
  const agreementWork = await loadAgreementWork(db).catch((error: Error) => (options.log(`agreements not loaded: ${error.message}`), { agreements: [], tests: [] }));
  await Promise.all(
    hosts.map(async (host) => {
      const target = { url: host.agentUrl, secret: deriveHostSecret(options.masterSecret, host.name) };
      try {
        // Only rows older than the question can be judged by the answer: anything that changed
        // while the status call was in flight is newer than what it reports.
        const askedAt = new Date();
        const status = await agents.status(target);
        if (host.status !== "online") options.log(`host ${host.name} is online (boot ${status.bootId})`);
        await unsafeMarkHostOnline(db, host.id);
        if (status.security && status.security.acm.policy !== acm.name) {
          const loaded = await agents.loadAcm(target, acm);
          options.log(`host ${host.name}: ACM policy ${acm.name} ${loaded.ok ? "loaded" : `refused: ${loaded.error?.message}`}`);
        }
        // Policy administration never holds back the lease or reconciliation of the host.
        await syncHostPolicy(db, agents, target, host, status, askedAt, options.log).catch((error: Error) => options.log(`host ${host.name}: FLASK policy sync failed: ${error.message}`));
        await syncDriverDomains(db, agents, target, host, status, options.log).catch((error: Error) => options.log(`host ${host.name}: driver domain sync failed: ${error.message}`));
        await syncNdvms(db, agents, target, host, status, options.log).catch((error: Error) => options.log(`host ${host.name}: NDVM sync failed: ${error.message}`));
        await syncAgreements(db, agents, target, host, status, options.log, agreementWork).catch((error: Error) => options.log(`host ${host.name}: agreement sync failed: ${error.message}`));
        await reconcileHost(db, host.id, status.domains, askedAt);
      } catch (error) {
        const reason = error instanceof AgentUnreachable ? error.message : `bad status reply: ${(error as Error).message}`;
        const leaseExpired = !host.lastSeenAt || Date.now() - host.lastSeenAt.getTime() > options.leaseTimeoutMs;
        if (leaseExpired && (host.status !== "unreachable" || host.lastError !== reason)) {
          options.log(`host ${host.name} unreachable (lease expired): ${reason}`);
          await unsafeMarkHostUnreachable(db, host.id, reason);
        } else if (!leaseExpired && host.lastError !== reason) {
          await unsafeNoteHostError(db, host.id, `missed heartbeat: ${reason}`);
        }
      }
    }),
  );
}

type Correction = { action: LifecycleAction; pending: VmState; then?: "start"; reason: string };

/** What to do about one VM given its domain on the host (pure). */
export function correction(vm: { observedState: VmState; desiredState: VmState; kind: string }, domain: DomainInfo | undefined): Correction | null {
  const wanted = vm.desiredState;
  if (!domain) {
    const lost = SETTLED_STATES.includes(vm.observedState) || (vm.kind === "management" && vm.observedState === "failed");
    if (!lost || wanted === "destroyed") return null;
    const runs = wanted === "running" || wanted === "paused" || vm.kind === "management";
    return { action: "create", pending: "creating", then: runs ? "start" : undefined, reason: "reconcile: the domain is missing on its host; rebuilding it" };
  }
  const actual = OBSERVED[domain.state];
  if (!SETTLED_STATES.includes(vm.observedState) || !SETTLED_STATES.includes(wanted) || wanted === actual) return null;
  const reason = `reconcile: the domain is ${actual} but the VM should be ${wanted}`;
  if (wanted === "running") return actual === "paused" ? { action: "resume", pending: "resuming", reason } : { action: "start", pending: "starting", reason };
  if (wanted === "stopped") return { action: "stop", pending: "stopping", reason };
  if (wanted === "paused") return actual === "running" ? { action: "pause", pending: "pausing", reason } : null;
  return null;
}

export async function reconcileHost(db: Db, hostId: string, domains: DomainInfo[], askedAt: Date): Promise<number> {
  const byUuid = new Map(domains.map((d) => [d.uuid, d]));
  const vms = await unsafeListVmsToReconcile(db, hostId, askedAt, [...SETTLED_STATES, "failed"]);
  let issued = 0;
  for (const vm of vms) {
    const domain = byUuid.get(vm.id);
    const last = vm.operations[0];
    const recentlyFailed = last?.status === "failed" && last.finishedAt && Date.now() - last.finishedAt.getTime() < RECONCILE_BACKOFF_MS;
    const fix = recentlyFailed ? null : correction(vm, domain);
    await transaction(db, async (tx) => {
      // Re-read under a lock: an operation may have been accepted or settled since the query.
      if (!(await lockVmIfUnchangedSince(tx, vm.realmId, vm.id, hostId, askedAt))) return;
      let changed = false;
      if (domain && OBSERVED[domain.state] !== vm.observedState) {
        await setVmState(tx, vm.realmId, vm.id, { observedState: OBSERVED[domain.state], domid: domain.domid, stateReason: "observed on its host" });
        changed = true;
      } else if (!domain && vm.observedState !== "failed") {
        await setVmState(tx, vm.realmId, vm.id, { observedState: "failed", domid: null, stateReason: "the domain is missing on its host (the host lost its state)" });
        changed = true;
      }
      if (fix) {
        await enqueueReconcile(tx, {
          realmId: vm.realmId,
          vmId: vm.id,
          action: fix.action,
          pending: fix.pending,
          fromState: domain ? OBSERVED[domain.state] : "failed",
          params: fix.then ? { then: fix.then } : undefined,
          reason: fix.reason,
        });
        issued++;
        changed = true;
      }
      if (changed) await notifyRealm(tx, { realmId: vm.realmId, kind: "vm", vmId: vm.id });
    });
  }
  return issued;
}
