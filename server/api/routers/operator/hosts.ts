import { z } from "zod";
import { dateTime, pageInput, pageOf } from "../../../contracts/api";
import { unsafeListHostOverview } from "../../../repositories/hosts";
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
    vmCount: z.number().int().meta({ description: "Domains placed on the host (not destroyed)" }),
    lastSeenAt: dateTime.nullable(),
    lastError: z.string().nullable(),
  })
  .meta({ id: "Host" });

export const hosts = operatorProcedure
  .meta(operatorRoute("GET", "/operator/hosts", "Hosts: status, capacity and use", "By name. Pages with `cursor` (the previous page's `nextCursor`, a host's id)."))
  .input(pageInput.default({ limit: 50 }))
  .output(pageOf(hostOutput, "HostPage"))
  .query(({ ctx, input }) => unsafeListHostOverview(ctx.platformDb, input));
