import { z } from "zod";
import { dateTime } from "../../../contracts/api";
import { unsafeListHostCapacity, unsafeListHosts } from "../../../repositories/hosts";
import { operatorProcedure } from "../../trpc";
import { operatorRoute } from "./openapi";

const hostOutput = z
  .object({
    id: z.uuid(),
    name: z.string(),
    agentUrl: z.string(),
    status: z.enum(["online", "unreachable"]),
    vcpus: z.number().int(),
    memoryMb: z.number().int(),
    usedVcpus: z.number().int(),
    usedMemoryMb: z.number().int(),
    realms: z.array(z.uuid()).meta({ description: "The realms with a domain on the host" }),
    lastSeenAt: dateTime.nullable(),
    lastError: z.string().nullable(),
  })
  .meta({ id: "Host" });

export const hosts = operatorProcedure
  .meta(operatorRoute("GET", "/operator/hosts", "Hosts: status, capacity and use"))
  .output(z.array(hostOutput))
  .query(async ({ ctx }) => {
    const capacity = await unsafeListHostCapacity(ctx.platformDb);
    const byId = new Map((await unsafeListHosts(ctx.platformDb)).map((r) => [r.id, r]));
    return capacity.map((h) => ({ ...h, ...byId.get(h.id)!, realms: [...h.realms] }));
  });
