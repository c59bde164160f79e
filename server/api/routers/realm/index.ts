import { router } from "../../trpc";
import { audit } from "./audit";
import { auditExport, auditVerify } from "./audit-integrity";
import { get } from "./get";
import { create as invitationCreate, list as invitationList, revoke as invitationRevoke } from "./invitations";
import { changeRole as memberChangeRole, list as memberList, remove as memberRemove } from "./members";
import { quota } from "./quota";

export const realmRouter = router({
  get,
  audit,
  auditVerify,
  auditExport,
  quota,
  members: router({ list: memberList, changeRole: memberChangeRole, remove: memberRemove }),
  invitations: router({ list: invitationList, create: invitationCreate, revoke: invitationRevoke }),
});
