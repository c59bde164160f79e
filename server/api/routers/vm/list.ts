import { pageInput, pageOf, vmOutput } from "../../../contracts/api";
import { listVmsInRealm, listVmsInRealmAhead } from "../../../repositories/vms";
import { realmAction } from "../../trpc";

export const list = realmAction("vm.read")
  .meta({ prefetch: (realmId, raw) => listVmsInRealmAhead(realmId, raw as { cursor?: unknown; limit?: unknown } | undefined), openapi: { method: "GET", path: "/vms", tags: ["VMs"], summary: "List the realm's VMs", description: "The management VM first, then by creation. Pages with `cursor` (the previous page's `nextCursor`)." } })
  .input(pageInput.default({ limit: 50 }))
  .output(pageOf(vmOutput, "VmPage"))
  .query(({ ctx, input }) => listVmsInRealm(ctx.db, ctx.realm.id, input));
