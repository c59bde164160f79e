import { z } from "zod";
import { operationOutput } from "../../../contracts/api";
import { id } from "../../../contracts/vm";
import { getOperation } from "../../../services/operations";
import { realmAction, router } from "../../trpc";

/** An operation of the caller's realm, by id; `?wait=<seconds>` (REST) blocks until it is done. */
export const get = realmAction("vm.read")
  .meta({
    awaits: "operation",
    openapi: {
      method: "GET",
      path: "/operations/{operationId}",
      tags: ["Operations"],
      summary: "Get an operation",
      description: "Status, steps, timings and result. With `?wait=<seconds>` (at most 60) the answer comes once the operation is done or the time is up.",
    },
  })
  .input(z.object({ operationId: id }).strict())
  .output(operationOutput)
  .query(({ ctx, input }) => getOperation(ctx.db, ctx.realm.id, input.operationId));

export const operationRouter = router({ get });
