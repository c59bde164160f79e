import { z } from "zod";
import { pageInput, pageOf } from "../../../contracts/api";
import { backendIdInput, createDriverDomainInput } from "../../../contracts/vm";
import { auditedDeviceLookup } from "../../../services/audit-foreign";
import { createDriverDomain, driverDomainRemovalPreview, listBackends, removeDriverDomain } from "../../../services/backends";
import { realmAction, realmInput, router } from "../../trpc";
import { actorScope } from "../actor-scope";

/**
 * Backend domains (issue 15 part 3): the platform's (trusted) and the realm's own driver domains
 * (untrusted). A driver domain id of another realm answers exactly like a missing one (and is
 * audited for operators as a cross-realm attempt: services/audit-foreign.ts).
 */

const meta = (method: "GET" | "POST" | "DELETE", path: "/backends" | "/backends/{backendId}" | "/backends/{backendId}/removal-preview", summary: string, description?: string) => ({
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

const removeInput = z
  .object({ backendId: backendIdInput.shape.backendId, idempotencyKey: backendIdInput.shape.idempotencyKey, confirm: z.boolean().optional().meta({ description: "Required for an NDVM: you have seen what it disconnects" }) })
  .strict();

export const backendRouter = router({
  list: realmAction("vm.read")
    .meta(
      meta(
        "GET",
        "/backends",
        "List the backends available to the realm",
        "The platform's storage and network backends (trusted, on the first page only, outside `limit`), then the realm's driver domains (untrusted), oldest first. Pages with `cursor` (the previous page's `nextCursor`).",
      ),
    )
    .input(pageInput.default({ limit: 50 }))
    .output(pageOf(backendOutput, "BackendPage"))
    .query(({ ctx, input }) => listBackends(ctx.db, ctx.realm.id, input)),
  create: realmInput("storage.manage", createDriverDomainInput)
    .meta(meta("POST", "/backends", "Create a driver domain", "An untrusted backend domain of the realm, built on the host of the VM named; it can serve only this realm's VMs."))
    .output(z.object({ backendId: z.uuid() }))
    .mutation(({ ctx, input }) => createDriverDomain(ctx.db, actorScope(ctx), { name: input.name, vmId: input.vmId })),
  remove: realmInput("storage.manage", removeInput)
    .meta(
      meta(
        "DELETE",
        "/backends/{backendId}",
        "Remove a driver domain",
        "Only one that serves no disk or network; destroyed on its host by the worker. An NDVM (a network's driver domain) is refused unless `confirm` is true (see the removal preview): confirmed, its networks go back to the platform's backend and the interfaces it serves are detached; remove again once they are.",
      ),
    )
    .output(z.object({ removed: z.boolean(), disconnecting: z.array(z.string()).meta({ description: "VMs whose interfaces are being detached (the driver domain is removed once they are)" }) }))
    .mutation(({ ctx, input }) => auditedDeviceLookup(ctx, "driver-domain", input.backendId, "backend.remove", () => removeDriverDomain(ctx.db, actorScope(ctx), input.backendId, input.confirm ?? false))),
  removalPreview: realmInput("storage.manage", backendIdInput)
    .meta(meta("GET", "/backends/{backendId}/removal-preview", "What removing a driver domain disconnects", "The networks it is the NDVM of and the VMs whose interfaces it serves."))
    .output(
      z.object({
        backendId: z.uuid(),
        name: z.string(),
        isNdvm: z.boolean(),
        networks: z.array(z.object({ id: z.uuid(), name: z.string() })),
        vms: z.array(z.object({ id: z.uuid(), name: z.string(), network: z.string() })),
      }),
    )
    .query(({ ctx, input }) => auditedDeviceLookup(ctx, "driver-domain", input.backendId, "backend.removal-preview", () => driverDomainRemovalPreview(ctx.db, ctx.realm.id, input.backendId))),
});
