import { SignInForm } from "@/components/account/sign-in-form";
import { oidcProvider } from "@/server/auth/oidc";

export const dynamic = "force-dynamic";

export const metadata = { title: "Sign in" };

/**
 * Sign-in: email + password (then a second factor when the account has one), and single sign-on
 * when REALMGATE_OIDC_* configure it. Errors come back here as ?error=… (next-auth's error page
 * is this page), and the form explains them.
 */
export default async function SignInPage({ searchParams }: { searchParams: Promise<{ error?: string | string[] }> }) {
  const { error } = await searchParams;
  const sso = oidcProvider();
  return (
    <div className="mx-auto mt-12 max-w-sm">
      <h1 className="mb-6 text-2xl font-semibold">Sign in to Realmgate</h1>
      <SignInForm sso={sso ? { name: sso.name } : null} initialError={typeof error === "string" ? error.slice(0, 100) : null} />
    </div>
  );
}
