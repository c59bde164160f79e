import { notFound } from "next/navigation";
import { VmDetail } from "@/components/vm/vm-detail";
import { pageOrg, pageQuery } from "@/server/api/server-caller";
import { vmIdInput } from "@/server/contracts/vm";

export const dynamic = "force-dynamic";

export const metadata = { title: "Virtual machine" };

type Props = { params: Promise<{ vmId: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function VmPage({ params, searchParams }: Props) {
  const { vmId } = await params;
  // A malformed id names no VM; a foreign or missing one is loaded inside the caller's realm and
  // answers the same not-found.
  if (!vmIdInput.safeParse({ vmId }).success) notFound();
  // Inside the organization the URL names (`?org=`), as the page's client calls will be.
  await pageQuery((caller) => caller.vm.get({ vmId }), await pageOrg(searchParams));
  return <VmDetail vmId={vmId} />;
}
