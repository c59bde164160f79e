import { redirect } from "next/navigation";
import { pageQuery } from "@/server/api/server-caller";

export const dynamic = "force-dynamic";

export default async function Home() {
  const me = await pageQuery((caller) => caller.session.me());
  if (!me.org && me.isPlatformOperator) redirect("/operator");
  // Members land in their first realm; a person without an organization too, where /realm says
  // so (components/realm/no-membership.tsx).
  redirect("/realm");
}
