import { z } from "zod";
import { migrationDestinations } from "../../../services/migration-hosts";
import { vmQuery } from "../../trpc";

/** Where the member may migrate the VM: the hosts placement allows for it now (names only). */
export const migrationHosts = vmQuery("vm.migrate")
  .meta({
    openapi: {
      method: "GET",
      path: "/vms/{vmId}/migration-hosts",
      tags: ["VM lifecycle"],
      summary: "Hosts a VM may migrate to",
      description: "The hosts placement allows for the VM now (online, capacity, Chinese Wall), most free memory first; pass one's id as `destinationHostId` to migrate, or none for automatic.",
    },
  })
  .output(z.object({ hosts: z.array(z.object({ id: z.uuid(), name: z.string() }).meta({ id: "MigrationHost" })) }))
  .query(async ({ ctx }) => ({ hosts: await migrationDestinations(ctx.platformDb, ctx.vm) }));
