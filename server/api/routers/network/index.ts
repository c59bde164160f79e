import { z } from "zod";
import { networkOutput, pageInput, pageOf } from "../../../contracts/api";
import { createNetworkInput, networkIdInput } from "../../../contracts/vm";
import { listNetworks } from "../../../repositories/devices";
import { auditedDeviceLookup } from "../../../services/audit-foreign";
import { createNetwork, deleteNetwork } from "../../../services/devices";
import { realmAction, realmInput, router } from "../../trpc";
import { actorScope } from "../actor-scope";
import { addRule, flowTest, ndvms, removeRule, rules, setNdvm, testFlow } from "./ndvm";

const meta = (method: "GET" | "POST" | "DELETE", path: "/networks" | "/networks/{networkId}", summary: string, description?: string) => ({
  openapi: { method, path, tags: ["Networks"], summary, description },
});

export const networkRouter = router({
  list: realmAction("vm.read")
    .meta(meta("GET", "/networks", "List the realm's networks", "Oldest first, each with the VMs on it. Pages with `cursor` (the previous page's `nextCursor`)."))
    .input(pageInput.default({ limit: 50 }))
    .output(pageOf(networkOutput, "NetworkPage"))
    .query(({ ctx, input }) => listNetworks(ctx.db, ctx.realm.id, input)),
  create: realmInput("network.manage", createNetworkInput)
    .meta(meta("POST", "/networks", "Create a network", "Counts against the realm's network quota."))
    .output(z.object({ networkId: z.uuid() }))
    .mutation(({ ctx, input }) => createNetwork(ctx.db, actorScope(ctx), input)),
  delete: realmInput("network.manage", networkIdInput)
    .meta(meta("DELETE", "/networks/{networkId}", "Delete a network", "Only a network no VM is on."))
    .output(z.object({ deleted: z.boolean() }))
    .mutation(({ ctx, input }) => auditedDeviceLookup(ctx, "network", input.networkId, "network.delete", () => deleteNetwork(ctx.db, actorScope(ctx), input.networkId))),
  // Issue 15 part 4: NDVMs, the realm's network rules and flow tests (./ndvm.ts).
  ndvms,
  setNdvm,
  rules,
  addRule,
  removeRule,
  testFlow,
  flowTest,
});
