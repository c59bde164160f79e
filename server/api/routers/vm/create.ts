import { vmAcceptedOutput } from "../../../contracts/api";
import { createVmInput } from "../../../contracts/vm";
import { ACTION_PERMISSION } from "../../../policy/lifecycle";
import { requestVmCreate } from "../../../services/lifecycle";
import { realmInput } from "../../trpc";
import { actorOf } from "../actor-scope";

export const create = realmInput(ACTION_PERMISSION.create, createVmInput)
  .meta({
    awaits: "accepted",
    openapi: { method: "POST", path: "/vms", tags: ["VMs"], summary: "Create a VM from a template", description: "Placed on a host by capacity and the realm's Chinese Wall; built, then left stopped." },
  })
  .output(vmAcceptedOutput)
  .mutation(({ ctx, input }) => {
    const { idempotencyKey: _key, ...spec } = input;
    return requestVmCreate(ctx.db, ctx.platformDb, {
      realmId: ctx.realm.id,
      ...spec,
      actor: actorOf(ctx),
      rule: ctx.permissionRule,
    });
  });
