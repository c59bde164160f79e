/** The realm, actor and rule a procedure's writes are recorded with. */
export function actorScope(ctx: { realm: { id: string }; user: { id: string }; requestId: string; permissionRule: string; breakGlassId: string | null }) {
  return { realmId: ctx.realm.id, actor: { userId: ctx.user.id, requestId: ctx.requestId, breakGlassGrantId: ctx.breakGlassId }, rule: ctx.permissionRule };
}
