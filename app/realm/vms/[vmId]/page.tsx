import { notFound } from "next/navigation";
import { VmDetail } from "@/components/vm/vm-detail";
import { pageQuery } from "@/server/api/server-caller";
import { vmIdInput } from "@/server/contracts/vm";

export const dynamic = "force-dynamic";

export default async function VmPage({ params }: { params: Promise<{ vmId: string }> }) {
  const { vmId } = await params;
  // A malformed id names no VM; a foreign or missing one is loaded inside the caller's realm and
  // answers the same not-found.
  if (!vmIdInput.safeParse({ vmId }).success) notFound();
  await pageQuery((caller) => caller.vm.get({ vmId }));
  return <VmDetail vmId={vmId} />;
}
