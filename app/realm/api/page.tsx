import { headers } from "next/headers";
import { ApiPanel } from "@/components/api/api-panel";
import { NoMembership } from "@/components/realm/no-membership";
import { pageOrg, pageQuery } from "@/server/api/server-caller";
import { realmPageTitle } from "../page-title";

export const dynamic = "force-dynamic";

export const generateMetadata = ({ searchParams }: Props) => realmPageTitle("API tokens", searchParams);

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

/** The member's API tokens and how to call the API (`?org=<slug>` as on every realm page). */
export default async function ApiPage({ searchParams }: Props) {
  const org = await pageOrg(searchParams);
  const me = await pageQuery((caller) => caller.session.me(), org);
  if (me.memberships.length === 0 && !me.isPlatformOperator) return <NoMembership name={me.name} />;
  await pageQuery((caller) => caller.realm.get(), org);
  return <ApiPanel origin={await publicOrigin()} />;
}

/** The origin API clients call: the configured public URL, else this request's host. */
async function publicOrigin(): Promise<string> {
  if (process.env.NEXTAUTH_URL) return new URL(process.env.NEXTAUTH_URL).origin;
  const h = await headers();
  const proto = h.get("x-forwarded-proto")?.split(",")[0]?.trim() || "http";
  return `${proto}://${h.get("host") ?? "localhost"}`;
}
