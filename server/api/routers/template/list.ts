import { z } from "zod";
import { templateOutput } from "../../../contracts/api";
import { listTemplates } from "../../../repositories/templates";
import { realmAction } from "../../trpc";

/** Templates are platform-wide, read-only content: every realm may pick from all of them. */
export const list = realmAction("vm.read")
  .meta({ openapi: { method: "GET", path: "/templates", tags: ["Templates"], summary: "List the templates VMs are created from" } })
  .output(z.array(templateOutput))
  .query(({ ctx }) => listTemplates(ctx.db));
