/**
 * A typed tRPC client with an API token: the console's own procedures (the router's types come
 * from server/api/root; only the type is imported, no server code runs here). Lists VMs, starts a
 * stopped one (creating one if there is none) and follows the operation until it is done.
 *
 *   REALMGATE_URL=http://127.0.0.1:3000 REALMGATE_TOKEN=rgt_… npx tsx examples/trpc-client.ts
 *
 * The token needs vm.read and vm.start (and vm.create if no VM is stopped).
 */
import { createTRPCClient, httpLink } from "@trpc/client";
import superjson from "superjson";
import type { AppRouter } from "../server/api/root";

const baseUrl = process.env.REALMGATE_URL ?? "http://127.0.0.1:3000";
const token = process.env.REALMGATE_TOKEN;
if (!token) throw new Error("set REALMGATE_TOKEN to an API token (rgt_…)");

const trpc = createTRPCClient<AppRouter>({
  links: [httpLink({ url: `${baseUrl}/api/trpc`, transformer: superjson, headers: { authorization: `Bearer ${token}` } })],
});

const page = await trpc.vm.list.query({ limit: 50 });
for (const vm of page.items) console.log(`vm ${vm.name}: ${vm.observedState}`);

let target = page.items.find((vm) => vm.observedState === "stopped" && vm.kind === "guest");
if (!target) {
  // Lists are pages ({items, nextCursor}); the templates fit in one of 200.
  const templates = (await trpc.template.list.query({ limit: 200 })).items;
  const template = templates.find((t) => t.name === process.env.REALMGATE_TEMPLATE) ?? templates[0];
  if (!template) throw new Error("no templates on this platform");
  const { vmId, operationId } = await trpc.vm.create.mutate({ name: `trpc-${Date.now().toString(36)}`, templateId: template.id });
  await settle(operationId);
  target = await trpc.vm.get.query({ vmId });
}

const { operationId } = await trpc.vm.start.mutate({ vmId: target.id });
console.log(`starting ${target.name}: operation ${operationId}`);
console.log(`start ${await settle(operationId)}`);

/** Polls the operation until it is done (the REST surface's ?wait= does this server-side). */
async function settle(id: string): Promise<string> {
  for (let i = 0; i < 60; i++) {
    const operation = await trpc.operation.get.query({ operationId: id });
    if (operation.done) return operation.status;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`operation ${id} did not finish in 30 s`);
}
