import { vmAction } from "../../trpc";

export const get = vmAction("vm.read").query(({ ctx }) => ctx.vm);
