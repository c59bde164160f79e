import { createDiskInput, diskIdInput } from "../../../contracts/vm";
import { listDisks } from "../../../repositories/devices";
import { createDisk, deleteDisk } from "../../../services/devices";
import { realmAction, realmInput, router } from "../../trpc";
import { actorScope } from "../actor-scope";

export const diskRouter = router({
  list: realmAction("vm.read").query(({ ctx }) => listDisks(ctx.db, ctx.realm.id)),
  create: realmInput("storage.manage", createDiskInput).mutation(({ ctx, input }) => createDisk(ctx.db, actorScope(ctx), input)),
  delete: realmInput("storage.manage", diskIdInput).mutation(({ ctx, input }) => deleteDisk(ctx.db, actorScope(ctx), input.diskId)),
});
