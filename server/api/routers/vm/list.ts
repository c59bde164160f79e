import { realmAction } from "../../trpc";
import { listVmsInRealm } from "../../../repositories/vms";

export const list = realmAction("vm.read").query(({ ctx }) => listVmsInRealm(ctx.db, ctx.realm.id));
