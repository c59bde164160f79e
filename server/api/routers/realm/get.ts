import { realmOutput } from "../../../contracts/api";
import { callerPermissions, realmAction } from "../../trpc";
import { findManagementVm, findManagementVmAhead } from "../../../repositories/vms";
import type { Role } from "../../../policy/permissions";
import { managementLabel, realmLevel } from "../../../xsm";

export const get = realmAction("realm.read")
  // One statement, the management VM by key: cached generic plans (planning its view again on
  // every request was 0.84 ms of PostgreSQL's 2.2 ms per realm.get; bench/README.md, issue 12).
  .meta({ prefetch: findManagementVmAhead, genericPlans: true, openapi: { method: "GET", path: "/realm", tags: ["Realm"], summary: "The caller's realm", description: "Its organization, the caller's role and permissions, its category and management VM." } })
  .output(realmOutput)
  .query(async ({ ctx }) => ({
    id: ctx.realm.id,
    org: { name: ctx.org.name, slug: ctx.org.slug },
    role: ctx.role as Role,
    /** What the caller's role may do, so the UI offers only that (the server decides anyway). */
    permissions: callerPermissions(ctx.role, ctx.token),
    category: realmLevel(ctx.realm),
    managementLabel: managementLabel(ctx.realm),
    managementVm: await findManagementVm(ctx.db, ctx.realm.id),
  }));
