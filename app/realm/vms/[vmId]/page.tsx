import { notFound } from "next/navigation";
import { VmDetail } from "@/components/vm/vm-detail";
import { pageOrg, pageQuery } from "@/server/api/server-caller";
import { vmIdInput } from "@/server/contracts/vm";
import { consoleIdleMs } from "@/server/policy/console-idle";
import { vmOfRequest, vmPageTitle } from "../../page-title";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ vmId: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

/** The VM's name in the tab (VmDetail keeps it current after a rename). */
export async function generateMetadata({ params, searchParams }: Props) {
  const { vmId } = await params;
  return vmIdInput.safeParse({ vmId }).success ? vmPageTitle(vmId, searchParams) : { title: "Virtual machine" };
}

export default async function VmPage({ params, searchParams }: Props) {
  const { vmId } = await params;
  // A malformed id names no VM; a foreign or missing one is loaded inside the caller's realm and
  // answers the same not-found.
  if (!vmIdInput.safeParse({ vmId }).success) notFound();
  // Inside the organization the URL names (`?org=`), as the page's client calls will be.
  // The same read as the title's (one per request).
  const org = await pageOrg(searchParams);
  await pageQuery(() => vmOfRequest(vmId, org), org);
  return <VmDetail vmId={vmId} consoleIdleMs={consoleIdleMs(process.env)} />;
}
