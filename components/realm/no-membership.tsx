import { SignOutButton } from "../layout/sign-out-button";

/**
 * /realm for a signed-in person who belongs to no organization (and holds no break-glass grant):
 * an account exists before an invitation is accepted, or after the last membership ended. A
 * page that says so, rather than a not-found or an error.
 */
export function NoMembership({ name }: { name: string }) {
  return (
    <div className="mx-auto mt-16 max-w-lg rounded-lg border border-slate-200 bg-white px-6 py-8 text-center shadow-sm" data-testid="no-membership">
      <h1 className="text-2xl font-semibold text-slate-900">You are not a member of any organization yet</h1>
      <p className="mt-3 text-slate-600">
        {name}, your account is ready, but it does not belong to an organization, so there is no realm to show. Ask an owner of
        your organization to invite you; the invitation link brings you straight to its realm.
      </p>
      <div className="mt-6 flex justify-center text-sm">
        <SignOutButton />
      </div>
    </div>
  );
}
