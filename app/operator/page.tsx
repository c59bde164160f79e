import { notFound, redirect } from "next/navigation";
import { OperatorOverview } from "@/components/operator/operator-overview";
import { isUnauthorized, serverCaller } from "@/server/api/server-caller";

export const dynamic = "force-dynamic";

export default async function OperatorPage() {
  try {
    await (await serverCaller()).operator.hosts();
  } catch (error) {
    if (isUnauthorized(error)) redirect("/signin");
    notFound();
  }
  return <OperatorOverview />;
}
