import { listTemplates } from "../../../repositories/templates";
import { realmAction } from "../../trpc";

/** Templates are platform-wide, read-only content: every realm may pick from all of them. */
export const list = realmAction("vm.read").query(({ ctx }) => listTemplates(ctx.db));
