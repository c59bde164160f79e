import { z } from "zod";
import { dateTime, pageInput, pageOf } from "../../../contracts/api";
import { id, idempotencyKey } from "../../../contracts/vm";
import { auditedDeviceLookup } from "../../../services/audit-foreign";
import { addNetworkRule, getFlowTest, listNetworkNdvms, listNetworkRules, removeNetworkRule, requestFlowTest, setNetworkNdvm } from "../../../services/network-rules";
import { realmAction, realmInput } from "../../trpc";
import { actorScope } from "../actor-scope";

/**
 * A realm network's NDVM and the realm's network rules (issue 15 part 4). Ids of another realm
 * (networks, driver domains, VMs, rules, flow tests) answer exactly like missing ones.
 */

type Path = "/networks/ndvms" | "/networks/{networkId}/ndvm" | "/network-rules" | "/network-rules/{ruleId}" | "/networks/{networkId}/flow-tests" | "/flow-tests/{flowTestId}";
const meta = (method: "GET" | "POST" | "PUT" | "DELETE", path: Path, summary: string, description?: string) => ({
  openapi: { method, path, tags: ["Networks"], summary, description },
});

const protocol = z.enum(["tcp", "udp", "icmp", "any"], { error: "protocol must be tcp, udp, icmp or any" });
const port = z.number({ error: "a port is a whole number from 1 to 65535" }).int({ error: "a port is a whole number from 1 to 65535" }).min(1, "a port is a whole number from 1 to 65535").max(65535, "a port is a whole number from 1 to 65535");
const source = z.discriminatedUnion("kind", [z.object({ kind: z.literal("vm"), id }).strict(), z.object({ kind: z.literal("network"), id }).strict()]);
const target = z.discriminatedUnion("kind", [z.object({ kind: z.literal("vm"), id }).strict(), z.object({ kind: z.literal("network"), id }).strict(), z.object({ kind: z.literal("uplink") }).strict()]);
const ports = z.object({ from: port, to: port }).strict().nullable().meta({ description: "A port range (from = to for one port); null: every port (icmp: always null)" });

const ruleOutput = z
  .object({
    id: z.uuid(),
    from: source,
    to: target,
    protocol,
    ports,
    createdAt: dateTime,
    counters: z.object({ allowed: z.number().int(), denied: z.number().int() }).meta({ description: "Simulated connection attempts this rule decided, on every NDVM of the realm (as last reported)" }),
  })
  .meta({ id: "NetworkRule" });

const ndvmOutput = z
  .object({
    networkId: z.uuid(),
    network: z.string(),
    ndvm: z.object({ id: z.uuid(), name: z.string(), state: z.string(), domid: z.number().int().nullable(), host: z.string() }),
    enforced: z.object({ version: z.number().int().nullable(), hash: z.string().nullable(), syncedAt: dateTime.nullable() }).meta({ description: "The rule set the NDVM reported it enforces (version, SHA-256), as of its last sync" }),
  })
  .meta({ id: "NetworkNdvm" });

const flowTestOutput = z
  .object({
    id: z.uuid(),
    networkId: z.uuid(),
    fromVmId: z.uuid(),
    toVmId: z.uuid().nullable(),
    toAddress: z.string().nullable(),
    protocol: z.enum(["tcp", "udp", "icmp"]),
    port: z.number().int().nullable(),
    attempt: z.boolean(),
    status: z.enum(["pending", "done", "failed"]),
    allowed: z.boolean().nullable(),
    layer: z.enum(["flask", "ndvm", "realm", "platform"]).nullable().meta({ description: "The layer that decided: FLASK (netback label check), the NDVM (topology), a realm rule (or the default deny), a platform rule" }),
    ruleId: z.string().nullable(),
    reason: z.string().nullable(),
    avc: z.array(z.string()),
    createdAt: dateTime,
    decidedAt: dateTime.nullable(),
  })
  .meta({ id: "FlowTest" });

export const ndvms = realmAction("vm.read")
  .meta(meta("GET", "/networks/ndvms", "The realm's NDVM networks", "Each network served by an NDVM, with the NDVM and the rule set it reported it enforces; oldest first. Pages with `cursor` (the previous page's `nextCursor`, a network id)."))
  .input(pageInput.default({ limit: 50 }))
  .output(pageOf(ndvmOutput, "NetworkNdvmPage"))
  .query(({ ctx, input }) => listNetworkNdvms(ctx.db, ctx.realm.id, input));

export const setNdvm = realmInput("network.manage", z.object({ networkId: id, backendId: id.optional().meta({ description: "A driver domain of the realm; left out: back to the platform's network backend" }), idempotencyKey: idempotencyKey.optional() }).strict())
  .meta(meta("PUT", "/networks/{networkId}/ndvm", "Give a network an NDVM", "Guests' interfaces on the network are then served by the driver domain, which enforces the realm's network rules. Only while no VM is on the network through another backend."))
  .output(z.object({ networkId: z.uuid() }))
  .mutation(({ ctx, input }) =>
    auditedDeviceLookup(ctx, "network", input.networkId, "network.ndvm.set", () =>
      auditedDeviceLookup(ctx, "driver-domain", input.backendId, "network.ndvm.set", () => setNetworkNdvm(ctx.db, actorScope(ctx), input.networkId, input.backendId ?? null)),
    ),
  );

export const rules = realmAction("vm.read")
  .meta(
    meta(
      "GET",
      "/network-rules",
      "The realm's network rules",
      "Allow rules in the order the NDVMs evaluate them (default deny between VMs on NDVM networks), with counters per rule. Pages with `cursor` (the previous page's `nextCursor`); `defaultDeny` and `layers` count over every NDVM of the realm and are the same on every page.",
    ),
  )
  .input(pageInput.default({ limit: 50 }))
  .output(
    z.object({
      items: z.array(ruleOutput),
      nextCursor: z.string().nullable(),
      defaultDeny: z.object({ allowed: z.number().int(), denied: z.number().int() }),
      layers: z
        .object({ flask: z.object({ allowed: z.number().int(), denied: z.number().int() }), topology: z.object({ allowed: z.number().int(), denied: z.number().int() }), platform: z.object({ allowed: z.number().int(), denied: z.number().int() }) })
        .meta({ description: "Attempts the realm's NDVMs decided before its rules: FLASK, the NDVM's topology (not connected), and the platform's rules summed (which platform rule is not shown)" }),
    }).meta({ id: "NetworkRulePage" }),
  )
  .query(({ ctx, input }) => listNetworkRules(ctx.db, ctx.realm.id, input));

export const addRule = realmInput("network.manage", z.object({ from: source, to: target, protocol, ports: ports.default(null), idempotencyKey: idempotencyKey.optional() }).strict())
  .meta(meta("POST", "/network-rules", "Allow a flow", "From a VM or network to a VM, a network or the uplink, on a protocol and port range. The platform's rules still apply (a platform deny beats a realm allow)."))
  .output(z.object({ ruleId: z.uuid() }))
  .mutation(({ ctx, input }) => addNetworkRule(ctx.db, actorScope(ctx), { from: input.from, to: input.to, protocol: input.protocol, ports: input.ports }));

export const removeRule = realmInput("network.manage", z.object({ ruleId: id, idempotencyKey: idempotencyKey.optional() }).strict())
  .meta(meta("DELETE", "/network-rules/{ruleId}", "Remove a network rule"))
  .output(z.object({ removed: z.boolean() }))
  .mutation(({ ctx, input }) => removeNetworkRule(ctx.db, actorScope(ctx), input.ruleId));

export const testFlow = realmInput(
  "network.manage",
  z
    .object({
      networkId: id,
      fromVmId: id,
      destination: z.discriminatedUnion("kind", [z.object({ kind: z.literal("vm"), vmId: id }).strict(), z.object({ kind: z.literal("uplink"), address: z.ipv4({ error: "address must be an IPv4 address" }).nullable().default(null) }).strict()]),
      protocol: z.enum(["tcp", "udp", "icmp"], { error: "protocol must be tcp, udp or icmp" }),
      port: port.nullable().default(null),
      attempt: z.boolean().default(false).meta({ description: "true: a simulated connection attempt, counted against the deciding rule" }),
      idempotencyKey: idempotencyKey.optional(),
    })
    .strict(),
)
  .meta(meta("POST", "/networks/{networkId}/flow-tests", "Test a flow through the network's NDVM", "Run by the worker on the NDVM's host: FLASK, then the NDVM's rules, then the platform's. Poll the flow test for the verdict."))
  .output(z.object({ flowTestId: z.uuid() }))
  .mutation(({ ctx, input }) => auditedDeviceLookup(ctx, "network", input.networkId, "network.flow-test", () => requestFlowTest(ctx.db, actorScope(ctx), { ...input, to: input.destination })));

export const flowTest = realmInput("vm.read", z.object({ flowTestId: id }).strict())
  .meta(meta("GET", "/flow-tests/{flowTestId}", "A flow test and its verdict", "pending until the worker ran it on the NDVM's host; then the verdict, the deciding layer and rule, and AVC lines for a FLASK refusal."))
  .output(flowTestOutput)
  .query(async ({ ctx, input }) => {
    const t = await getFlowTest(ctx.db, ctx.realm.id, input.flowTestId);
    return { ...t, protocol: t.protocol as "tcp" | "udp" | "icmp", status: t.status as "pending" | "done" | "failed", layer: t.layer as "flask" | "ndvm" | "realm" | "platform" | null };
  });
