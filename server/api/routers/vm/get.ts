import { vmOutput } from "../../../contracts/api";
import { vmAction } from "../../trpc";

export const get = vmAction("vm.read")
  .meta({ openapi: { method: "GET", path: "/vms/{vmId}", tags: ["VMs"], summary: "Get a VM" } })
  .output(vmOutput)
  .query(({ ctx }) => ctx.vm);
