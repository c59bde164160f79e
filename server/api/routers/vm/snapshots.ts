import type { z } from "zod";
import { acceptedOutput, pageInput, pageOf, snapshotAcceptedOutput, snapshotOutput } from "../../../contracts/api";
import { vmIdInput, vmSnapshotIdInput, vmSnapshotInput } from "../../../contracts/vm";
import { ACTION_PERMISSION } from "../../../policy/lifecycle";
import { requestDeleteSnapshot, requestRevert, requestSnapshot, vmSnapshots } from "../../../services/vm-everyday";
import { vmAction, vmQueryWith } from "../../trpc";
import { vmTarget } from "../actor-scope";

/** Snapshots of a VM: saved domains its host keeps, through the outbox like every lifecycle action. */

const openapi = (method: "GET" | "POST" | "DELETE", path: `/vms/{vmId}/snapshots${string}`, summary: string, description?: string) => ({
  openapi: { method, path, tags: ["Snapshots"], summary, description },
});

export const snapshots = vmQueryWith("vm.read", pageInput.extend(vmIdInput.shape))
  .meta(openapi("GET", "/vms/{vmId}/snapshots", "List a VM's snapshots", "Newest first. Pages with `cursor` (the previous page's `nextCursor`)."))
  .output(pageOf(snapshotOutput, "SnapshotPage"))
  .query(({ ctx, input }) => vmSnapshots(ctx.db, ctx.realm.id, ctx.vm.id, input) as Promise<{ items: z.infer<typeof snapshotOutput>[]; nextCursor: string | null }>);

export const snapshot = vmAction(ACTION_PERMISSION.snapshot, vmSnapshotInput)
  .meta({
    awaits: "accepted" as const,
    ...openapi("POST", "/vms/{vmId}/snapshots", "Take a snapshot", "Of a running, paused or stopped VM (it keeps running). Its storage (memory in whole GiB plus a copy of each disk) counts against the realm's disk quota."),
  })
  .output(snapshotAcceptedOutput)
  .mutation(({ ctx, input }) => requestSnapshot(ctx.db, { ...vmTarget(ctx), name: input.name }));

export const revert = vmAction(ACTION_PERMISSION.revert, vmSnapshotIdInput)
  .meta({
    awaits: "accepted" as const,
    ...openapi("POST", "/vms/{vmId}/snapshots/{snapshotId}/revert", "Revert a VM to a snapshot", "The VM ends in the state it was saved in (a running VM reverted to a stopped snapshot stops); it must be the size it was then."),
  })
  .output(acceptedOutput)
  .mutation(({ ctx, input }) => requestRevert(ctx.db, { ...vmTarget(ctx), snapshotId: input.snapshotId }));

export const deleteSnapshot = vmAction(ACTION_PERMISSION["delete-snapshot"], vmSnapshotIdInput)
  .meta({ awaits: "accepted" as const, ...openapi("DELETE", "/vms/{vmId}/snapshots/{snapshotId}", "Delete a snapshot", "Its storage goes back to the realm's quota once the host discarded it.") })
  .output(acceptedOutput)
  .mutation(({ ctx, input }) => requestDeleteSnapshot(ctx.db, { ...vmTarget(ctx), snapshotId: input.snapshotId }));
