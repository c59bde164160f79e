import { vmOutput } from "../../../contracts/api";
import { vmQuery } from "../../trpc";

export const get = vmQuery("vm.read")
  // One statement, the VM by key (vmQuery's load): cached generic plans, as realm.get.
  .meta({ genericPlans: true, openapi: { method: "GET", path: "/vms/{vmId}", tags: ["VMs"], summary: "Get a VM" } })
  .output(vmOutput)
  .query(({ ctx }) => ctx.vm);
