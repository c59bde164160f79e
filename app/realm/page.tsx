import { RealmDashboard } from "@/components/realm/realm-dashboard";
import { pageQuery } from "@/server/api/server-caller";

export const dynamic = "force-dynamic";

export default async function RealmPage() {
  await pageQuery((caller) => caller.realm.get());
  return <RealmDashboard />;
}
