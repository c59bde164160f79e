import { z } from "zod";
import { backendIdInput, createDriverDomainInput } from "../../../contracts/vm";
import { auditedDeviceLookup } from "../../../services/audit-foreign";
import { createDriverDomain, listBackends, removeDriverDomain } from "../../../services/backends";
import { realmAction, realmInput, router } from "../../trpc";
import { actorScope } from "../actor-scope";

/**
 * Backend domains (issue 15 part 3): the platform's (trusted) and the realm's own driver domains
 * (untrusted). A driver domain id of another realm answers exactly like a missing one (and is
 * audited for operators as a cross-realm attempt: services/audit-foreign.ts).
 */

const meta = (method: "GET" | "POST" | "DELETE", path: "/backends" | "/backends/{backendId}", summary: string, description?: string) => ({
  openapi: { method, path, tags: ["Backends"], summary, description },
});

const backendOutput = z
  .object({
    id: z.uuid().nullable().meta({ description: "The driver domain's id; null for the platform's backends (chosen by leaving backendId out)" }),
    kind: z.enum(["platform-storage", "platform-network", "driver-domain"]),
    name: z.string(),
    isTrusted: z.boolean().meta({ description: "Trusted backends see plaintext; through an untrusted one every block is sealed (AES-GCM) with a realm key it never holds" }),
    serves: z.array(z.enum(["disk", "network"])),
    host: z.object({ id: z.uuid(), name: z.string() }).nullable(),
    state: z.enum(["running", "creating", "failed", "removing"]),
    stateReason: z.string().nullable(),
    domid: z.number().int().nullable(),
  })
  .meta({ id: "Backend" });

export const backendRouter = router({
  list: realmAction("vm.read")
    .meta(meta("GET", "/backends", "List the backends available to the realm", "The platform's storage and network backends (trusted), then the realm's driver domains (untrusted), oldest first."))
    .output(z.object({ items: z.array(backendOutput) }))
    .query(async ({ ctx }) => ({ items: await listBackends(ctx.db, ctx.realm.id) })),
  create: realmInput("storage.manage", createDriverDomainInput)
    .meta(meta("POST", "/backends", "Create a driver domain", "An untrusted backend domain of the realm, built on the host of the VM named; it can serve only this realm's VMs."))
    .output(z.object({ backendId: z.uuid() }))
    .mutation(({ ctx, input }) => createDriverDomain(ctx.db, actorScope(ctx), { name: input.name, vmId: input.vmId })),
  remove: realmInput("storage.manage", backendIdInput)
    .meta(meta("DELETE", "/backends/{backendId}", "Remove a driver domain", "Only one that serves no disk or network; destroyed on its host by the worker."))
    .output(z.object({ removed: z.boolean() }))
    .mutation(({ ctx, input }) => auditedDeviceLookup(ctx, "driver-domain", input.backendId, "backend.remove", () => removeDriverDomain(ctx.db, actorScope(ctx), input.backendId))),
});
