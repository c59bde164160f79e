import { vmOutput } from "../../../contracts/api";
import { vmQuery } from "../../trpc";

export const get = vmQuery("vm.read")
  .meta({ openapi: { method: "GET", path: "/vms/{vmId}", tags: ["VMs"], summary: "Get a VM" } })
  .output(vmOutput)
  .query(({ ctx }) => ctx.vm);
