import { z } from "zod";
import { pageInput, pageOf } from "../../../contracts/api";
import { unsafeSearchUsers, unsafeSearchVms } from "../../../repositories/operator-search";
import { operatorProcedure } from "../../trpc";
import { operatorRoute } from "./openapi";

/**
 * Pickers for operators (explain a decision by name): users and VMs across every realm, by a
 * prefix of their name (or email), paged. Operators only: a tenant gets not found, like any
 * operator route, and never learns another realm's names.
 */

const searchInput = pageInput.extend({
  query: z.string({ error: "query must be a string" }).trim().min(1, "query must not be empty").max(100, "query must be at most 100 characters"),
});

export const users = operatorProcedure
  .meta(operatorRoute("GET", "/operator/search/users", "Find users by name or email", "Prefix match, case-insensitive, by email; pages with `cursor` (a user's id)."))
  .input(searchInput)
  .output(pageOf(z.object({ id: z.uuid(), name: z.string(), email: z.string(), isPlatformOperator: z.boolean() }).meta({ id: "UserMatch" }), "UserMatchPage"))
  .query(({ ctx, input }) => unsafeSearchUsers(ctx.platformDb, input.query, input));

export const vms = operatorProcedure
  .meta(
    operatorRoute("GET", "/operator/search/vms", "Find VMs by name in every realm", "Prefix match, case-insensitive, by name; each with its realm's organization. Pages with `cursor` (a VM's id)."),
  )
  .input(searchInput)
  .output(
    pageOf(
      z
        .object({
          id: z.uuid(),
          name: z.string(),
          kind: z.enum(["guest", "management"]),
          observedState: z.string(),
          realmId: z.uuid(),
          org: z.string(),
          orgSlug: z.string(),
          host: z.string().nullable(),
        })
        .meta({ id: "VmMatch" }),
      "VmMatchPage",
    ),
  )
  .query(({ ctx, input }) => unsafeSearchVms(ctx.platformDb, input.query, input));
