/** The realm, actor and rule a procedure's writes are recorded with. */
export function actorScope(ctx: ActorCtx) {
  return { realmId: ctx.realm.id, actor: actorOf(ctx), rule: ctx.permissionRule };
}

type ActorCtx = { realm: { id: string }; user: { id: string }; requestId: string; permissionRule: string; breakGlassId: string | null; token: { id: string } | null };

/** The member acting, the request, and what it acts through (a break-glass grant, an API token). */
export function actorOf(ctx: Omit<ActorCtx, "realm" | "permissionRule">) {
  return { userId: ctx.user.id, requestId: ctx.requestId, breakGlassGrantId: ctx.breakGlassId, tokenId: ctx.token?.id ?? null };
}
