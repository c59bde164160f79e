import { z } from "zod";
import { notFound } from "../../../errors";
import { listAuditForRealm, unsafeAuditPageForRealm } from "../../../repositories/audit";
import { unsafeFindOrganization, unsafeListOrganizations } from "../../../repositories/realms";
import { requestDecommission } from "../../../services/offboarding";
import { onboardOrganization, retryProvisioning } from "../../../services/organizations";
import { realmLevel } from "../../../xsm";
import { operatorProcedure } from "../../trpc";

/**
 * Onboarding and offboarding organizations (platform operators only: anyone else gets NOT_FOUND,
 * like every operator procedure). Creating an organization allocates its realm's category pair
 * and requests its management VM in one transaction; the realm is ready once that VM runs.
 * Decommissioning needs the slug typed again, ends every member's access at once and lets the
 * worker tear the realm down; its audit trail stays readable here.
 */

type OrgRow = NonNullable<Awaited<ReturnType<typeof unsafeFindOrganization>>>;

function view(org: OrgRow) {
  const realm = org.realm!;
  const mgmt = realm.vms[0] ?? null;
  return {
    id: org.id,
    name: org.name,
    slug: org.slug,
    createdAt: org.createdAt,
    memberCount: org._count.memberships,
    realmId: realm.id,
    category: realmLevel(realm),
    status: realm.status,
    statusReason: realm.statusReason,
    statusChangedAt: realm.statusChangedAt,
    readyAt: realm.readyAt,
    decommissionRequestedAt: realm.decommissionRequestedAt,
    decommissionedAt: realm.decommissionedAt,
    vmCount: realm._count.vms,
    managementVm: mgmt
      ? { id: mgmt.id, state: mgmt.observedState, reason: mgmt.stateReason, host: mgmt.host?.name ?? null }
      : null,
  };
}

const orgInput = z.object({ orgId: z.uuid({ error: "orgId must be a valid id" }) }).strict();

export const list = operatorProcedure.query(async ({ ctx }) =>
  (await unsafeListOrganizations(ctx.platformDb)).filter((o) => o.realm).map(view),
);

export const get = operatorProcedure.input(orgInput).query(async ({ ctx, input }) => {
  const org = await unsafeFindOrganization(ctx.platformDb, input.orgId);
  if (!org?.realm) throw notFound("organization");
  // The realm's trail outlives the realm: operators read it after decommissioning too.
  const audit = await listAuditForRealm(ctx.platformDb, org.realm.id, 30);
  return { ...view(org), audit: audit.map((a) => ({ ...a, id: a.id.toString() })) };
});

/**
 * A realm's whole trail, page by page (oldest first), for the NDJSON export
 * (app/api/operator/organizations/[orgId]/audit/route.ts); it outlives the realm.
 */
export const auditPage = operatorProcedure
  .input(
    z
      .object({
        orgId: z.uuid({ error: "orgId must be a valid id" }),
        afterId: z.string().regex(/^\d{1,19}$/, "afterId must be an audit record id").default("0"),
      })
      .strict(),
  )
  .query(async ({ ctx, input }) => {
    const org = await unsafeFindOrganization(ctx.platformDb, input.orgId);
    if (!org?.realm) throw notFound("organization");
    const rows = await unsafeAuditPageForRealm(ctx.platformDb, org.realm.id, BigInt(input.afterId), AUDIT_PAGE);
    return { slug: org.slug, rows: rows.map((r) => ({ ...r, id: r.id.toString() })), done: rows.length < AUDIT_PAGE };
  });

const AUDIT_PAGE = 1_000;

export const create = operatorProcedure
  .input(
    z
      .object({
        name: z.string().trim().min(1, "name: give a display name").max(80, "name: at most 80 characters"),
        // The pattern itself is checked by the service, whose message names the rule.
        slug: z.string().trim().toLowerCase().min(1, "slug: give a slug").max(40, "slug: at most 40 characters"),
      })
      .strict(),
  )
  .mutation(async ({ ctx, input }) => {
    const created = await onboardOrganization(ctx.platformDb, {
      name: input.name,
      slug: input.slug,
      actor: { userId: ctx.user.id, requestId: ctx.requestId },
    });
    return { orgId: created.orgId, realmId: created.realmId, category: realmLevel(created.category) };
  });

export const retry = operatorProcedure
  .input(orgInput)
  .mutation(({ ctx, input }) =>
    retryProvisioning(ctx.platformDb, { orgId: input.orgId, actor: { userId: ctx.user.id, requestId: ctx.requestId } }),
  );

export const decommission = operatorProcedure
  .input(orgInput.extend({ confirmSlug: z.string().max(80) }).strict())
  .mutation(({ ctx, input }) =>
    requestDecommission(ctx.platformDb, {
      orgId: input.orgId,
      confirmSlug: input.confirmSlug,
      actor: { userId: ctx.user.id, requestId: ctx.requestId },
    }),
  );
