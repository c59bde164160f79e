import { z } from "zod";
import { diskOutput, pageInput, pageOf } from "../../../contracts/api";
import { createDiskInput, diskIdInput } from "../../../contracts/vm";
import { listDisks } from "../../../repositories/devices";
import { auditedDeviceLookup } from "../../../services/audit-foreign";
import { createDisk, deleteDisk } from "../../../services/devices";
import { realmAction, realmInput, router } from "../../trpc";
import { actorScope } from "../actor-scope";

const meta = (method: "GET" | "POST" | "DELETE", path: "/disks" | "/disks/{diskId}", summary: string, description?: string) => ({
  openapi: { method, path, tags: ["Disks"], summary, description },
});

export const diskRouter = router({
  list: realmAction("vm.read")
    .meta(meta("GET", "/disks", "List the realm's disks", "Oldest first, each with the VM it is attached to. Pages with `cursor` (the previous page's `nextCursor`)."))
    .input(pageInput.default({ limit: 50 }))
    .output(pageOf(diskOutput, "DiskPage"))
    .query(({ ctx, input }) => listDisks(ctx.db, ctx.realm.id, input)),
  create: realmInput("storage.manage", createDiskInput)
    .meta(meta("POST", "/disks", "Create a disk", "Counts against the realm's disk quota (GiB)."))
    .output(z.object({ diskId: z.uuid() }))
    .mutation(({ ctx, input }) => createDisk(ctx.db, actorScope(ctx), input)),
  delete: realmInput("storage.manage", diskIdInput)
    .meta(meta("DELETE", "/disks/{diskId}", "Delete a disk", "Only a detached disk."))
    .output(z.object({ deleted: z.boolean() }))
    .mutation(({ ctx, input }) => auditedDeviceLookup(ctx, "disk", input.diskId, "disk.delete", () => deleteDisk(ctx.db, actorScope(ctx), input.diskId))),
});
