import Link from "next/link";
import { serverCaller } from "@/server/api/server-caller";
import { SignOutButton } from "./sign-out-button";

export async function AppHeader() {
  const me = await (await serverCaller()).session.me().catch(() => null);
  return (
    <header className="border-b border-slate-200 bg-white">
      <div className="mx-auto flex max-w-6xl items-center justify-between px-6 py-3">
        <Link href="/" className="text-lg font-semibold tracking-tight text-slate-900">
          Realmgate
        </Link>
        {me && (
          <nav className="flex items-center gap-5 text-sm">
            {(me.org || me.breakGlass) && (
              <Link href="/realm" className="text-slate-700 hover:text-slate-950">
                Realm
              </Link>
            )}
            {me.breakGlass && (
              <span className="rounded bg-red-100 px-2 py-0.5 text-xs font-medium text-red-800" data-testid="break-glass-banner">
                break-glass: {me.breakGlass.org} until {me.breakGlass.expiresAt.toLocaleTimeString()}
              </span>
            )}
            {me.isPlatformOperator && (
              <Link href="/operator" className="text-slate-700 hover:text-slate-950">
                Operator
              </Link>
            )}
            <Link href="/account" className="text-slate-700 hover:text-slate-950">
              Account
            </Link>
            <Link href="/account/security" className="text-slate-700 hover:text-slate-950">
              Security
            </Link>
            <span className="text-slate-500" data-testid="whoami">
              {me.name}
              {me.org ? ` · ${me.org.name} (${me.org.role})` : me.isPlatformOperator ? " · platform operator" : ""}
            </span>
            <SignOutButton />
          </nav>
        )}
      </div>
    </header>
  );
}
