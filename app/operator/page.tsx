import { OperatorOverview } from "@/components/operator/operator-overview";
import { pageQuery } from "@/server/api/server-caller";

export const dynamic = "force-dynamic";

export const metadata = { title: "Operator overview" };

export default async function OperatorPage() {
  await pageQuery((caller) => caller.operator.hosts());
  return <OperatorOverview />;
}
