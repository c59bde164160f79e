"use client";

/** Anything but "not found" or "sign in": an outage or a bug. Says so, and offers to try again. */
export default function ErrorPage({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <div className="mx-auto mt-16 max-w-md text-center" data-testid="error-page">
      <h1 className="text-2xl font-semibold">Something went wrong</h1>
      <p className="mt-2 text-slate-600">
        Realmgate could not load this page: a service it depends on may be unavailable. Nothing was changed.
      </p>
      <button type="button" onClick={reset} className="mt-6 rounded bg-slate-900 px-3 py-1.5 text-sm text-white">
        Try again
      </button>
    </div>
  );
}
