import { randomUUID } from "node:crypto";
import type { Tx } from "../db/client";
import { DomainError } from "../errors";
import { recordDecision } from "../repositories/audit";
import { findNetwork } from "../repositories/devices";
import { lockDriverDomain } from "../repositories/driver-domains";
import {
  clearNdvm,
  deleteRule,
  findFlowTest,
  findNdvm,
  insertFlowTest,
  insertRule,
  interfacesOn,
  listNdvms,
  listRules,
  ndvmCounters,
  setNdvm,
  unsafeDeletePlatformRule,
  unsafeInsertPlatformRule,
  unsafeListPlatformRulePage,
  type CounterPair,
  type FlowTestRow,
  type NdvmRow,
  type PlatformRuleRow,
  type RuleRow,
} from "../repositories/network-rules";
import type { Page, PageRequest } from "../repositories/pagination";
import { findVmInRealm } from "../repositories/vms";
import { describeRule, ruleFieldErrors, type PortRange, type Protocol, type RuleSource, type RuleTarget } from "../xen";
import type { Actor } from "./lifecycle";
import { auditAllowed, type MemberScope } from "./member-audit";

/**
 * A realm's NDVMs and network rules (issue 15 part 4). The realm's admins give a network an NDVM
 * (one of the realm's driver domains: guests' vifs on the network are then served by it), write
 * allow rules (default deny between VMs on NDVM networks), and ask flow tests, which the worker
 * runs on the NDVM's host (worker/ndvm-sync.ts): the host answers, naming the layer (FLASK,
 * topology, realm rule, platform rule) and the rule that decided. Operators keep the platform's
 * deny rules, which the host applies after the realm's and no realm can override.
 *
 * Threat: a realm naming another realm's VM, network, driver domain, rule or flow test. Every
 * lookup runs inside the caller's realm (row-level security), so a foreign id answers exactly
 * like a missing one; the host's FLASK policy refuses a cross-realm frame anyway.
 */

type Scope = MemberScope;

export const RULE_NOT_FOUND = "network rule not found";
export const FLOW_TEST_NOT_FOUND = "flow test not found";

const audit = auditAllowed;

export type RuleInput = { from: RuleSource; to: RuleTarget; protocol: Protocol; ports: PortRange | null };

export type RuleView = RuleInput & { id: string; createdAt: Date; counters: { allowed: number; denied: number } };

const portsOf = (r: { portFrom: number | null; portTo: number | null }): PortRange | null => (r.portFrom === null || r.portTo === null ? null : { from: r.portFrom, to: r.portTo });

export function ruleOf(r: RuleRow): RuleInput & { id: string } {
  const from = { kind: r.fromKind as RuleSource["kind"], id: r.fromId };
  const to: RuleTarget = r.toKind === "uplink" || r.toId === null ? { kind: "uplink" } : { kind: r.toKind as "vm" | "network", id: r.toId };
  return { id: r.id, from, to, protocol: r.protocol as Protocol, ports: portsOf(r) };
}

/**
 * Per layer before the realm's rules, what the realm's NDVMs decided: FLASK (netback's label
 * check), the NDVM's topology (not connected) and the platform's rules — summed over every
 * platform rule, so the realm learns how many of its own attempts the platform decided, never
 * which platform rule (no ids, no text).
 */
export type LayerCounters = { flask: { allowed: number; denied: number }; topology: { allowed: number; denied: number }; platform: { allowed: number; denied: number } };

/**
 * One page of the realm's rules, each with its counters summed over the NDVMs that enforce it, and the aggregates (default deny,
 * layers) over every NDVM of the realm: the same on every page (repositories ndvmCounters).
 */
export async function listNetworkRules(tx: Tx, realmId: string, page: PageRequest): Promise<Page<RuleView> & { defaultDeny: CounterPair; layers: LayerCounters }> {
  const rules = await listRules(tx, realmId, page);
  const counters = await ndvmCounters(tx, realmId, rules.items.map((r) => r.id));
  const sum = (key: string): CounterPair => counters.get(key) ?? { allowed: 0, denied: 0 };
  return {
    items: rules.items.map((r) => ({ ...ruleOf(r), createdAt: r.createdAt, counters: sum(`realm:${r.id}`) })),
    nextCursor: rules.nextCursor,
    defaultDeny: sum("realm:default"),
    layers: { flask: sum("flask"), topology: sum("ndvm"), platform: sum("platform") },
  };
}

async function checkEndpoint(tx: Tx, realmId: string, field: "from" | "to", e: RuleTarget): Promise<void> {
  if (e.kind === "uplink") return;
  const found = e.kind === "vm" ? await findVmInRealm(tx, realmId, e.id) : await findNetwork(tx, realmId, e.id);
  // Another realm's VM or network answers exactly like a missing one.
  if (!found) throw new DomainError("bad_input", `${field}: ${e.kind === "vm" ? "VM" : "network"} not found`, { field });
}

export async function addNetworkRule(tx: Tx, scope: Scope, input: RuleInput): Promise<{ ruleId: string }> {
  const [error] = ruleFieldErrors(input);
  if (error) throw new DomainError("bad_input", `${error.field}: ${error.message}`, { field: error.field });
  await checkEndpoint(tx, scope.realmId, "from", input.from);
  await checkEndpoint(tx, scope.realmId, "to", input.to);
  const id = randomUUID();
  await insertRule(tx, {
    realmId: scope.realmId,
    id,
    fromKind: input.from.kind,
    fromId: input.from.id,
    toKind: input.to.kind,
    toId: input.to.kind === "uplink" ? null : input.to.id,
    protocol: input.protocol,
    portFrom: input.ports?.from ?? null,
    portTo: input.ports?.to ?? null,
  });
  const to = input.to.kind === "uplink" ? "the uplink" : `${input.to.kind} ${input.to.id}`;
  await audit(tx, scope, "network.rule.add", "network-rule", id, `${scope.rule}; allow ${input.from.kind} ${input.from.id} → ${to} ${describeRule(input)}`);
  return { ruleId: id };
}

export async function removeNetworkRule(tx: Tx, scope: Scope, ruleId: string): Promise<{ removed: boolean }> {
  const row = await deleteRule(tx, scope.realmId, ruleId);
  if (!row) throw new DomainError("not_found", RULE_NOT_FOUND);
  await audit(tx, scope, "network.rule.remove", "network-rule", ruleId, `${scope.rule}; ${describeRule(ruleOf(row))}`);
  return { removed: true };
}

export type NdvmView = {
  networkId: string;
  network: string;
  ndvm: { id: string; name: string; state: string; domid: number | null; host: string };
  enforced: { version: number | null; hash: string | null; syncedAt: Date | null };
};

const ndvmView = (n: NdvmRow): NdvmView => ({
  networkId: n.networkId,
  network: n.network.name,
  ndvm: { id: n.driverDomain.id, name: n.driverDomain.name, state: n.driverDomain.state, domid: n.driverDomain.domid, host: n.driverDomain.host.name },
  enforced: { version: n.rulesVersion, hash: n.rulesHash, syncedAt: n.syncedAt },
});

export async function listNetworkNdvms(tx: Tx, realmId: string, page: PageRequest): Promise<Page<NdvmView>> {
  const ndvms = await listNdvms(tx, realmId, page);
  return { items: ndvms.items.map(ndvmView), nextCursor: ndvms.nextCursor };
}

/**
 * Gives the network an NDVM (one of the realm's driver domains), or takes it away (null). Only
 * while no VM is on the network through another backend: an interface keeps the backend it was
 * connected through until it is detached.
 */
export async function setNetworkNdvm(tx: Tx, scope: Scope, networkId: string, backendId: string | null): Promise<{ networkId: string }> {
  const network = await findNetwork(tx, scope.realmId, networkId);
  if (!network) throw new DomainError("not_found", "network not found");
  if (backendId === null) {
    if (network.attachedVms > 0) throw new DomainError("precondition_failed", `VMs are on network ${network.name} through its NDVM: detach them first`);
    await clearNdvm(tx, scope.realmId, networkId);
    await audit(tx, scope, "network.ndvm.clear", "network", networkId, `${scope.rule}; network ${network.name} back on the platform's network backend`);
    return { networkId };
  }
  const backend = await lockDriverDomain(tx, scope.realmId, backendId, "share");
  if (!backend) throw new DomainError("not_found", "backend not found");
  if (backend.state === "removing" || backend.state === "failed") throw new DomainError("precondition_failed", `the driver domain ${backend.name} is ${backend.state}`);
  const on = await interfacesOn(tx, scope.realmId, networkId, backendId);
  if (on.elsewhere > 0) throw new DomainError("precondition_failed", `${on.elsewhere} VM(s) are on network ${network.name} through another backend: detach them first`);
  await setNdvm(tx, scope.realmId, networkId, backendId);
  await audit(tx, scope, "network.ndvm.set", "network", networkId, `${scope.rule}; network ${network.name} served by NDVM ${backend.name} (untrusted driver domain, enforces the realm's network rules)`);
  return { networkId };
}

export type FlowTestInput = { networkId: string; fromVmId: string; to: { kind: "vm"; vmId: string } | { kind: "uplink"; address: string | null }; protocol: "tcp" | "udp" | "icmp"; port: number | null; attempt: boolean };

/** A flow test for the worker to run on the NDVM's host. The answer arrives on the flow test (flowTest.get). */
export async function requestFlowTest(tx: Tx, scope: Scope, input: FlowTestInput): Promise<{ flowTestId: string }> {
  const ndvm = await findNdvm(tx, scope.realmId, input.networkId);
  if (!ndvm) {
    if (!(await findNetwork(tx, scope.realmId, input.networkId))) throw new DomainError("not_found", "network not found");
    throw new DomainError("precondition_failed", "the network has no NDVM: flows on it are not filtered by the realm's rules");
  }
  if (input.protocol === "icmp" ? input.port !== null : input.port === null) {
    throw new DomainError("bad_input", input.protocol === "icmp" ? "port: icmp has no port" : "port: give the destination port", { field: "port" });
  }
  if (!(await findVmInRealm(tx, scope.realmId, input.fromVmId))) throw new DomainError("bad_input", "fromVmId: VM not found", { field: "fromVmId" });
  if (input.to.kind === "vm" && !(await findVmInRealm(tx, scope.realmId, input.to.vmId))) throw new DomainError("bad_input", "to.vmId: VM not found", { field: "to.vmId" });
  const id = await insertFlowTest(tx, scope.realmId, {
    networkId: input.networkId,
    fromVmId: input.fromVmId,
    toVmId: input.to.kind === "vm" ? input.to.vmId : null,
    toAddress: input.to.kind === "uplink" ? input.to.address : null,
    protocol: input.protocol,
    port: input.port,
    attempt: input.attempt,
  });
  if (input.attempt) await audit(tx, scope, "network.flow.attempt", "network", input.networkId, `${scope.rule}; simulated ${input.protocol}${input.port ? `/${input.port}` : ""} connection through NDVM ${ndvm.driverDomain.name}`);
  return { flowTestId: id };
}

export async function getFlowTest(tx: Tx, realmId: string, id: string): Promise<FlowTestRow> {
  const row = await findFlowTest(tx, realmId, id);
  if (!row) throw new DomainError("not_found", FLOW_TEST_NOT_FOUND);
  return row;
}

// --- The platform's rules (operators) ----------------------------------------------------

export type PlatformRuleInput = { name: string; address: string | null; protocol: Protocol; ports: PortRange | null };

export async function listPlatformRules(platform: Tx, page: PageRequest): Promise<Page<PlatformRuleInput & { id: string; createdAt: Date }>> {
  const rules = await unsafeListPlatformRulePage(platform, page);
  return { items: rules.items.map((r: PlatformRuleRow) => ({ id: r.id, name: r.name, address: r.address, protocol: r.protocol as Protocol, ports: portsOf(r), createdAt: r.createdAt })), nextCursor: rules.nextCursor };
}

async function auditPlatform(platform: Tx, actor: Actor, action: string, targetId: string, reason: string) {
  await recordDecision(platform, { realmId: null, actorId: actor.userId, actorTokenId: actor.tokenId ?? null, action, targetType: "platform-network-rule", targetId, decision: "allow", layer: "trpc", reason, requestId: actor.requestId });
}

export async function addPlatformRule(platform: Tx, actor: Actor, input: PlatformRuleInput): Promise<{ ruleId: string }> {
  const [error] = ruleFieldErrors({ from: { kind: "network", id: "-" }, to: { kind: "uplink" }, protocol: input.protocol, ports: input.ports });
  if (error) throw new DomainError("bad_input", `${error.field}: ${error.message}`, { field: error.field });
  const id = randomUUID();
  await unsafeInsertPlatformRule(platform, { id, name: input.name, address: input.address, protocol: input.protocol, portFrom: input.ports?.from ?? null, portTo: input.ports?.to ?? null });
  await auditPlatform(platform, actor, "platform.network-rule.add", id, `deny uplink ${describeRule(input)}${input.address ? ` to ${input.address}` : ""} (${input.name}): no realm overrides it`);
  return { ruleId: id };
}

export async function removePlatformRule(platform: Tx, actor: Actor, ruleId: string): Promise<{ removed: boolean }> {
  const row = await unsafeDeletePlatformRule(platform, ruleId);
  if (!row) throw new DomainError("not_found", "platform rule not found");
  await auditPlatform(platform, actor, "platform.network-rule.remove", ruleId, row.name);
  return { removed: true };
}
