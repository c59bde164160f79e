import { PeoplePanel } from "@/components/people/people-panel";
import { NoMembership } from "@/components/realm/no-membership";
import { pageOrg, pageQuery } from "@/server/api/server-caller";
import { realmPageTitle } from "../page-title";

export const dynamic = "force-dynamic";

export const generateMetadata = ({ searchParams }: Props) => realmPageTitle("People", searchParams);

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

/**
 * The organization's people (`?org=<slug>` as on every realm page). Every member reads the
 * member list; owners and admins also manage invitations, roles and removals.
 */
export default async function PeoplePage({ searchParams }: Props) {
  const org = await pageOrg(searchParams);
  const me = await pageQuery((caller) => caller.session.me(), org);
  if (me.memberships.length === 0 && !me.isPlatformOperator) return <NoMembership name={me.name} />;
  await pageQuery((caller) => caller.realm.members.list(), org);
  return <PeoplePanel selfId={me.id} />;
}
