import { z } from "zod";
import { notFound } from "../../../errors";
import { listAuditForRealm, unsafeAuditPageForRealm } from "../../../repositories/audit";
import { unsafeFindOrganization, unsafeFindOrganizationOverview, unsafeListOrganizations, type OrganizationOverview } from "../../../repositories/realms";
import { requestDecommission } from "../../../services/offboarding";
import { onboardOrganization, retryProvisioning } from "../../../services/organizations";
import { realmLevel } from "../../../xsm";
import { vmState, dateTime, pageInput, pageOf } from "../../../contracts/api";
import { operatorProcedure } from "../../trpc";
import { jsonDetails, operatorRoute } from "./openapi";

/**
 * Onboarding and offboarding organizations (platform operators only: anyone else gets NOT_FOUND,
 * like every operator procedure). Creating an organization allocates its realm's category pair
 * and requests its management VM in one transaction; the realm is ready once that VM runs.
 * Decommissioning needs the slug typed again, ends every member's access at once and lets the
 * worker tear the realm down; its audit trail stays readable here.
 */

function view(org: OrganizationOverview) {
  const { realm, managementVm: mgmt } = org;
  return {
    id: org.id,
    name: org.name,
    slug: org.slug,
    createdAt: org.createdAt,
    memberCount: org.memberCount,
    realmId: realm.id,
    category: realmLevel(realm),
    status: realm.status,
    statusReason: realm.statusReason,
    statusChangedAt: realm.statusChangedAt,
    readyAt: realm.readyAt,
    decommissionRequestedAt: realm.decommissionRequestedAt,
    decommissionedAt: realm.decommissionedAt,
    vmCount: org.vmCount,
    managementVm: mgmt ? { id: mgmt.id, state: mgmt.observedState, reason: mgmt.stateReason, host: mgmt.host } : null,
  };
}

const orgInput = z.object({ orgId: z.uuid({ error: "orgId must be a valid id" }) }).strict();

const organizationFields = {
  id: z.uuid(),
  name: z.string(),
  slug: z.string(),
  createdAt: dateTime,
  memberCount: z.number().int(),
  realmId: z.uuid(),
  category: z.string(),
  status: z.enum(["provisioning", "ready", "failed", "decommissioning", "decommissioned"]),
  statusReason: z.string().nullable(),
  statusChangedAt: dateTime,
  readyAt: dateTime.nullable(),
  decommissionRequestedAt: dateTime.nullable(),
  decommissionedAt: dateTime.nullable(),
  vmCount: z.number().int(),
  managementVm: z.object({ id: z.uuid(), state: vmState, reason: z.string().nullable(), host: z.string().nullable() }).nullable(),
};
const organizationOutput = z.object(organizationFields).meta({ id: "Organization" });

/** A record of the realm's trail as the export writes it (ids as strings; details as recorded). */
const trailRecord = {
  id: z.string(),
  createdAt: dateTime,
  actorId: z.uuid().nullable(),
  action: z.string(),
  targetType: z.string(),
  targetId: z.string().nullable(),
  decision: z.enum(["allow", "deny"]),
  layer: z.string(),
  reason: z.string(),
};

export const list = operatorProcedure
  .meta(
    operatorRoute(
      "GET",
      "/operator/organizations",
      "Organizations, newest first, with their realm's status",
      "Pages with `cursor` (the previous page's `nextCursor`, an organization's id).",
    ),
  )
  .input(pageInput.default({ limit: 50 }))
  .output(pageOf(organizationOutput, "OrganizationPage"))
  .query(async ({ ctx, input }) => {
    const page = await unsafeListOrganizations(ctx.platformDb, input);
    return { items: page.items.map(view), nextCursor: page.nextCursor };
  });

export const get = operatorProcedure
  .meta(operatorRoute("GET", "/operator/organizations/{orgId}", "An organization, with its trail's last 30 records", "Readable after decommissioning too."))
  .input(orgInput)
  .output(z.object({ ...organizationFields, audit: z.array(z.object(trailRecord)) }).meta({ id: "OrganizationDetail" }))
  .query(async ({ ctx, input }) => {
    const org = await unsafeFindOrganizationOverview(ctx.platformDb, input.orgId);
    if (!org) throw notFound("organization");
    // The realm's trail outlives the realm: operators read it after decommissioning too.
    const audit = await listAuditForRealm(ctx.platformDb, org.realm.id, 30);
    return { ...view(org), audit: audit.map((a) => ({ ...a, id: a.id.toString() })) };
  });

/**
 * A realm's whole trail, page by page (oldest first), for the NDJSON export
 * (app/api/operator/organizations/[orgId]/audit/route.ts); it outlives the realm.
 */
export const auditPage = operatorProcedure
  .meta(
    operatorRoute(
      "GET",
      "/operator/organizations/{orgId}/audit",
      "A realm's whole trail, 1,000 records a page, oldest first",
      "Page with `afterId` (the last id read) until `done`. The console's NDJSON export reads the same pages.",
    ),
  )
  .input(
    z
      .object({
        orgId: z.uuid({ error: "orgId must be a valid id" }),
        afterId: z.string().regex(/^\d{1,19}$/, "afterId must be an audit record id").default("0"),
      })
      .strict(),
  )
  .output(
    z
      .object({
        slug: z.string(),
        rows: z.array(z.object({ ...trailRecord, requestId: z.string(), details: jsonDetails })),
        done: z.boolean().meta({ description: "No records after these: the last page" }),
      })
      .meta({ id: "AuditExportPage" }),
  )
  .query(async ({ ctx, input }) => {
    const org = await unsafeFindOrganization(ctx.platformDb, input.orgId);
    if (!org?.realm) throw notFound("organization");
    const rows = await unsafeAuditPageForRealm(ctx.platformDb, org.realm.id, BigInt(input.afterId), AUDIT_PAGE);
    return { slug: org.slug, rows: rows.map((r) => ({ ...r, id: r.id.toString() })), done: rows.length < AUDIT_PAGE };
  });

const AUDIT_PAGE = 1_000;

export const create = operatorProcedure
  .meta(operatorRoute("POST", "/operator/organizations", "Onboard an organization", "Allocates its realm's category pair and requests its management VM; the realm is ready once that VM runs."))
  .input(
    z
      .object({
        name: z.string().trim().min(1, "name: give a display name").max(80, "name: at most 80 characters"),
        // The pattern itself is checked by the service, whose message names the rule.
        slug: z.string().trim().toLowerCase().min(1, "slug: give a slug").max(40, "slug: at most 40 characters"),
      })
      .strict(),
  )
  .output(z.object({ orgId: z.uuid(), realmId: z.uuid(), category: z.string() }))
  .mutation(async ({ ctx, input }) => {
    const created = await onboardOrganization(ctx.platformDb, {
      name: input.name,
      slug: input.slug,
      actor: { userId: ctx.user.id, requestId: ctx.requestId },
    });
    return { orgId: created.orgId, realmId: created.realmId, category: realmLevel(created.category) };
  });

export const retry = operatorProcedure
  .meta(operatorRoute("POST", "/operator/organizations/{orgId}/retry", "Retry a failed provisioning"))
  .input(orgInput)
  .output(z.object({ operationId: z.uuid() }))
  .mutation(({ ctx, input }) =>
    retryProvisioning(ctx.platformDb, { orgId: input.orgId, actor: { userId: ctx.user.id, requestId: ctx.requestId } }),
  );

export const decommission = operatorProcedure
  .meta(operatorRoute("POST", "/operator/organizations/{orgId}/decommission", "Decommission an organization", "`confirmSlug` must repeat its slug. Ends every member's access at once; the worker tears the realm down; the trail stays."))
  .input(orgInput.extend({ confirmSlug: z.string().max(80) }).strict())
  .output(z.object({ realmId: z.uuid(), membersRemoved: z.number().int() }))
  .mutation(({ ctx, input }) =>
    requestDecommission(ctx.platformDb, {
      orgId: input.orgId,
      confirmSlug: input.confirmSlug,
      actor: { userId: ctx.user.id, requestId: ctx.requestId },
    }),
  );
