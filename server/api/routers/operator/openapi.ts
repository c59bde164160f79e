import { z } from "zod";
import { dateTime } from "../../../contracts/api";

/**
 * Operator procedures on the REST surface: under /operator/…, tagged "Operator" (the document
 * marks them session-only: an API token never carries operator powers; api/openapi.ts).
 */
export function operatorRoute(method: "GET" | "POST" | "PATCH" | "DELETE", path: `/operator/${string}`, summary: string, description?: string) {
  return { openapi: { method, path, tags: ["Operator"], summary, description } };
}


/** An audit record's details: JSON as the layer recorded it (AVC lines, before/after…), or null. */
export const jsonDetails = z.unknown().meta({ description: "JSON as the layer recorded it (AVC lines, before/after…), or null" });

/** An audit record as operators read it (denials, alarms): ids as strings, with names. */
export const operatorAuditRow = z
  .object({
    id: z.string(),
    realmId: z.uuid().nullable(),
    org: z.string().nullable().meta({ description: "The realm's organization; null: the platform" }),
    actorId: z.uuid().nullable(),
    actor: z.string().nullable().meta({ description: "The actor's email; null: the system" }),
    action: z.string(),
    targetType: z.string(),
    targetId: z.string().nullable(),
    decision: z.enum(["allow", "deny"]),
    layer: z.string(),
    reason: z.string(),
    requestId: z.string(),
    details: jsonDetails,
    createdAt: dateTime,
  })
  .meta({ id: "OperatorAuditEvent" });
