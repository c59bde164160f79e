import { z } from "zod";
import { dateTime, pageInput, pageOf } from "../../../contracts/api";
import { fleetMap } from "../../../services/fleet";
import { operatorProcedure } from "../../trpc";
import { operatorRoute } from "./openapi";

const fleetRealm = z
  .object({
    realmId: z.uuid(),
    orgId: z.uuid(),
    orgName: z.string(),
    orgSlug: z.string(),
    categoryLow: z.number().int(),
    categoryHigh: z.number().int(),
    category: z.string().meta({ description: "The realm's MCS level, e.g. s0:c3,c4" }),
    vms: z.number().int().meta({ description: "The realm's VMs on this host (not destroyed)" }),
    vcpus: z.number().int(),
    memoryMb: z.number().int(),
    management: z.boolean().meta({ description: "The realm's management VM runs on this host" }),
  })
  .meta({ id: "FleetRealm" });

const fleetHost = z
  .object({
    id: z.uuid(),
    name: z.string(),
    status: z.enum(["online", "unreachable"]),
    vcpus: z.number().int(),
    memoryMb: z.number().int(),
    usedVcpus: z.number().int(),
    usedMemoryMb: z.number().int(),
    vmCount: z.number().int(),
    lastSeenAt: dateTime.nullable(),
    realms: z.array(fleetRealm).meta({ description: "The busiest realms on the host, most VMs first (at most 24)" }),
    moreRealms: z.number().int().meta({ description: "Realms on the host beyond those listed" }),
    moreRealmsAtLeast: z
      .boolean()
      .meta({ description: "The count stopped at 1,000 realms: there are at least moreRealms more" }),
    violations: z
      .array(z.object({ realmLow: z.uuid(), realmHigh: z.uuid(), lowOrg: z.string(), highOrg: z.string() }))
      .meta({ description: "Chinese Walls broken on this host: both realms of a conflict pair have VMs here" }),
  })
  .meta({ id: "FleetHost" });

export const fleet = operatorProcedure
  .meta(
    operatorRoute(
      "GET",
      "/operator/fleet",
      "Fleet map: which realm runs where",
      "Hosts by name with their realms, capacity and broken Chinese Walls. Pages with `cursor` (a host's id).",
    ),
  )
  .input(pageInput.default({ limit: 20 }))
  .output(pageOf(fleetHost, "FleetPage"))
  .query(({ ctx, input }) => fleetMap(ctx.platformDb, input));
