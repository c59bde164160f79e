import { createDiskInput, diskIdInput } from "../../../contracts/vm";
import { createDisk, deleteDisk } from "../../../services/devices";
import { idempotent } from "../../../services/idempotency";
import { realmAction, router } from "../../trpc";
import { actorScope } from "../actor-scope";

export const diskRouter = router({
  list: realmAction("vm.read").query(({ ctx }) =>
    ctx.db.disk.findMany({
      where: { realmId: ctx.realm.id },
      orderBy: { createdAt: "asc" },
      select: { id: true, name: true, sizeGb: true, createdAt: true, vm: { select: { id: true, name: true } } },
    }),
  ),
  create: realmAction("storage.manage")
    .input(createDiskInput)
    .mutation(({ ctx, input }) =>
      idempotent(ctx.db, { realmId: ctx.realm.id, userId: ctx.user.id, procedure: "disk.create" }, input, () => createDisk(ctx.db, actorScope(ctx), input)),
    ),
  delete: realmAction("storage.manage")
    .input(diskIdInput)
    .mutation(({ ctx, input }) =>
      idempotent(ctx.db, { realmId: ctx.realm.id, userId: ctx.user.id, procedure: "disk.delete" }, input, () => deleteDisk(ctx.db, actorScope(ctx), input.diskId)),
    ),
});
