import { notFound } from "next/navigation";
import { z } from "zod";
import { OrganizationsDetail } from "@/components/operator/organizations-detail";
import { pageQuery } from "@/server/api/server-caller";

export const dynamic = "force-dynamic";

export const metadata = { title: "Organization" };

type Props = { params: Promise<{ orgId: string }> };

export default async function OrganizationPage({ params }: Props) {
  const { orgId } = await params;
  if (!z.uuid().safeParse(orgId).success) notFound();
  await pageQuery((caller) => caller.operator.organizations.get({ orgId }));
  return <OrganizationsDetail orgId={orgId} />;
}
