import { redirect } from "next/navigation";
import { serverCaller } from "@/server/api/server-caller";

export const dynamic = "force-dynamic";

export default async function Home() {
  const me = await (await serverCaller()).session.me().catch(() => null);
  if (!me) redirect("/signin");
  if (me.org) redirect("/realm");
  if (me.isPlatformOperator) redirect("/operator");
  redirect("/signin?error=no-realm");
}
