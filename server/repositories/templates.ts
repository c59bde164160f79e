import type { Tx } from "../db/client";

/** Templates are platform-wide, read-only content: every realm may pick from all of them. */

export function listTemplates(db: Tx) {
  return db.template.findMany({
    orderBy: { name: "asc" },
    select: { id: true, name: true, description: true, vcpus: true, memoryMb: true, diskGb: true },
  });
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
