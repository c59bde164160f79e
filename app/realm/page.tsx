import { notFound, redirect } from "next/navigation";
import { RealmDashboard } from "@/components/realm/realm-dashboard";
import { isUnauthorized, serverCaller } from "@/server/api/server-caller";

export const dynamic = "force-dynamic";

export default async function RealmPage() {
  try {
    await (await serverCaller()).realm.get();
  } catch (error) {
    if (isUnauthorized(error)) redirect("/signin");
    notFound();
  }
  return <RealmDashboard />;
}
