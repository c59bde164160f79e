import { OrganizationsList } from "@/components/operator/organizations-list";
import { pageQuery } from "@/server/api/server-caller";

export const dynamic = "force-dynamic";

export const metadata = { title: "Organizations" };

export default async function OrganizationsPage() {
  // Operators only: anyone else gets the not-found page.
  await pageQuery((caller) => caller.operator.organizations.list());
  return <OrganizationsList />;
}
