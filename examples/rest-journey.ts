/**
 * A scripted journey through the REST API with openapi-fetch, typed by the OpenAPI document:
 * create a VM, start it and wait for the outcome, list VMs, stop it, then revoke the token it ran
 * with and show that the next call is refused.
 *
 *   REALMGATE_URL=http://127.0.0.1:3000 REALMGATE_TOKEN=rgt_… npx tsx examples/rest-journey.ts
 *
 * REALMGATE_TEMPLATE optionally names the template of the VM. The token needs vm.read, vm.create, vm.start, vm.stop and realm.read (to find itself in
 * GET /tokens). Revoking it is the last step: use a token made for this script.
 */
import createClient from "openapi-fetch";
import type { paths } from "./api-types";

const baseUrl = process.env.REALMGATE_URL ?? "http://127.0.0.1:3000";
const token = process.env.REALMGATE_TOKEN;
if (!token) throw new Error("set REALMGATE_TOKEN to an API token (rgt_…)");

const api = createClient<paths>({ baseUrl: `${baseUrl}/api/v1`, headers: { authorization: `Bearer ${token}` } });

/** Errors are RFC 9457 problem details: say what went wrong and stop. */
function fail(step: string, error: unknown, response: Response): never {
  const detail = (error as { detail?: string } | undefined)?.detail ?? response.statusText;
  throw new Error(`${step}: HTTP ${response.status}: ${detail}`);
}

// Lists are pages ({items, nextCursor}); the templates fit in one of 200.
const templates = await api.GET("/templates", { params: { query: { limit: 200 } } });
if (!templates.data) fail("list templates", templates.error, templates.response);
// REALMGATE_TEMPLATE names one (e.g. "small"); otherwise the first.
const template = templates.data.items.find((t) => t.name === process.env.REALMGATE_TEMPLATE) ?? templates.data.items[0];
if (!template) throw new Error("no templates on this platform");
console.log(`template: ${template.name}`);

// Lifecycle requests answer 202 with the operation's Location; ?wait=30 waits for the outcome.
const name = `journey-${Date.now().toString(36)}`;
const created = await api.POST("/vms", { params: { query: { wait: 30 } }, body: { name, templateId: template.id } });
if (!created.data) fail("create", created.error, created.response);
const vmId = created.data.vmId;
console.log(`created ${name} (${vmId}): HTTP ${created.response.status}, operation ${created.data.operationId} ${created.data.operation?.status ?? "pending"}`);

const started = await api.POST("/vms/{vmId}/start", { params: { path: { vmId }, query: { wait: 30 } }, body: {} });
if (!started.data) fail("start", started.error, started.response);
console.log(`start: HTTP ${started.response.status}, operation ${started.data.operation?.status ?? "pending"}`);

const listed = await api.GET("/vms", { params: { query: { limit: 50 } } });
if (!listed.data) fail("list", listed.error, listed.response);
for (const vm of listed.data.items) console.log(`vm ${vm.name}: ${vm.observedState}`);

const stopped = await api.POST("/vms/{vmId}/stop", { params: { path: { vmId }, query: { wait: 30 } }, body: {} });
if (!stopped.data) fail("stop", stopped.error, stopped.response);
console.log(`stop: HTTP ${stopped.response.status}, operation ${stopped.data.operation?.status ?? "pending"}`);

// The token finds itself by its public lookup id (rgt_<lookupId>_<secret>) and revokes itself.
const lookupId = token.split("_")[1];
// Newest first, page by page (nextCursor) until it turns up.
let self: { id: string; name: string; lookupId: string } | undefined;
for (let cursor: string | undefined, more = true; more && !self; ) {
  const tokens = await api.GET("/tokens", { params: { query: { limit: 200, cursor } } });
  if (!tokens.data) fail("list tokens", tokens.error, tokens.response);
  self = tokens.data.items.find((t) => t.lookupId === lookupId);
  cursor = tokens.data.nextCursor ?? undefined;
  more = cursor !== undefined;
}
if (!self) throw new Error("this token is not in GET /tokens");
const revoked = await api.DELETE("/tokens/{tokenId}", { params: { path: { tokenId: self.id } } });
if (!revoked.data) fail("revoke", revoked.error, revoked.response);
console.log(`revoked token ${self.name} at ${revoked.data.revokedAt}`);

const after = await api.GET("/vms");
console.log(`after revocation: HTTP ${after.response.status}: ${(after.error as { detail?: string } | undefined)?.detail ?? "(no error?)"}`);
if (after.response.status !== 401) process.exitCode = 1;
