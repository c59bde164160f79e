import { createHash } from "node:crypto";

/**
 * Network rules of a realm's NDVM (issue 15 part 4): a pure decision over a snapshot of the
 * rules, used by the host's flow plane (network-flows.ts: the NDVM enforcing the rule set
 * pushed to it); the worker compares rule sets by `ruleSetHash`.
 *
 * Threat: traffic between a realm's VMs, or out to the uplink, that nobody allowed — and a
 * realm allowing what the platform forbids (mail out on tcp/25, the metadata address). The
 * evaluation starts from "nothing allowed": a flow passes the realm layer only if one of the
 * realm's allow rules matches (default deny), then the platform layer, whose deny rules no
 * realm rule can override. Every decision names the layer and the rule that decided it.
 */

export const PROTOCOLS = ["tcp", "udp", "icmp", "any"] as const;
export type Protocol = (typeof PROTOCOLS)[number];
/** A flow's own protocol (a rule may say "any"). */
export type FlowProtocol = Exclude<Protocol, "any">;

export type PortRange = { from: number; to: number };

/** Where a realm rule's flow starts: one VM, or any VM on one network. */
export type RuleSource = { kind: "vm"; id: string } | { kind: "network"; id: string };
/** Where it goes: one VM, any VM on one network, or out through the NDVM's uplink. */
export type RuleTarget = RuleSource | { kind: "uplink" };

export type RealmRule = { id: string; from: RuleSource; to: RuleTarget; protocol: Protocol; ports: PortRange | null };

/** The platform's rules: deny only, towards the uplink (optionally one address), never overridable. */
export type PlatformRule = { id: string; name: string; to: { kind: "uplink"; address: string | null }; protocol: Protocol; ports: PortRange | null };

/** One end of a flow between guests: the VM and the networks its vifs are on. */
export type FlowEndpoint = { vmId: string; networkIds: readonly string[] };
export type Flow = {
  from: FlowEndpoint;
  to: ({ kind: "vm" } & FlowEndpoint) | { kind: "uplink"; address: string | null };
  protocol: FlowProtocol;
  /** Null for icmp. */
  port: number | null;
};

export type RuleLayer = "realm" | "platform";
export type RuleDecision = { allowed: boolean; layer: RuleLayer; ruleId: string | null; reason: string };

const matchesSource = (s: RuleSource, e: FlowEndpoint) => (s.kind === "vm" ? s.id === e.vmId : e.networkIds.includes(s.id));

function matchesTarget(t: RuleTarget, to: Flow["to"]): boolean {
  if (t.kind === "uplink") return to.kind === "uplink";
  return to.kind === "vm" && matchesSource(t, to);
}

function matchesProtocol(protocol: Protocol, ports: PortRange | null, flow: Flow): boolean {
  if (protocol !== "any" && protocol !== flow.protocol) return false;
  if (ports === null) return true;
  // A port range never matches a flow without a port (icmp).
  return flow.port !== null && flow.port >= ports.from && flow.port <= ports.to;
}

export function describeRule(r: Pick<RealmRule, "protocol" | "ports">): string {
  const ports = r.ports === null ? "" : r.ports.from === r.ports.to ? `/${r.ports.from}` : `/${r.ports.from}-${r.ports.to}`;
  return `${r.protocol}${ports}`;
}

/** The realm layer alone: the first allow rule that matches, else the default deny. */
export function evaluateRealm(rules: readonly RealmRule[], flow: Flow): RuleDecision {
  const rule = rules.find((r) => matchesSource(r.from, flow.from) && matchesTarget(r.to, flow.to) && matchesProtocol(r.protocol, r.ports, flow));
  if (!rule) return { allowed: false, layer: "realm", ruleId: null, reason: "no realm rule allows this flow (default deny)" };
  return { allowed: true, layer: "realm", ruleId: rule.id, reason: `realm rule ${rule.id} allows ${describeRule(rule)}` };
}

/** The platform layer alone: the first deny rule that matches (only flows to the uplink can match). */
export function evaluatePlatform(rules: readonly PlatformRule[], flow: Flow): RuleDecision | null {
  if (flow.to.kind !== "uplink") return null;
  const address = flow.to.address;
  const rule = rules.find((r) => (r.to.address === null || r.to.address === address) && matchesProtocol(r.protocol, r.ports, flow));
  return rule ? { allowed: false, layer: "platform", ruleId: rule.id, reason: `platform rule "${rule.name}" denies ${describeRule(rule)}${rule.to.address ? ` to ${rule.to.address}` : ""}` } : null;
}

/**
 * Realm rules, then platform rules: a flow passes only if a realm rule allows it and no
 * platform rule denies it. The deciding layer is the realm's for a default deny, the platform's
 * for a platform deny, and the realm's rule for a pass.
 */
export function evaluateFlow(realmRules: readonly RealmRule[], platformRules: readonly PlatformRule[], flow: Flow): RuleDecision {
  const realm = evaluateRealm(realmRules, flow);
  if (!realm.allowed) return realm;
  return evaluatePlatform(platformRules, flow) ?? realm;
}

export type RuleFieldError = { field: string; message: string };

/** Field errors of a rule's protocol and ports (empty: valid). Shapes are the contract's job. */
export function ruleFieldErrors(rule: { from: RuleSource; to: RuleTarget; protocol: Protocol; ports: PortRange | null }): RuleFieldError[] {
  const errors: RuleFieldError[] = [];
  if (rule.ports !== null) {
    if (rule.protocol === "icmp") errors.push({ field: "ports", message: "icmp has no ports: leave the port out" });
    for (const [k, v] of Object.entries(rule.ports)) {
      if (!Number.isInteger(v) || v < 1 || v > 65535) errors.push({ field: `ports.${k}`, message: "a port is a whole number from 1 to 65535" });
    }
    if (rule.ports.from > rule.ports.to) errors.push({ field: "ports.to", message: "the range ends before it starts" });
  }
  if (rule.to.kind !== "uplink" && rule.to.kind === rule.from.kind && rule.to.id === rule.from.id && rule.from.kind === "vm") {
    errors.push({ field: "to", message: "a VM needs no rule to reach itself" });
  }
  return errors;
}

/**
 * The identity of a rule set as the NDVM enforces it: SHA-256 over the rules in order, each
 * field in a fixed order (the worker compares it with the stored rules' to decide a push).
 */
export function ruleSetHash(rules: readonly (RealmRule | PlatformRule)[]): string {
  const canonical = rules.map((r) => ["name" in r ? r.name : "", r.id, "from" in r ? `${r.from.kind}:${r.from.id}` : "", r.to.kind === "uplink" ? `uplink:${"address" in r.to ? (r.to.address ?? "") : ""}` : `${r.to.kind}:${r.to.id}`, r.protocol, r.ports ? `${r.ports.from}-${r.ports.to}` : ""]);
  return createHash("sha256").update(JSON.stringify(canonical)).digest("hex");
}
