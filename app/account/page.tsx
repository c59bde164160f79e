import Link from "next/link";
import { ChangePasswordForm } from "@/components/account/change-password-form";
import { SessionsPanel } from "@/components/account/sessions-panel";
import { pageQuery } from "@/server/api/server-caller";

export const dynamic = "force-dynamic";

export const metadata = { title: "Account" };

/** The caller's account: where it is signed in (revoke one, or everywhere) and its password. */
export default async function AccountPage() {
  const me = await pageQuery((caller) => caller.session.me());
  return (
    <div className="mx-auto max-w-4xl space-y-6">
      <div className="flex items-baseline justify-between">
        <h1 className="text-2xl font-semibold">Account</h1>
        <Link href="/account/security" className="text-sm text-slate-700 underline hover:text-slate-950">
          Two-factor authentication
        </Link>
      </div>
      <p className="text-sm text-slate-600">
        Signed in as {me.name} ({me.email}).
      </p>
      <SessionsPanel />
      <ChangePasswordForm email={me.email} />
    </div>
  );
}
