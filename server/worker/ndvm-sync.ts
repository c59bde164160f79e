import { flowVerdict, type HostStatusReply } from "../contracts/agent";
import { transaction, type Db } from "../db/client";
import { recordDecision } from "../repositories/audit";
import { unsafeDecideFlowTest, unsafeListPlatformRules, unsafeNdvmsOnHost, unsafeNoteNdvm, unsafePendingFlowTests, unsafeRealmRules, type NdvmWork } from "../repositories/network-rules";
import { ruleOf } from "../services/network-rules";
import { ruleSetHash, type PlatformRule, type Protocol, type RealmRule } from "../xen";
import { DOM0_LABEL, managementLabel } from "../xsm";
import type { AgentClient, AgentTarget } from "./agent-client";

/**
 * A host's NDVMs, each poll (issue 15 part 4): the worker compares the rule set each NDVM reports
 * it enforces (its SHA-256) with the realm's stored rules and loads them when they differ — as
 * the realm's management domain, so the host's FLASK policy decides that a realm can only load
 * its own NDVM — and loads the platform's rules as dom0. It then runs the flow tests asked
 * through the API on the NDVM's host and records each verdict (layer, rule, AVC lines) and the
 * NDVM's counters per rule. A rule change reaches the NDVM within one poll; an agent restarted
 * (its rule tables are in memory) is loaded again on the next.
 */

export async function syncNdvms(db: Db, agents: AgentClient, target: AgentTarget, host: { id: string; name: string }, status: HostStatusReply, log: (line: string) => void): Promise<void> {
  const ndvms = await unsafeNdvmsOnHost(db, host.id);
  if (ndvms.length === 0) return;
  const platformRules: PlatformRule[] = (await unsafeListPlatformRules(db)).map((r) => ({
    id: r.id,
    name: r.name,
    to: { kind: "uplink", address: r.address },
    protocol: r.protocol as Protocol,
    ports: r.portFrom === null || r.portTo === null ? null : { from: r.portFrom, to: r.portTo },
  }));
  const platformHash = ruleSetHash(platformRules);
  const realmRules = new Map<string, RealmRule[]>();
  for (const n of ndvms) {
    let state = await agents.ndvm(target, n.domid);
    if (state.platformHash !== platformHash) {
      const r = await agents.network(target, { kind: "platform-rules", body: { subjectLabel: DOM0_LABEL, rules: platformRules } });
      if (!r.ok) log(`host ${host.name}: platform network rules not loaded: ${r.error?.code}: ${r.error?.message}`);
    }
    if (!realmRules.has(n.realmId)) realmRules.set(n.realmId, (await unsafeRealmRules(db, n.realmId)).map(ruleOf));
    const rules = realmRules.get(n.realmId)!;
    const hash = ruleSetHash(rules);
    if (state.hash !== hash) {
      const version = Math.max(state.version ?? 0, n.rulesVersion ?? 0) + 1;
      const r = await agents.network(target, { kind: "rules", body: { subjectLabel: managementLabel(n.realm), ndvmDomid: n.domid, version, rules } });
      await audit(db, n, "network.rules.load", r.ok ? "allow" : "deny", r.ok ? `rule set v${version} (${rules.length} rules, ${hash.slice(0, 12)}) loaded into NDVM domain ${n.domid} on ${host.name}` : `host ${host.name} refused the rule set: ${r.error?.code}: ${r.error?.message}`, r.avc);
      if (!r.ok) log(`host ${host.name}: NDVM ${n.driverDomainId} rules not loaded: ${r.error?.code}: ${r.error?.message}`);
      state = await agents.ndvm(target, n.domid);
    }
    await unsafeNoteNdvm(db, n.driverDomainId, state);
  }
  await runFlowTests(db, agents, target, ndvms, status);
}

async function runFlowTests(db: Db, agents: AgentClient, target: AgentTarget, ndvms: NdvmWork[], status: HostStatusReply): Promise<void> {
  const byDomain = new Map(ndvms.map((n) => [n.driverDomainId, n]));
  const tests = await unsafePendingFlowTests(db, [...byDomain.keys()]);
  if (tests.length === 0) return;
  const domidOf = new Map(status.domains.map((d) => [d.uuid, d.domid]));
  const counted = new Set<NdvmWork>();
  for (const t of tests) {
    const n = t.network.ndvm && byDomain.get(t.network.ndvm.driverDomainId);
    if (!n) continue;
    const from = domidOf.get(t.fromVmId);
    const to = t.toVmId === null ? null : domidOf.get(t.toVmId);
    if (from === undefined || to === undefined) {
      await unsafeDecideFlowTest(db, t.id, { status: "done", allowed: false, layer: "ndvm", ruleId: null, reason: "the VM is not on the NDVM's host", avc: [] });
      continue;
    }
    const r = await agents.network(target, {
      kind: "flow",
      body: { ndvmDomid: n.domid, fromDomid: from, to: to === null ? { kind: "uplink", address: t.toAddress } : { kind: "vm", domid: to }, protocol: t.protocol as "tcp" | "udp" | "icmp", port: t.port, attempt: t.attempt },
    });
    const verdict = r.ok ? flowVerdict.safeParse(r.data) : null;
    if (!verdict?.success) {
      await unsafeDecideFlowTest(db, t.id, { status: "failed", allowed: null, layer: null, ruleId: null, reason: `the host could not run the flow: ${r.error?.code ?? "bad reply"}: ${r.error?.message ?? ""}`, avc: r.avc });
      continue;
    }
    await unsafeDecideFlowTest(db, t.id, { status: "done", ...verdict.data });
    if (t.attempt) counted.add(n);
  }
  for (const n of counted) await unsafeNoteNdvm(db, n.driverDomainId, await agents.ndvm(target, n.domid));
}

function audit(db: Db, n: NdvmWork, action: string, decision: "allow" | "deny", reason: string, avc: string[]) {
  return transaction(db, (tx) => recordDecision(tx, {
    realmId: n.realmId,
    actorId: null,
    actorTokenId: null,
    action,
    targetType: "driver-domain",
    targetId: n.driverDomainId,
    decision,
    layer: decision === "deny" && avc.length > 0 ? "hypervisor" : "worker",
    reason,
    requestId: `worker-ndvm-${n.driverDomainId}`,
    ...(avc.length > 0 ? { details: { avc } } : {}),
  }));
}
