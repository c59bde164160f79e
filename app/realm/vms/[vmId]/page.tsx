import { notFound, redirect } from "next/navigation";
import { VmDetail } from "@/components/vm/vm-detail";
import { isUnauthorized, serverCaller } from "@/server/api/server-caller";

export const dynamic = "force-dynamic";

export default async function VmPage({ params }: { params: Promise<{ vmId: string }> }) {
  const { vmId } = await params;
  try {
    // Loaded inside the caller's realm: a foreign, missing or malformed id is the same not-found.
    await (await serverCaller()).vm.get({ vmId });
  } catch (error) {
    if (isUnauthorized(error)) redirect("/signin");
    notFound();
  }
  return <VmDetail vmId={vmId} />;
}
