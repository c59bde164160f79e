import { realmAction } from "../../trpc";
import { findManagementVm } from "../../../repositories/vms";
import { ROLE_GRANTS, type Role } from "../../../policy/permissions";
import { managementLabel, realmLevel } from "../../../xsm";

export const get = realmAction("realm.read").query(async ({ ctx }) => ({
  id: ctx.realm.id,
  org: { name: ctx.org.name, slug: ctx.org.slug },
  role: ctx.role,
  /** What the caller's role may do, so the UI offers only that (the server decides anyway). */
  permissions: [...(ROLE_GRANTS[ctx.role as Role] ?? [])],
  category: realmLevel(ctx.realm),
  managementLabel: managementLabel(ctx.realm),
  managementVm: await findManagementVm(ctx.db, ctx.realm.id),
}));
