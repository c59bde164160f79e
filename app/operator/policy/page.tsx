import { FlaskPolicyPage } from "@/components/operator/flask-policy";
import { pageQuery } from "@/server/api/server-caller";

export const dynamic = "force-dynamic";

export const metadata = { title: "FLASK policy" };

export default async function PolicyPage() {
  // Operators only: anyone else gets the not-found page.
  await pageQuery((caller) => caller.operator.policy.overview({}));
  return <FlaskPolicyPage />;
}
