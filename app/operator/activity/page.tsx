import { ActivityPlots } from "@/components/operator/activity-plots";
import { pageQuery } from "@/server/api/server-caller";

export const dynamic = "force-dynamic";

export const metadata = { title: "Activity" };

export default async function ActivityPage() {
  // Operators only: anyone else gets the not-found page.
  await pageQuery((caller) => caller.operator.activity({ window: "1h" }));
  return <ActivityPlots />;
}
