import { createNetworkInput, networkIdInput } from "../../../contracts/vm";
import { listNetworks } from "../../../repositories/devices";
import { createNetwork, deleteNetwork } from "../../../services/devices";
import { realmAction, realmInput, router } from "../../trpc";
import { actorScope } from "../actor-scope";

export const networkRouter = router({
  list: realmAction("vm.read").query(({ ctx }) => listNetworks(ctx.db, ctx.realm.id)),
  create: realmInput("network.manage", createNetworkInput).mutation(({ ctx, input }) => createNetwork(ctx.db, actorScope(ctx), input)),
  delete: realmInput("network.manage", networkIdInput).mutation(({ ctx, input }) => deleteNetwork(ctx.db, actorScope(ctx), input.networkId)),
});
