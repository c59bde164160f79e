import { router } from "../../trpc";
import { activity } from "./activity";
import { alarms, checkpoint as auditCheckpoint, denials, exportTrail as auditExport, publicKey as auditPublicKey, verify as auditVerify } from "./audit";
import { list as breakGlassList, request as breakGlassRequest, revoke as breakGlassRevoke } from "./break-glass";
import { add as conflictAdd, list as conflictList, plan as conflictPlan, remove as conflictRemove, violations as conflictViolations } from "./conflicts";
import { explain } from "./explain";
import { explainArgo, list as agreementList } from "./agreements";
import { fleet } from "./fleet";
import { hosts } from "./hosts";
import { inviteOwner } from "./invitations";
import { add as networkRuleAdd, list as networkRuleList, remove as networkRuleRemove } from "./network-rules";
import { auditPage as orgAuditPage, create as orgCreate, decommission as orgDecommission, get as orgGet, list as orgList, retry as orgRetry } from "./organizations";
import { canary as policyCanary, overview as policyOverview, proceed as policyContinue, rollback as policyRollback, setBoolean as policySetBoolean, upload as policyUpload, versions as policyVersions } from "./policy";
import { list as quotaList, set as quotaSet } from "./quotas";
import { realms } from "./realms";
import { users as searchUsers, vms as searchVms } from "./search";
import { list as tokenList, revoke as tokenRevoke } from "./tokens";
import { trail } from "./trail";

export const operatorRouter = router({
  hosts,
  fleet,
  activity,
  realms,
  denials,
  alarms,
  trail,
  audit: router({ verify: auditVerify, checkpoint: auditCheckpoint, publicKey: auditPublicKey, export: auditExport }),
  explain,
  explainArgo,
  agreements: router({ list: agreementList }),
  breakGlass: router({ request: breakGlassRequest, revoke: breakGlassRevoke, list: breakGlassList }),
  conflicts: router({ add: conflictAdd, remove: conflictRemove, list: conflictList, plan: conflictPlan, violations: conflictViolations }),
  search: router({ users: searchUsers, vms: searchVms }),
  invitations: router({ inviteOwner }),
  quotas: router({ list: quotaList, set: quotaSet }),
  organizations: router({ list: orgList, get: orgGet, auditPage: orgAuditPage, create: orgCreate, retry: orgRetry, decommission: orgDecommission }),
  tokens: router({ list: tokenList, revoke: tokenRevoke }),
  networkRules: router({ list: networkRuleList, add: networkRuleAdd, remove: networkRuleRemove }),
  policy: router({ overview: policyOverview, versions: policyVersions, upload: policyUpload, canary: policyCanary, continue: policyContinue, rollback: policyRollback, setBoolean: policySetBoolean }),
});
