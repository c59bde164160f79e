import { AuditIntegrity } from "@/components/operator/audit-integrity";
import { pageQuery } from "@/server/api/server-caller";

export const dynamic = "force-dynamic";

export const metadata = { title: "Audit integrity" };

export default async function IntegrityPage() {
  // Operators only: anyone else gets the not-found page.
  await pageQuery((caller) => caller.operator.audit.publicKey({}));
  return <AuditIntegrity />;
}
