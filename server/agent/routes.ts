import type { z } from "zod";
import {
  accessCheckRequest,
  acmPolicy,
  backendStoreRequest,
  blockRequest,
  bridgeCreate,
  bridgeDestroy,
  bridgeList,
  bridgeSend,
  argoAction,
  argoRequest,
  consoleAction,
  consoleRequest,
  deviceAction,
  deviceRequest,
  domainAction,
  domainRequest,
  evtchnAction,
  evtchnRequest,
  flaskBoolean,
  flaskPolicyLoad,
  flowRequest,
  ndvmRulesLoad,
  ndvmStateRequest,
  platformRulesLoad,
  FLASK_POLICY_MAX_BYTES,
  grantAction,
  grantRequest,
  listRequest,
  metricsRequest,
  xenstoreAction,
  xenstoreRequest,
  type HostStatusReply,
} from "../contracts/agent";
import type { HypercallEndpoint } from "./dispatch";
import type { OperationName } from "../xen";
import type { Toolstack } from "./toolstack";

/**
 * The agent's endpoints: method, path, body schema, handler, and the operations each can
 * reach (operations.test.ts checks every one of those is in the operation table). Handlers
 * receive a body already validated against the contract.
 */

export type RouteContext = { toolstack: Toolstack; hostName: string; capacity: { vcpus: number; memoryMb: number }; testHooks: boolean };
export type Reply = { status: number; body: unknown };

export type Route = {
  method: "GET" | "POST" | "PUT";
  path: string;
  schema: z.ZodType | null;
  operations: readonly OperationName[];
  /** Only served when REALMGATE_AGENT_TEST_HOOKS=1. */
  testHook?: boolean;
  /** Largest body accepted (default the server's 64 KiB). */
  maxBodyBytes?: number;
  handle: (ctx: RouteContext, body: unknown) => Reply;
};

const ops = <P extends string>(prefix: P, actions: readonly string[]) => actions.map((a) => `${prefix}.${a}` as OperationName);
const ok = (body: unknown): Reply => ({ status: 200, body });

function hypercall(endpoint: HypercallEndpoint, path: string, schema: z.ZodType, actions: readonly string[]): Route {
  return {
    method: "POST",
    path,
    schema,
    operations: ops(endpoint, actions),
    handle: (ctx, body) => ok(ctx.toolstack.hypercall({ endpoint, body } as Parameters<Toolstack["hypercall"]>[0])),
  };
}

export const ROUTES: readonly Route[] = [
  {
    method: "GET",
    path: "/v1/status",
    schema: null,
    operations: ["host.status"],
    handle: (ctx) => {
      const reply: HostStatusReply = {
        host: ctx.hostName,
        bootId: ctx.toolstack.bootId,
        domains: ctx.toolstack.status(),
        capacity: ctx.capacity,
        security: ctx.toolstack.security(),
      };
      return ok(reply);
    },
  },
  {
    method: "POST",
    path: "/v1/domains",
    schema: domainRequest,
    operations: ops("domain", domainAction.options),
    handle: (ctx, body) => ok(ctx.toolstack.apply(body as z.infer<typeof domainRequest>)),
  },
  {
    method: "POST",
    path: "/v1/domains/list",
    schema: listRequest,
    operations: ["domain.list", "domain.getdomaininfo"],
    handle: (ctx, body) => ok(ctx.toolstack.list(body as z.infer<typeof listRequest>)),
  },
  {
    method: "POST",
    path: "/v1/console",
    schema: consoleRequest,
    operations: ops("console", consoleAction.options),
    handle: (ctx, body) => ok(ctx.toolstack.console(body as z.infer<typeof consoleRequest>)),
  },
  {
    method: "POST",
    path: "/v1/metrics",
    schema: metricsRequest,
    operations: ["domain.list", "domain.getdomaininfo"],
    handle: (ctx, body) => ok(ctx.toolstack.metrics(body as z.infer<typeof metricsRequest>)),
  },
  hypercall("evtchn", "/v1/evtchn", evtchnRequest, evtchnAction.options),
  hypercall("grant", "/v1/grants", grantRequest, grantAction.options),
  hypercall("xenstore", "/v1/xenstore", xenstoreRequest, xenstoreAction.options),
  hypercall("argo", "/v1/argo", argoRequest, argoAction.options),
  hypercall("device", "/v1/devices", deviceRequest, deviceAction.options),
  {
    method: "POST",
    path: "/v1/blocks",
    schema: blockRequest,
    operations: ["grant.grant-access", "block.read", "block.write"],
    handle: (ctx, body) => ok(ctx.toolstack.block(body as z.infer<typeof blockRequest>)),
  },
  {
    // A compromised backend's view of its own store: the test of "no plaintext through an untrusted backend".
    method: "POST",
    path: "/v1/host/backend-store",
    schema: backendStoreRequest,
    operations: [],
    testHook: true,
    handle: (ctx, body) => ok(ctx.toolstack.backendStore((body as z.infer<typeof backendStoreRequest>).domid)),
  },
  {
    method: "PUT",
    path: "/v1/network/rules",
    schema: ndvmRulesLoad,
    operations: ["net.load-rules"],
    handle: (ctx, body) => ok(ctx.toolstack.network({ kind: "rules", body: body as z.infer<typeof ndvmRulesLoad> })),
  },
  {
    method: "PUT",
    path: "/v1/network/platform-rules",
    schema: platformRulesLoad,
    operations: ["net.load-rules"],
    handle: (ctx, body) => ok(ctx.toolstack.network({ kind: "platform-rules", body: body as z.infer<typeof platformRulesLoad> })),
  },
  {
    method: "POST",
    path: "/v1/network/flow",
    schema: flowRequest,
    operations: ["net.flow"],
    handle: (ctx, body) => ok(ctx.toolstack.network({ kind: "flow", body: body as z.infer<typeof flowRequest> })),
  },
  {
    method: "POST",
    path: "/v1/network/ndvm",
    schema: ndvmStateRequest,
    operations: ["host.status"],
    handle: (ctx, body) => ok(ctx.toolstack.ndvm((body as z.infer<typeof ndvmStateRequest>).ndvmDomid)),
  },
  {
    method: "PUT",
    path: "/v1/argo/bridges",
    schema: bridgeCreate,
    operations: ["bridge.create"],
    handle: (ctx, body) => ok(ctx.toolstack.bridges({ kind: "create", body: body as z.infer<typeof bridgeCreate> })),
  },
  {
    method: "POST",
    path: "/v1/argo/bridges/destroy",
    schema: bridgeDestroy,
    operations: ["bridge.destroy"],
    handle: (ctx, body) => ok(ctx.toolstack.bridges({ kind: "destroy", body: body as z.infer<typeof bridgeDestroy> })),
  },
  {
    method: "POST",
    path: "/v1/argo/bridges/list",
    schema: bridgeList,
    operations: ["bridge.list"],
    handle: (ctx, body) => ok(ctx.toolstack.bridges({ kind: "list", subjectLabel: (body as z.infer<typeof bridgeList>).subjectLabel })),
  },
  {
    method: "POST",
    path: "/v1/argo/bridges/send",
    schema: bridgeSend,
    operations: ["bridge.send", "argo.send"],
    handle: (ctx, body) => ok(ctx.toolstack.bridges({ kind: "send", body: body as z.infer<typeof bridgeSend> })),
  },
  {
    method: "POST",
    path: "/v1/access-check",
    schema: accessCheckRequest,
    operations: ["xsm.access-check"],
    handle: (ctx, body) => {
      const r = ctx.toolstack.explain(body as z.infer<typeof accessCheckRequest>);
      return r.ok ? ok(r.reply) : { status: r.error.code === "EACCES" ? 403 : 400, body: { error: r.error } };
    },
  },
  {
    method: "PUT",
    path: "/v1/acm",
    schema: acmPolicy,
    operations: ["acm.load"],
    handle: (ctx, body) => ok(ctx.toolstack.loadAcm(body as z.infer<typeof acmPolicy>)),
  },
  {
    method: "PUT",
    path: "/v1/xsm/policy",
    schema: flaskPolicyLoad,
    operations: ["xsm.load-policy"],
    maxBodyBytes: 2 * FLASK_POLICY_MAX_BYTES,
    handle: (ctx, body) => ok(ctx.toolstack.loadFlaskPolicy(body as z.infer<typeof flaskPolicyLoad>)),
  },
  {
    method: "PUT",
    path: "/v1/xsm/booleans",
    schema: flaskBoolean,
    operations: ["xsm.setbool"],
    handle: (ctx, body) => ok(ctx.toolstack.setFlaskBoolean(body as z.infer<typeof flaskBoolean>)),
  },
  {
    method: "GET",
    path: "/v1/host/snapshot",
    schema: null,
    operations: ["host.snapshot"],
    handle: (ctx) => ok(ctx.toolstack.snapshot()),
  },
  {
    method: "POST",
    path: "/v1/host/crash",
    schema: null,
    operations: ["host.crash"],
    testHook: true,
    handle: (ctx) => ok(ctx.toolstack.crash()),
  },
];
