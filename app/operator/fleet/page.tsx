import { FleetMap } from "@/components/operator/fleet-map";
import { pageQuery } from "@/server/api/server-caller";

export const dynamic = "force-dynamic";

export const metadata = { title: "Fleet map" };

export default async function FleetPage() {
  // Operators only: anyone else gets the not-found page.
  await pageQuery((caller) => caller.operator.fleet({ limit: 1 }));
  return <FleetMap />;
}
