import { redirect } from "next/navigation";
import { pageQuery } from "@/server/api/server-caller";

export const dynamic = "force-dynamic";

export default async function Home() {
  const me = await pageQuery((caller) => caller.session.me());
  if (me.org) redirect("/realm");
  if (me.isPlatformOperator) redirect("/operator");
  redirect("/signin?error=no-realm");
}
