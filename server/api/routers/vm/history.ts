import { z } from "zod";
import { operationOutput } from "../../../contracts/api";
import { tokenNames } from "../../../repositories/api-tokens";
import { listOperationsForVm } from "../../../repositories/operations";
import { unsafeUserNames } from "../../../repositories/users";
import { presentOperation } from "../../../services/operations";
import { vmQuery } from "../../trpc";

/** The VM's action history: who (and through which API token), what, when, result, duration. */
export const history = vmQuery("vm.read")
  .meta({ openapi: { method: "GET", path: "/vms/{vmId}/operations", tags: ["Operations"], summary: "A VM's last 20 operations, newest first" } })
  .output(z.array(operationOutput.extend({ requestedBy: z.string().meta({ description: "Who asked: a member's name (and API token), or system" }) })))
  .query(async ({ ctx }) => {
    const operations = await listOperationsForVm(ctx.db, ctx.realm.id, ctx.vm.id);
    const userIds = [...new Set(operations.map((o) => o.requestedById).filter((id): id is string => id !== null))];
    const [names, tokens] = await Promise.all([
      unsafeUserNames(ctx.platformDb, userIds),
      tokenNames(ctx.db, operations.map((o) => o.requestedByTokenId).filter((id): id is string => id !== null)),
    ]);
    return operations.map((o) => {
      const who = o.requestedById ? (names.get(o.requestedById)?.name ?? "unknown") : "system";
      const token = o.requestedByTokenId ? tokens.get(o.requestedByTokenId) : undefined;
      return { ...presentOperation(o), requestedBy: token ? `${who} (token ${token})` : who };
    });
  });
