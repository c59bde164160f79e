import { realmAction } from "../../trpc";

/** Templates are platform-wide, read-only content: every realm may pick from all of them. */
export const list = realmAction("vm.read").query(({ ctx }) =>
  ctx.db.template.findMany({
    orderBy: { name: "asc" },
    select: { id: true, name: true, description: true, vcpus: true, memoryMb: true, diskGb: true },
  }),
);
