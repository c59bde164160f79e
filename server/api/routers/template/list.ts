import { pageInput, pageOf, templateOutput } from "../../../contracts/api";
import { listTemplates } from "../../../repositories/templates";
import { realmAction } from "../../trpc";

/** Templates are platform-wide, read-only content: every realm may pick from all of them. */
export const list = realmAction("vm.read")
  .meta({ openapi: { method: "GET", path: "/templates", tags: ["Templates"], summary: "List the templates VMs are created from", description: "By name. Pages with `cursor` (the previous page's `nextCursor`)." } })
  .input(pageInput.default({ limit: 50 }))
  .output(pageOf(templateOutput, "TemplatePage"))
  .query(({ ctx, input }) => listTemplates(ctx.db, input));
