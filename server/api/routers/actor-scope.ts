import type { LockedVm } from "../../repositories/vms";

/** The realm, actor and rule a procedure's writes are recorded with. */
export function actorScope(ctx: ActorCtx) {
  return { realmId: ctx.realm.id, actor: actorOf(ctx), rule: ctx.permissionRule };
}

type ActorCtx = { realm: { id: string }; user: { id: string }; requestId: string; permissionRule: string; breakGlassId: string | null; token: { id: string } | null };

/** The member acting, the request, and what it acts through (a break-glass grant, an API token). */
export function actorOf(ctx: Omit<ActorCtx, "realm" | "permissionRule">) {
  return { userId: ctx.user.id, requestId: ctx.requestId, breakGlassGrantId: ctx.breakGlassId, tokenId: ctx.token?.id ?? null };
}

/**
 * A request on one VM, as vmAction leaves it: the VM's realm, the acting realm (the caller's),
 * the VM locked with its in-flight operation in this transaction, the actor and the rule.
 */
export function vmTarget(ctx: ActorCtx & { vm: LockedVm }) {
  return { realmId: ctx.vm.realmId, subjectRealmId: ctx.realm.id, vmId: ctx.vm.id, locked: ctx.vm, actor: actorOf(ctx), rule: ctx.permissionRule };
}
