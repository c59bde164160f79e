import { realmAction } from "../../trpc";
import { findManagementVm } from "../../../repositories/vms";
import { managementLabel, realmLevel } from "../../../services/labels";

export const get = realmAction("realm.read").query(async ({ ctx }) => ({
  id: ctx.realm.id,
  org: { name: ctx.org.name, slug: ctx.org.slug },
  role: ctx.role,
  category: realmLevel(ctx.realm),
  managementLabel: managementLabel(ctx.realm),
  managementVm: await findManagementVm(ctx.db, ctx.realm.id),
}));
