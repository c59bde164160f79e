import { vmDiskInput, vmNetworkInput } from "../../../contracts/vm";
import { requestAttachDisk, requestAttachNetwork, requestDetachDisk, requestDetachNetwork } from "../../../services/devices";
import { idempotent } from "../../../services/idempotency";
import { vmAction } from "../../trpc";
import { actorScope } from "../actor-scope";

/** PV devices: the disk or network is looked up inside the caller's realm, like the VM. */

type Ctx = { realm: { id: string }; vm: { id: string; realmId: string }; user: { id: string }; requestId: string; permissionRule: string };
const args = (ctx: Ctx) => ({ ...actorScope(ctx), realmId: ctx.vm.realmId, subjectRealmId: ctx.realm.id, vmId: ctx.vm.id });
const key = (ctx: Ctx, procedure: string) => ({ realmId: ctx.realm.id, userId: ctx.user.id, procedure });

export const attachDisk = vmAction("vm.devices", vmDiskInput).mutation(({ ctx, input }) =>
  idempotent(ctx.db, key(ctx, "vm.attachDisk"), input, () => requestAttachDisk(ctx.db, { ...args(ctx), diskId: input.diskId })),
);
export const detachDisk = vmAction("vm.devices", vmDiskInput).mutation(({ ctx, input }) =>
  idempotent(ctx.db, key(ctx, "vm.detachDisk"), input, () => requestDetachDisk(ctx.db, { ...args(ctx), diskId: input.diskId })),
);
export const attachNetwork = vmAction("vm.devices", vmNetworkInput).mutation(({ ctx, input }) =>
  idempotent(ctx.db, key(ctx, "vm.attachNetwork"), input, () => requestAttachNetwork(ctx.db, { ...args(ctx), networkId: input.networkId })),
);
export const detachNetwork = vmAction("vm.devices", vmNetworkInput).mutation(({ ctx, input }) =>
  idempotent(ctx.db, key(ctx, "vm.detachNetwork"), input, () => requestDetachNetwork(ctx.db, { ...args(ctx), networkId: input.networkId })),
);
