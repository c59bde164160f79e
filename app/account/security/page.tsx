import { SecurityPanel } from "@/components/account/security-panel";
import { pageQuery } from "@/server/api/server-caller";

export const dynamic = "force-dynamic";

export const metadata = { title: "Account security" };

/**
 * The caller's own second factors, and the organization's MFA requirement for those who manage
 * members. Not a realm page: a member whose organization requires MFA is sent here to set it up.
 */
export default async function SecurityPage({ searchParams }: { searchParams: Promise<{ required?: string }> }) {
  await pageQuery((caller) => caller.mfa.status());
  const { required } = await searchParams;
  return (
    <div className="mx-auto max-w-3xl space-y-6">
      <h1 className="text-2xl font-semibold">Account security</h1>
      {required && (
        <p role="alert" className="rounded-md border border-amber-300 bg-amber-50 px-4 py-3 text-sm text-amber-900" data-testid="mfa-required">
          {required === "operator"
            ? "Platform operators need two-factor authentication to request break-glass."
            : "Your organization requires two-factor authentication: set it up below to reach your realm."}
        </p>
      )}
      <SecurityPanel />
    </div>
  );
}
