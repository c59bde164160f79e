import { z } from "zod";
import { withRealm } from "../../../db/client";
import { unsafeFindUserByEmail } from "../../../repositories/users";
import { unsafeFindVmWithRealm, vmVisible } from "../../../repositories/vms";
import { PERMISSIONS } from "../../../policy/permissions";
import { unsafeFindActiveBreakGlass } from "../../../repositories/break-glass";
import { unsafeFindMembershipForUser, unsafeFindMembershipInRealm } from "../../../repositories/memberships";
import { explainHypervisor, explainRole, type LayerVerdict } from "../../../services/explain";
import { operatorProcedure } from "../../trpc";
import { operatorRoute } from "./openapi";

const input = z
  .object({
    userEmail: z.email({ error: "userEmail must be an email address" }).trim().toLowerCase(),
    permission: z.enum(PERMISSIONS, { error: `permission must be one of ${PERMISSIONS.join(", ")}` }),
    vmId: z.uuid({ error: "vmId must be a valid id" }),
  })
  .strict();

/**
 * "Could this user do this on this VM, and why not?" per layer, without doing it. Layer 2 is
 * asked for real: the VM is looked up through the tenant role inside the user's realm.
 */
const explanation = z
  .object({
    answer: z.string().meta({ description: "The verdict in words, naming the first layer that denies" }),
    allowed: z.boolean(),
    layers: z.array(z.object({ layer: z.enum(["trpc", "database", "hypervisor"]), allowed: z.boolean(), reason: z.string(), avc: z.array(z.string()).optional() })),
  })
  .meta({ id: "Explanation" });

export const explain = operatorProcedure
  .meta(operatorRoute("GET", "/operator/explain", "Could this user do this to this VM, and why not?", "Per layer (tRPC role, database row-level security, hypervisor policy), without doing it."))
  .input(input)
  .output(explanation)
  .query(async ({ ctx, input }) => {
    const user = await unsafeFindUserByEmail(ctx.platformDb, input.userEmail);
    const vm = await unsafeFindVmWithRealm(ctx.platformDb, input.vmId);
    if (!user) return { answer: "no such user", allowed: false, layers: [] as LayerVerdict[] };
    if (!vm) return { answer: "no such VM", allowed: false, layers: [] as LayerVerdict[] };
    // A member of several organizations may act in any of them (it names one per request): asked
    // about this VM, it acts as a member of the VM's organization if it is one, else its first.
    const membership =
      (await unsafeFindMembershipInRealm(ctx.platformDb, user.id, vm.realmId)) ?? (await unsafeFindMembershipForUser(ctx.platformDb, user.id));
    const grant = !membership && user.isPlatformOperator ? await unsafeFindActiveBreakGlass(ctx.platformDb, user.id) : null;
    const realm = membership?.org.realm ?? grant?.realm ?? null;
    const role = membership?.role ?? grant?.role ?? null;

    const trpc = explainRole(role, input.permission, realm?.id === vm.realmId);
    const visible = realm ? await withRealm(ctx.db, realm.id, (tx) => vmVisible(tx, vm.id)) : false;
    const database: LayerVerdict = {
      layer: "database",
      allowed: visible,
      reason: visible ? "row-level security shows the VM inside the user's realm" : "row-level security hides the VM from the user's realm",
    };
    const hypervisor = explainHypervisor(realm, { kind: vm.kind, realm: vm.realm }, input.permission);
    const layers = [trpc, database, hypervisor];
    const allowed = layers.every((l) => l.allowed);
    const firstDenial = layers.find((l) => !l.allowed);
    return {
      answer: allowed
        ? `${user.name} may ${input.permission} ${vm.name} (${vm.realm.org.name})`
        : `${user.name} may not ${input.permission} ${vm.name} (${vm.realm.org.name}): denied by ${firstDenial!.layer} — ${firstDenial!.reason}`,
      allowed,
      layers,
    };
  });
