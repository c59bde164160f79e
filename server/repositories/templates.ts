import type { Tx } from "../db/client";
import { cursorRow, toPage, type PageRequest } from "./pagination";

/**
 * Templates are platform-wide, read-only content. Members pick from the guest templates only:
 * a management template builds a realm's orchestration domain (the platform's), so it is
 * neither offered to members nor accepted from them (findGuestTemplate answers as for a
 * template that does not exist).
 */

/**
 * The platform's management template: every realm's management VM is built from it
 * (services/organizations.ts, the seed). The one place its name is written.
 */
export const MANAGEMENT_TEMPLATE_NAME = "realm-mgmt";

/** Whether members may create guests from this template (every template but the management one). */
export const isGuestTemplate = (template: { name: string }): boolean => template.name !== MANAGEMENT_TEMPLATE_NAME;

/** One page of the guest templates by name (names are unique), after the template the cursor names. */
export async function listTemplates(db: Tx, page: PageRequest) {
  const after = await cursorRow(page.cursor, (id) => db.template.findUnique({ where: { id }, select: { name: true } }));
  const rows = await db.template.findMany({
    where: { name: { not: MANAGEMENT_TEMPLATE_NAME, ...(after ? { gt: after.name } : {}) } },
    orderBy: { name: "asc" },
    take: page.limit + 1,
    select: { id: true, name: true, description: true, vcpus: true, memoryMb: true, diskGb: true },
  });
  return toPage(rows, page.limit, (template) => template.id);
}

export function findTemplate(db: Tx, templateId: string) {
  return db.template.findUnique({ where: { id: templateId } });
}

/** A template a member may create a guest from: null for a management template, as for a missing one. */
export async function findGuestTemplate(db: Tx, templateId: string) {
  const template = await findTemplate(db, templateId);
  return template && isGuestTemplate(template) ? template : null;
}

export function unsafeFindTemplateByName(platform: Tx, name: string) {
  return platform.template.findUnique({ where: { name } });
}

/** Creates the template if no template has its name (the demo data). */
export async function unsafeEnsureTemplate(platform: Tx, template: { id: string; name: string; description: string; vcpus: number; memoryMb: number; diskGb: number }) {
  await platform.template.upsert({ where: { name: template.name }, create: template, update: {} });
}
