import { acceptedOutput } from "../../../contracts/api";
import { vmResizeInput } from "../../../contracts/vm";
import { ACTION_PERMISSION } from "../../../policy/lifecycle";
import { requestVmResize } from "../../../services/vm-everyday";
import { vmAction } from "../../trpc";
import { vmTarget } from "../actor-scope";

export const resize = vmAction(ACTION_PERMISSION.resize, vmResizeInput)
  .meta({
    awaits: "accepted",
    openapi: {
      method: "POST",
      path: "/vms/{vmId}/resize",
      tags: ["VM lifecycle"],
      summary: "Resize a VM (vCPUs, memory)",
      description:
        "A stopped VM takes any size within the realm's quota. A running or paused one keeps its domain: memory down to 256 MiB and back up to what it booted with, vCPUs up to its max_vcpus (the host refuses beyond, naming the field). What a resize adds is reserved at once.",
    },
  })
  .output(acceptedOutput)
  .mutation(({ ctx, input }) =>
    requestVmResize(ctx.db, ctx.platformDb, { ...vmTarget(ctx), vcpus: input.vcpus, memoryMb: input.memoryMb }),
  );
