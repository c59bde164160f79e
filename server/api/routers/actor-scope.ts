/** The realm, actor and rule a procedure's writes are recorded with. */
export function actorScope(ctx: { realm: { id: string }; user: { id: string }; requestId: string; permissionRule: string }) {
  return { realmId: ctx.realm.id, actor: { userId: ctx.user.id, requestId: ctx.requestId }, rule: ctx.permissionRule };
}
