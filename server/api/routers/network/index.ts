import { createNetworkInput, networkIdInput } from "../../../contracts/vm";
import { createNetwork, deleteNetwork } from "../../../services/devices";
import { idempotent } from "../../../services/idempotency";
import { realmAction, router } from "../../trpc";
import { actorScope } from "../actor-scope";

export const networkRouter = router({
  list: realmAction("vm.read").query(({ ctx }) =>
    ctx.db.network.findMany({
      where: { realmId: ctx.realm.id },
      orderBy: { createdAt: "asc" },
      select: { id: true, name: true, createdAt: true, vms: { select: { vm: { select: { id: true, name: true } } } } },
    }),
  ),
  create: realmAction("network.manage")
    .input(createNetworkInput)
    .mutation(({ ctx, input }) =>
      idempotent(ctx.db, { realmId: ctx.realm.id, userId: ctx.user.id, procedure: "network.create" }, input, () => createNetwork(ctx.db, actorScope(ctx), input)),
    ),
  delete: realmAction("network.manage")
    .input(networkIdInput)
    .mutation(({ ctx, input }) =>
      idempotent(ctx.db, { realmId: ctx.realm.id, userId: ctx.user.id, procedure: "network.delete" }, input, () => deleteNetwork(ctx.db, actorScope(ctx), input.networkId)),
    ),
});
