import type { Tx } from "../db/client";
import { cursorRow, toPage, type PageRequest } from "./pagination";

/** Templates are platform-wide, read-only content: every realm may pick from all of them. */

/** One page of the templates by name (names are unique), after the template the cursor names. */
export async function listTemplates(db: Tx, page: PageRequest) {
  const after = await cursorRow(page.cursor, (id) => db.template.findUnique({ where: { id }, select: { name: true } }));
  const rows = await db.template.findMany({
    where: after ? { name: { gt: after.name } } : {},
    orderBy: { name: "asc" },
    take: page.limit + 1,
    select: { id: true, name: true, description: true, vcpus: true, memoryMb: true, diskGb: true },
  });
  return toPage(rows, page.limit, (template) => template.id);
}

export function findTemplate(db: Tx, templateId: string) {
  return db.template.findUnique({ where: { id: templateId } });
}

export function unsafeFindTemplateByName(platform: Tx, name: string) {
  return platform.template.findUnique({ where: { name } });
}

/** Creates the template if no template has its name (the demo data). */
export async function unsafeEnsureTemplate(platform: Tx, template: { id: string; name: string; description: string; vcpus: number; memoryMb: number; diskGb: number }) {
  await platform.template.upsert({ where: { name: template.name }, create: template, update: {} });
}
