import { renamedOutput } from "../../../contracts/api";
import { vmRenameInput } from "../../../contracts/vm";
import { renameVmRequest } from "../../../services/vm-everyday";
import { vmAction } from "../../trpc";
import { vmTarget } from "../actor-scope";

/** Rename: any state; names are unique per realm. The domain's name is not in its xenstore here, so no host is asked. */
export const rename = vmAction("vm.configure", vmRenameInput)
  .meta({ openapi: { method: "POST", path: "/vms/{vmId}/rename", tags: ["VMs"], summary: "Rename a VM", description: "Any state; the name must be unused in the realm." } })
  .output(renamedOutput)
  .mutation(({ ctx, input }) =>
    renameVmRequest(ctx.db, { ...vmTarget(ctx), name: input.name }),
  );
