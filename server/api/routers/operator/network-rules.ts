import { z } from "zod";
import { dateTime, pageInput, pageOf } from "../../../contracts/api";
import { transaction } from "../../../db/client";
import { addPlatformRule, listPlatformRules, removePlatformRule } from "../../../services/network-rules";
import { operatorProcedure } from "../../trpc";
import { operatorRoute } from "./openapi";

/**
 * The platform's network rules (issue 15 part 4): deny rules towards the uplink (optionally one
 * address) that every host applies after the realm's rules; no realm can override them. The
 * worker loads them into every host (worker/ndvm-sync.ts).
 */

const protocol = z.enum(["tcp", "udp", "icmp", "any"], { error: "protocol must be tcp, udp, icmp or any" });
const port = z.number().int().min(1, "a port is a whole number from 1 to 65535").max(65535, "a port is a whole number from 1 to 65535");
const ports = z.object({ from: port, to: port }).strict().nullable();
const platformRule = z
  .object({ id: z.uuid(), name: z.string(), address: z.string().nullable(), protocol, ports, createdAt: dateTime })
  .meta({ id: "PlatformNetworkRule" });

export const list = operatorProcedure
  .meta(operatorRoute("GET", "/operator/network-rules", "The platform's network rules", "Deny rules towards the uplink, oldest first. Pages with `cursor` (the previous page's `nextCursor`, a rule's id)."))
  .input(pageInput.default({ limit: 50 }))
  .output(pageOf(platformRule, "PlatformNetworkRulePage"))
  .query(({ ctx, input }) => listPlatformRules(ctx.platformDb, input));

export const add = operatorProcedure
  .meta(operatorRoute("POST", "/operator/network-rules", "Deny a flow to the uplink for every realm", "e.g. tcp/25 (outbound mail), or any protocol to the metadata address. A platform deny beats a realm allow."))
  .input(
    z
      .object({
        name: z.string().trim().min(3, "name must be at least 3 characters").max(200),
        address: z.ipv4({ error: "address must be an IPv4 address" }).nullable().default(null),
        protocol,
        ports: ports.default(null),
      })
      .strict(),
  )
  .output(z.object({ ruleId: z.uuid() }))
  .mutation(({ ctx, input }) => transaction(ctx.platformDb, (tx) => addPlatformRule(tx, { userId: ctx.user.id, requestId: ctx.requestId }, input)));

export const remove = operatorProcedure
  .meta(operatorRoute("DELETE", "/operator/network-rules/{ruleId}", "Remove a platform network rule"))
  .input(z.object({ ruleId: z.uuid({ error: "must be a valid id" }) }).strict())
  .output(z.object({ removed: z.boolean() }))
  .mutation(({ ctx, input }) => transaction(ctx.platformDb, (tx) => removePlatformRule(tx, { userId: ctx.user.id, requestId: ctx.requestId }, input.ruleId)));
