import { operationOutput } from "../../../contracts/api";
import { listOperationsForVm } from "../../../repositories/operations";
import { presentOperation } from "../../../services/operations";
import { vmQuery } from "../../trpc";

/**
 * The VM's operation in flight (at most one per VM), with its steps, or null: what the console
 * shows as "starting…" until the operation settles. The newest operation is the open one if any.
 */
export const inFlight = vmQuery("vm.read")
  .meta({ openapi: { method: "GET", path: "/vms/{vmId}/operations/in-flight", tags: ["Operations"], summary: "A VM's operation in flight, or null" } })
  .output(operationOutput.nullable())
  .query(async ({ ctx }) => {
    const {
      items: [latest],
    } = await listOperationsForVm(ctx.db, ctx.realm.id, ctx.vm.id, { limit: 1 });
    if (!latest) return null;
    const op = presentOperation(latest);
    return op.done ? null : op;
  });
