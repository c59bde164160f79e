import { z } from "zod";
import { vmAcceptedOutput } from "../../../contracts/api";
import { vmCloneInput } from "../../../contracts/vm";
import { requestVmClone } from "../../../services/vm-everyday";
import { vmAction } from "../../trpc";
import { vmTarget } from "../actor-scope";

/** A new VM from a stopped one; needs vm.create, like any new VM (and counts like one). */
export const clone = vmAction("vm.create", vmCloneInput)
  .meta({
    awaits: "accepted",
    openapi: {
      method: "POST",
      path: "/vms/{vmId}/clone",
      tags: ["VMs"],
      summary: "Clone a stopped VM",
      description: "A new VM with the source's template and size and a copy of each of its disks, placed like a create; the VM and the disks count against the realm's quota.",
    },
  })
  .output(vmAcceptedOutput.extend({ diskIds: z.array(z.uuid()) }).meta({ id: "CloneAccepted" }))
  .mutation(({ ctx, input }) =>
    requestVmClone(ctx.db, ctx.platformDb, { ...vmTarget(ctx), name: input.name }),
  );
