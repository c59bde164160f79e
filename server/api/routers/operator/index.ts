import { router } from "../../trpc";
import { alarms, denials } from "./audit";
import { list as breakGlassList, request as breakGlassRequest, revoke as breakGlassRevoke } from "./break-glass";
import { add as conflictAdd, list as conflictList, remove as conflictRemove } from "./conflicts";
import { explain } from "./explain";
import { hosts } from "./hosts";
import { inviteOwner } from "./invitations";
import { auditPage as orgAuditPage, create as orgCreate, decommission as orgDecommission, get as orgGet, list as orgList, retry as orgRetry } from "./organizations";
import { list as quotaList, set as quotaSet } from "./quotas";
import { realms } from "./realms";
import { list as tokenList, revoke as tokenRevoke } from "./tokens";

export const operatorRouter = router({
  hosts,
  realms,
  denials,
  alarms,
  explain,
  breakGlass: router({ request: breakGlassRequest, revoke: breakGlassRevoke, list: breakGlassList }),
  conflicts: router({ add: conflictAdd, remove: conflictRemove, list: conflictList }),
  invitations: router({ inviteOwner }),
  quotas: router({ list: quotaList, set: quotaSet }),
  organizations: router({ list: orgList, get: orgGet, auditPage: orgAuditPage, create: orgCreate, retry: orgRetry, decommission: orgDecommission }),
  tokens: router({ list: tokenList, revoke: tokenRevoke }),
});
