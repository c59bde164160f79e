import { vmDiskInput, vmNetworkInput } from "../../../contracts/vm";
import { ACTION_PERMISSION } from "../../../policy/lifecycle";
import { requestAttachDisk, requestAttachNetwork, requestDetachDisk, requestDetachNetwork } from "../../../services/devices";
import { vmAction } from "../../trpc";
import { actorScope } from "../actor-scope";

/** PV devices: the disk or network is looked up inside the caller's realm, like the VM. */

type Ctx = { realm: { id: string }; vm: { id: string; realmId: string }; user: { id: string }; requestId: string; permissionRule: string; breakGlassId: string | null };
const args = (ctx: Ctx) => ({ ...actorScope(ctx), realmId: ctx.vm.realmId, subjectRealmId: ctx.realm.id, vmId: ctx.vm.id });

export const attachDisk = vmAction(ACTION_PERMISSION["attach-disk"], vmDiskInput).mutation(({ ctx, input }) => requestAttachDisk(ctx.db, { ...args(ctx), diskId: input.diskId }));
export const detachDisk = vmAction(ACTION_PERMISSION["detach-disk"], vmDiskInput).mutation(({ ctx, input }) => requestDetachDisk(ctx.db, { ...args(ctx), diskId: input.diskId }));
export const attachNetwork = vmAction(ACTION_PERMISSION["attach-net"], vmNetworkInput).mutation(({ ctx, input }) =>
  requestAttachNetwork(ctx.db, { ...args(ctx), networkId: input.networkId }),
);
export const detachNetwork = vmAction(ACTION_PERMISSION["detach-net"], vmNetworkInput).mutation(({ ctx, input }) =>
  requestDetachNetwork(ctx.db, { ...args(ctx), networkId: input.networkId }),
);
