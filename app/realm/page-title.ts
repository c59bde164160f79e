import type { Metadata } from "next";
import { cache } from "react";
import { pageOrg, serverCaller } from "@/server/api/server-caller";

/**
 * Each realm page's tab names the page and the organization ("People · Acme Corp · Realmgate"),
 * and a VM's page names the VM ("web-1 · Virtual machine · Realmgate"): with several tabs or
 * organizations open, the titles tell them apart. The page itself still makes the authoritative
 * query (and answers not-found or "no organization"); here any failure just leaves the page's
 * generic name.
 */

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/** The organization's name, or null (no membership: the page says so; asking would be a denial). */
const orgNameOf = cache(async (org: string | null): Promise<string | null> => {
  const caller = await serverCaller(org);
  const me = await caller.session.me();
  if (me.memberships.length === 0 && !me.isPlatformOperator) return null;
  return (await caller.realm.get()).org.name;
});

export async function realmPageTitle(page: string, searchParams: SearchParams): Promise<Metadata> {
  try {
    const orgName = await orgNameOf(await pageOrg(searchParams));
    return { title: orgName ? `${page} · ${orgName}` : page };
  } catch {
    return { title: page };
  }
}

/**
 * The VM as this request reads it, once: the title and the page share the read (React's cache is
 * per request), so a foreign or missing id is one denial in the audit trail, not two.
 */
export const vmOfRequest = cache(async (vmId: string, org: string | null) => (await serverCaller(org)).vm.get({ vmId }));

export async function vmPageTitle(vmId: string, searchParams: SearchParams): Promise<Metadata> {
  try {
    const vm = await vmOfRequest(vmId, await pageOrg(searchParams));
    return { title: `${vm.name} · Virtual machine` };
  } catch {
    return { title: "Virtual machine" };
  }
}
