import Link from "next/link";
import { serverCaller } from "@/server/api/server-caller";
import { decidePermission } from "@/server/policy/permissions";
import { OrgLink } from "../realm/org-link";
import { RealmSwitcher, WhoAmI } from "./realm-switcher";
import { SignOutButton } from "./sign-out-button";

export async function AppHeader() {
  const me = await (await serverCaller()).session.me().catch(() => null);
  const role = me?.breakGlass?.role ?? me?.org?.role ?? null;
  const mayReadTrail = role !== null && decidePermission(role, "audit.read").allowed;
  return (
    <header className="border-b border-slate-200 bg-white">
      <div className="mx-auto flex max-w-6xl flex-wrap items-center justify-between gap-x-6 gap-y-2 px-4 py-3 sm:px-6">
        <Link href="/" className="text-lg font-semibold tracking-tight text-slate-900">
          Realmgate
        </Link>
        {me && (
          // Links keep the tab's organization (?org=), so a tab stays in its realm throughout.
          <nav aria-label="Main" className="flex flex-wrap items-center gap-x-5 gap-y-2 text-sm">
            {(me.org || me.breakGlass) && (
              <OrgLink href="/realm" className="text-slate-700 hover:text-slate-950">
                Realm
              </OrgLink>
            )}
            {(me.org || me.breakGlass) && (
              <OrgLink href="/realm/people" className="text-slate-700 hover:text-slate-950">
                People
              </OrgLink>
            )}
            {(me.org || me.breakGlass) && (
              <OrgLink href="/realm/api" className="text-slate-700 hover:text-slate-950">
                API
              </OrgLink>
            )}
            {/* The realm's trail, for a role that may read it (audit.read); the procedure decides again. */}
            {mayReadTrail && (
              <OrgLink href="/realm/audit" className="text-slate-700 hover:text-slate-950">
                Audit
              </OrgLink>
            )}
            <Link href="/api-reference" className="text-slate-700 hover:text-slate-950">
              API docs
            </Link>
            {me.breakGlass && (
              <span className="rounded bg-red-100 px-2 py-0.5 text-xs font-medium text-red-800" data-testid="break-glass-banner">
                break-glass: {me.breakGlass.org} until {me.breakGlass.expiresAt.toLocaleTimeString()}
              </span>
            )}
            {me.isPlatformOperator && (
              <OrgLink href="/operator" className="text-slate-700 hover:text-slate-950">
                Operator
              </OrgLink>
            )}
            {me.isPlatformOperator && (
              <OrgLink href="/operator/audit" className="text-slate-700 hover:text-slate-950">
                Operator audit
              </OrgLink>
            )}
            <OrgLink href="/account" className="text-slate-700 hover:text-slate-950">
              Account
            </OrgLink>
            <OrgLink href="/account/security" className="text-slate-700 hover:text-slate-950">
              Security
            </OrgLink>
            <RealmSwitcher memberships={me.memberships} />
            <WhoAmI name={me.name} memberships={me.memberships} isPlatformOperator={me.isPlatformOperator} />
            <SignOutButton />
          </nav>
        )}
      </div>
    </header>
  );
}
