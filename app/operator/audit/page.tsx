import { OperatorPageHeader } from "@/components/operator/page-header";
import { OperatorTrail } from "@/components/operator/operator-trail";
import { pageQuery } from "@/server/api/server-caller";

export const dynamic = "force-dynamic";

export const metadata = { title: "Audit trail (all realms)" };

/** Every realm's trail and the platform's own, for operators (filters and page in the URL). */
export default async function OperatorAuditPage() {
  // Operators only: anyone else gets the not-found page.
  await pageQuery((caller) => caller.operator.trail({ limit: 1 }));
  return (
    <div className="space-y-4">
      <OperatorPageHeader title="Audit trail (all realms)" />
      <OperatorTrail testId="operator-audit" />
    </div>
  );
}
