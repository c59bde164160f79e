import Link from "next/link";

/** The heading of an operator page beside the platform page, with the way back to it. */
export function OperatorPageHeader({ title }: { title: string }) {
  return (
    <div className="flex items-baseline justify-between">
      <h1 className="text-2xl font-semibold">{title}</h1>
      <Link href="/operator" className="text-sm font-medium text-slate-700 hover:text-slate-950">
        ← Platform
      </Link>
    </div>
  );
}
