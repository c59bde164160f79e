import { NoMembership } from "@/components/realm/no-membership";
import { AuditTrail } from "@/components/realm/audit-trail";
import { pageOrg, pageQuery } from "@/server/api/server-caller";
import { realmPageTitle } from "../page-title";

export const dynamic = "force-dynamic";

export const generateMetadata = ({ searchParams }: Props) => realmPageTitle("Audit trail", searchParams);

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

/**
 * The realm's audit trail (`?org=<slug>` as on every realm page; the filters and page as query
 * parameters). Every member reaches the page; one whose role lacks audit.read reads why not.
 */
export default async function AuditPage({ searchParams }: Props) {
  const org = await pageOrg(searchParams);
  const me = await pageQuery((caller) => caller.session.me(), org);
  if (me.memberships.length === 0 && !me.isPlatformOperator) return <NoMembership name={me.name} />;
  await pageQuery((caller) => caller.realm.get(), org);
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold">Audit trail</h1>
      <AuditTrail />
    </div>
  );
}
