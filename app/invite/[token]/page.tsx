import Link from "next/link";
import { SignOutButton } from "@/components/layout/sign-out-button";
import { AcceptInvitation } from "@/components/people/accept-invitation";
import { serverCaller } from "@/server/api/server-caller";

export const dynamic = "force-dynamic";

export const metadata = { title: "Invitation" };

/**
 * An invitation link (public). It shows the organization and the role, or one plain message for
 * a link that is wrong, used, expired or revoked (never an organization's name then). A new
 * person sets a name and password; an existing one signs in as the invited email and accepts.
 */
export default async function InvitePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const caller = await serverCaller();
  const [preview, me] = await Promise.all([caller.invitation.preview({ token: token.slice(0, 200) }), caller.session.me().catch(() => null)]);

  return (
    <div className="mx-auto mt-12 max-w-md rounded-lg border border-slate-200 bg-white px-6 py-8 shadow-sm" data-testid="invite-page">
      {!preview.ok ? (
        <>
          <h1 className="text-xl font-semibold text-slate-900">This invitation cannot be used</h1>
          <p className="mt-3 text-slate-700" role="alert" data-testid="invite-problem">
            {preview.message}
          </p>
        </>
      ) : (
        <>
          <h1 className="text-xl font-semibold text-slate-900">Join {preview.orgName} on Realmgate</h1>
          <p className="mt-2 text-slate-700" data-testid="invite-summary">
            You are invited as <strong>{preview.roleLabel}</strong>: {preview.roleDescription}
          </p>
          <p className="mt-1 text-xs text-slate-500">
            For {preview.email}; valid until {preview.expiresAt.toLocaleString()}, usable once.
          </p>
          <div className="mt-6">
            {me && me.email.toLowerCase() === preview.email ? (
              <AcceptInvitation token={token} email={preview.email} mode="signed-in" />
            ) : me ? (
              <div className="space-y-3 text-sm" data-testid="invite-other-account">
                <p role="alert" className="text-red-700">
                  This invitation is for {preview.email}, but you are signed in as {me.email}. Sign out, then open the link again and
                  sign in as {preview.email}.
                </p>
                <SignOutButton />
              </div>
            ) : preview.hasAccount ? (
              <p className="text-sm text-slate-700" data-testid="invite-sign-in-first">
                An account for {preview.email} already exists.{" "}
                <Link href="/signin" className="underline">
                  Sign in as {preview.email}
                </Link>
                , then open this link again to accept.
              </p>
            ) : (
              <AcceptInvitation token={token} email={preview.email} mode="new-account" />
            )}
          </div>
        </>
      )}
    </div>
  );
}
