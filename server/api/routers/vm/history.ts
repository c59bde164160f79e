import { z } from "zod";
import { operationOutput, pageInput, pageOf } from "../../../contracts/api";
import { vmIdInput } from "../../../contracts/vm";
import { tokenNames } from "../../../repositories/api-tokens";
import { listOperationsForVm } from "../../../repositories/operations";
import { unsafeUserNames } from "../../../repositories/users";
import { presentOperation } from "../../../services/operations";
import { vmQueryWith } from "../../trpc";

/** The VM's action history, a page at a time: who (and through which API token), what, when, result, duration. */
export const history = vmQueryWith("vm.read", pageInput.extend(vmIdInput.shape))
  .meta({
    openapi: {
      method: "GET",
      path: "/vms/{vmId}/operations",
      tags: ["Operations"],
      summary: "A VM's operations, newest first",
      description: "Pages with `cursor` (the previous page's `nextCursor`: older operations); `limit` per page (default 50).",
    },
  })
  .output(pageOf(operationOutput.extend({ requestedBy: z.string().meta({ description: "Who asked: a member's name (and API token), or system" }) }), "OperationHistoryPage"))
  .query(async ({ ctx, input }) => {
    const page = await listOperationsForVm(ctx.db, ctx.realm.id, ctx.vm.id, input);
    const operations = page.items;
    const userIds = [...new Set(operations.map((o) => o.requestedById).filter((id): id is string => id !== null))];
    const [names, tokens] = await Promise.all([
      unsafeUserNames(ctx.platformDb, userIds),
      tokenNames(ctx.db, operations.map((o) => o.requestedByTokenId).filter((id): id is string => id !== null)),
    ]);
    const items = operations.map((o) => {
      const who = o.requestedById ? (names.get(o.requestedById)?.name ?? "unknown") : "system";
      const token = o.requestedByTokenId ? tokens.get(o.requestedByTokenId) : undefined;
      return { ...presentOperation(o), requestedBy: token ? `${who} (token ${token})` : who };
    });
    return { items, nextCursor: page.nextCursor };
  });
