import { NoMembership } from "@/components/realm/no-membership";
import { RealmDashboard } from "@/components/realm/realm-dashboard";
import { pageOrg, pageQuery } from "@/server/api/server-caller";
import { realmPageTitle } from "./page-title";

export const dynamic = "force-dynamic";

export const generateMetadata = ({ searchParams }: Props) => realmPageTitle("Realm", searchParams);

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

/** The realm of the organization the URL names (`?org=<slug>`), or of the caller's first one. */
export default async function RealmPage({ searchParams }: Props) {
  const org = await pageOrg(searchParams);
  const me = await pageQuery((caller) => caller.session.me(), org);
  // No organization at all (platform operators without a grant get the not-found page, as
  // before: break-glass is their way in). A slug the caller does not belong to is not found.
  if (me.memberships.length === 0 && !me.isPlatformOperator) return <NoMembership name={me.name} />;
  await pageQuery((caller) => caller.realm.get(), org);
  return <RealmDashboard />;
}
