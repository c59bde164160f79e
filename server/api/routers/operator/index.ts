import { router } from "../../trpc";
import { alarms, denials } from "./audit";
import { list as breakGlassList, request as breakGlassRequest, revoke as breakGlassRevoke } from "./break-glass";
import { add as conflictAdd, list as conflictList, remove as conflictRemove } from "./conflicts";
import { explain } from "./explain";
import { hosts } from "./hosts";
import { realms } from "./realms";

export const operatorRouter = router({
  hosts,
  realms,
  denials,
  alarms,
  explain,
  breakGlass: router({ request: breakGlassRequest, revoke: breakGlassRevoke, list: breakGlassList }),
  conflicts: router({ add: conflictAdd, remove: conflictRemove, list: conflictList }),
});
